"""The question rules' edges: near duplicates at the limits the rule names."""
from quizapp.domain import questions as q


def test_two_characters_more_in_a_ten_character_stem_is_still_a_near_duplicate() -> None:
    # 10 and 12 characters once punctuation is dropped: 20 of 22 alike (90.9 %) and two apart,
    # the most two short stems may differ (2, plus 1 for every 40 characters).
    assert q.near_duplicates("村委会成员由村民选举。", [("CW-001", "村委会成员由全体村民选举。")]) == ["CW-001"]
    assert q.near_duplicates("村委会成员由全体村民选举。", [("CW-002", "村委会成员由村民选举。")]) == ["CW-002"]


def test_one_character_changed_in_ten_is_exactly_ninety_percent_alike_and_a_near_duplicate() -> None:
    # 9 of 10 characters in place: 18 of 20 alike, exactly the 90 % the rule asks, two apart.
    assert q.near_duplicates("村委会成员由村民选举", [("CW-003", "村委会成员由居民选举")]) == ["CW-003"]


def test_two_characters_swapped_in_a_nine_character_stem_is_under_ninety_percent_alike() -> None:
    # Same characters, but only 8 of 9 stay in order: 16 of 18 alike (88.9 %), under the 90 %.
    assert q.near_duplicates("公民有受教育的权利", [("CW-004", "公民有教受育的权利")]) == []


def test_a_stem_of_forty_characters_may_differ_by_three() -> None:
    # One character changed (五→三) and one dropped (应当→应): three apart. Two are allowed, plus
    # one for every 40 characters of the longer stem.
    forty = "村民委员会每届任期五年，届满应当及时举行换届选举，村民委员会成员可以连选连任，正确的是"
    edited = "村民委员会每届任期三年，届满应及时举行换届选举，村民委员会成员可以连选连任，正确的是"
    assert (len(q.stem_key(forty)), len(q.stem_key(edited))) == (40, 39)
    assert q.near_duplicates(forty, [("CW-005", edited)]) == ["CW-005"]
    assert q.near_duplicates(edited, [("CW-005", forty)]) == ["CW-005"]
    # One character shorter each, the longer has 39: still only two may differ.
    assert q.near_duplicates(forty[:-1], [("CW-006", edited[:-1])]) == []


def test_a_stem_unlike_the_first_other_is_still_checked_against_the_rest() -> None:
    stem = "村委会成员由村民选举"
    others = [("CW-007", "村民选举村委会成员由"),  # the same characters in another order: not alike
              ("CW-008", "村委会成员由居民选举"), ("CW-009", "村委会成员由村民选举。")]
    assert q.near_duplicates(stem, others) == ["CW-008", "CW-009"]


def test_a_quote_copied_with_a_line_break_is_saved_as_one_run_of_text() -> None:
    from quizapp.domain.questions import QuestionDraft

    copied = "禁止从建筑物中\r\n   抛掷物品。从建筑物中抛掷物品\n"
    draft = QuestionDraft("民法典", "true_false", "禁止从建筑物中抛掷物品。", (), "true", "民法典第一千二百五十四条。",
                          ({"law": "民法典", "article": 1254, "quote": copied},), 1)
    checked = q.validate(draft)
    assert checked.problems == [] and checked.warnings == []
    assert checked.record is not None
    assert checked.record.basis == ({"law": "民法典", "article": 1254, "quote": "禁止从建筑物中抛掷物品。从建筑物中抛掷物品"},)


def test_every_bad_citation_is_reported_not_just_the_first() -> None:
    from quizapp.domain.questions import QuestionDraft

    draft = QuestionDraft("宪法", "true_false", "中华人民共和国首都是北京。", (), "true", "宪法第一百四十三条。",
                          ({"law": "宪法", "article": 144, "quote": "中华人民共和国首都是北京"},
                           {"law": "刑法", "article": 1, "quote": "为了惩罚犯罪，保护人民"}), 1)
    problems = q.validate(draft).problems
    assert problems[0] == ("article", "宪法没有第 144 条（共 143 条）")
    assert problems[1][0] == "law" and problems[1][1].startswith("法律“刑法”不在可引用的法律之列")
    assert len(problems) == 2


def test_near_duplicates_do_not_depend_on_which_stem_is_saved() -> None:
    # 9 and 11 characters: 18 of 20 alike (90 %) and 2 apart, a near duplicate by the rule,
    # whichever of the two is being saved (the shorter one used to miss the longer).
    short, long = "公民有受教育的权利", "公民有受教育的权利义务"
    assert q.near_duplicates(long, [("A", short)]) == ["A"]
    assert q.near_duplicates(short, [("B", long)]) == ["B"]
