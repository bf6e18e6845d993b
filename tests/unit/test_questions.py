"""One set of rules for a question: the spellings trainers use, every Chinese message a draft can
get, duplicates, and how two versions' differences read."""
import hashlib
from dataclasses import replace

import pytest

from quizapp.domain import questions as qs
from quizapp.domain.questions import QuestionDraft, QuestionRecord

CAPITAL = {"law": "宪法", "article": 143, "quote": "中华人民共和国首都是北京"}


def draft(**changes) -> QuestionDraft:
    values = dict(topic=" 宪法 ", qtype="single", stem=" 中华人民共和国的首都是（　）。 ",
                  options=(" 北京 ", "上海", "广州"), answer="A", explanation=" 宪法第一百四十三条规定。 ",
                  basis=(CAPITAL,), difficulty=1, tags=("国家机构", "国家机构", "首都"), code="XF-0143")
    values.update(changes)
    return QuestionDraft(**values)


def problems(**changes) -> list[tuple[str, str]]:
    return qs.validate(draft(**changes)).problems


# ---- spellings ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "qtype"), [
    ("single", "single"), (" 单选题 ", "single"), ("单项选择", "single"), ("MULTIPLE", "multiple"),
    ("多选", "multiple"), ("多项选择题", "multiple"), ("true_false", "true_false"), ("判断", "true_false"),
    ("是非题", "true_false"), ("对错题", "true_false"), ("填空题", None), ("", None), (None, None),
])
def test_question_types_as_trainers_write_them(text: object, qtype: str | None) -> None:
    assert qs.parse_type(text) == qtype


@pytest.mark.parametrize(("text", "answer"), [
    (True, "true"), (False, "false"), ("对", "true"), ("正确", "true"), ("√", "true"), ("✓", "true"),
    (" T ", "true"), ("Yes", "true"), ("是", "true"), ("错", "false"), ("错误", "false"), ("×", "false"),
    ("✗", "false"), ("F", "false"), ("no", "false"), ("否", "false"), ("也许", None), ("", None), (None, None),
    (1, None),
])
def test_truth_values_as_trainers_write_them(text: object, answer: str | None) -> None:
    assert qs.parse_answer("true_false", text) == answer


@pytest.mark.parametrize(("text", "answer"), [
    ("ABD", "ABD"), ("A,B,D", "ABD"), ("A、B、D", "ABD"), ("a b d", "ABD"), ("D；A", "AD"), ("c/a;b，f", "ABCF"),
    ("B", "B"), ("", None), (None, None), ("AG", None), ("A1", None), ("对", None),
])
def test_letters_as_trainers_write_them(text: object, answer: str | None) -> None:
    assert qs.parse_answer("multiple", text) == answer
    assert qs.parse_answer("single", text) == answer


@pytest.mark.parametrize(("text", "level"), [
    (1, 1), (2, 2), (3, 3), (0, None), (4, None), (True, None), ("1", 1), (" 易 ", 1), ("容易", 1), ("简单", 1),
    ("2", 2), ("中", 2), ("中等", 2), ("一般", 2), ("3", 3), ("难", 3), ("困难", 3), ("较难", 3), ("hard", None),
    (None, None), ("", None),
])
def test_difficulty_as_trainers_write_it(text: object, level: int | None) -> None:
    assert qs.parse_difficulty(text) == level


def test_tags_from_a_list_or_a_cell() -> None:
    assert qs.parse_tags(["国家机构", " 首都 ", "", "  ", 5]) == ("国家机构", "首都", "5")
    assert qs.parse_tags(("甲",)) == ("甲",)
    assert qs.parse_tags("宪法, 民法典、调解;a；b|c  d，e") == ("宪法", "民法典", "调解", "a", "b", "c", "d", "e")
    assert qs.parse_tags("") == () and qs.parse_tags(None) == ()


# ---- the rules ------------------------------------------------------------------------------

def test_a_good_draft_becomes_a_record() -> None:
    checked = qs.validate(draft())
    assert checked.problems == [] and checked.warnings == []
    assert checked.record == QuestionRecord(
        topic="宪法", qtype="single", stem="中华人民共和国的首都是（　）。", options=("北京", "上海", "广州"),
        answer="A", explanation="宪法第一百四十三条规定。", basis=(CAPITAL,), difficulty=1,
        tags=("国家机构", "首都"), code="XF-0143")
    assert qs.validate(draft(code=None)).record.code is None


def test_a_record_with_problems_is_kept_out_but_its_warnings_are_said() -> None:
    checked = qs.validate(draft(stem="太短", basis=()))
    assert checked.record is None
    assert checked.problems == [("stem", "题干至少 6 个字")]
    assert checked.warnings == [("law", "未注明法条")]


@pytest.mark.parametrize("code", ["XF-001", "ABCDEF-123456", "XF-0143"])
def test_codes_that_are_fine(code: str) -> None:
    assert problems(code=code) == []


@pytest.mark.parametrize("code", ["X-0001", "ABCDEFG-0001", "XF-01", "XF-1234567", "xf-0001", "XF0001", "XF-0001 ", ""])
def test_codes_that_are_not(code: str) -> None:
    assert problems(code=code) == [("code", f"题号“{code}”格式应为“前缀-编号”，如 XF-0001")]


def test_text_fields_limits_and_nul() -> None:
    assert problems(topic="  ") == [("topic", "专题不能为空")]
    assert problems(topic="法" * 64) == []
    assert problems(topic="法" * 65) == [("topic", "专题不超过 64 字（现有 65 字）")]
    assert problems(stem="题" * 2000) == []
    assert problems(stem="题" * 2001) == [("stem", "题干不超过 2000 字（现有 2001 字）")]
    assert problems(explanation="解" * 4000) == []
    assert problems(explanation="解" * 4001) == [("explanation", "解析不超过 4000 字（现有 4001 字）")]
    assert problems(stem="首都是\x00哪里呢") == [("stem", "题干含有无法保存的空字符（\\0）")]
    assert problems(topic="宪\x00法") == [("topic", "专题含有无法保存的空字符（\\0）")]
    assert problems(explanation="宪法第一百\x00四十三条") == [("explanation", "解析含有无法保存的空字符（\\0）")]


def test_stem_and_explanation_need_six_characters() -> None:
    assert problems(stem=" 首都是哪里呢 ", explanation="宪法有规定。") == []
    assert problems(stem=" 首都是哪里 ") == [("stem", "题干至少 6 个字")]
    assert problems(explanation=" 宪法有规定 ") == [("explanation", "解析至少 6 个字")]


@pytest.mark.parametrize("qtype", [None, "essay", "单选"])
def test_type_must_be_known(qtype: str | None) -> None:
    assert problems(qtype=qtype) == [("qtype", "题型应为单选、多选或判断")]


@pytest.mark.parametrize("difficulty", [None, 0, 4])
def test_difficulty_must_be_one_to_three(difficulty: int | None) -> None:
    assert problems(difficulty=difficulty) == [("difficulty", "难度应为 1、2、3（或 易、中、难）")]


def test_tags_limits() -> None:
    assert problems(tags=("标" * 32,)) == []
    assert problems(tags=("标" * 33, "好", "签\x00")) == [
        ("tags", "标签不超过 32 字（现有 33 字）"), ("tags", "标签含有无法保存的空字符（\\0）")]


def test_true_false_questions() -> None:
    checked = qs.validate(draft(qtype="true_false", options=(), answer="true"))
    assert checked.problems == [] and checked.record.answer == "true"
    assert problems(qtype="true_false", options=(), answer="false") == []
    assert problems(qtype="true_false", answer="A") == [
        ("options", "判断题不设选项"), ("answer", "判断题的答案应为 对/错、正确/错误、√/×")]
    assert problems(qtype="true_false", options=(), answer=None) == [
        ("answer", "判断题的答案应为 对/错、正确/错误、√/×")]


def test_choice_questions_need_two_to_six_options() -> None:
    assert problems(options=("北京", "上海")) == []
    assert problems(options=tuple("甲乙丙丁戊己"), answer="F") == []
    for options in [("北京",), (), tuple("甲乙丙丁戊己庚")]:
        # Only the count is said: the answer is not checked against too few or too many options.
        assert problems(options=options, answer="G") == [("options", "单选、多选题需要 2 到 6 个选项")]


def test_options_must_be_filled_short_and_different() -> None:
    assert problems(options=("北京", "  ", "广州")) == [("options", "选项不能为空")]
    assert problems(options=("北京", "选" * 500)) == []
    assert problems(options=("北京", "选" * 501, "广\x00州")) == [
        ("options", "选项不超过 500 字（现有 501 字）"), ("options", "选项含有无法保存的空字符（\\0）")]
    assert problems(options=("北 京", "北京", "广州")) == [("options", "有两个选项相同")]


def test_answers_of_choice_questions() -> None:
    assert problems(answer="D") == [("answer", "答案应为 A—C 中的字母")]
    assert problems(answer=None) == [("answer", "没有给出正确答案")]
    assert problems(answer="") == [("answer", "没有给出正确答案")]
    assert problems(options=("北京", "上海"), answer="C") == [("answer", "答案应为 A—B 中的字母")]
    assert problems(answer="AB") == [("answer", "单选题只能有一个答案")]
    assert problems(qtype="multiple", answer="AC") == []
    assert problems(qtype="multiple", answer="ABC") == []
    assert problems(qtype="multiple", answer="A") == [("answer", "多选题的答案至少两个且不重复")]
    assert problems(qtype="multiple", answer="AA") == [("answer", "多选题的答案至少两个且不重复")]


def test_every_problem_at_once_in_field_order() -> None:
    bad = draft(code="bad", topic="", qtype="multiple", stem="短", explanation="短", difficulty=9,
                tags=("标" * 40,), options=("北京", "北京"), answer="Z",
                basis=({"law": "刑法", "article": 1, "quote": "x"},))
    assert qs.validate(bad).problems == [
        ("code", "题号“bad”格式应为“前缀-编号”，如 XF-0001"), ("topic", "专题不能为空"),
        ("stem", "题干至少 6 个字"), ("explanation", "解析至少 6 个字"),
        ("difficulty", "难度应为 1、2、3（或 易、中、难）"), ("tags", "标签不超过 32 字（现有 40 字）"),
        ("options", "有两个选项相同"), ("answer", "答案应为 A—B 中的字母"),
        ("law", "法律“刑法”不在可引用的法律之列（宪法、民法典、行政处罚法、行政许可法、行政复议法、行政诉讼法、"
                "村民委员会组织法、农村土地承包法、人民调解法、法律援助法、反电信网络诈骗法、国家安全法、禁毒法、消费者权益保护法）"),
    ]


def test_legal_basis() -> None:
    checked = qs.validate(draft(basis=(
        {"law": "宪法", "article": 143, "quote": " 中华人民共和国首都是北京 "},
        {"source": " 公安部刑事侦查局 ", "note": "x"},
        {"source": "  "},
        {"law": "民法典", "article": 1254, "quote": "禁止从建筑物中扔东西"},
    )))
    assert checked.problems == []
    assert checked.warnings == [("quote", "法条原文在民法典第 1254 条中找不到（须逐字摘录）")]
    assert checked.record.basis == (  # laws first: every format can write that order back
        {"law": "宪法", "article": 143, "quote": "中华人民共和国首都是北京"},
        {"law": "民法典", "article": 1254, "quote": "禁止从建筑物中扔东西"},
        {"source": "公安部刑事侦查局"},
    )


def test_a_basis_must_name_a_law_and_an_article_it_has() -> None:
    assert problems(basis=({"law": "宪法", "article": 144, "quote": "中华人民共和国首都是北京"},)) == [
        ("article", "宪法没有第 144 条（共 143 条）")]
    assert problems(basis=({"law": "宪法", "article": "第一条", "quote": "中华人民共和国首都是北京"},)) == [
        ("article", "条款应为条文序号（整数）或“序言”")]
    assert problems(basis=({"law": None, "article": 1},))[0][0] == "law"


def test_missing_or_short_quotes_are_marked_not_refused() -> None:
    checked = qs.validate(draft(basis=({"law": "宪法", "article": 143},)))
    assert checked.problems == [] and checked.warnings == [("quote", "法条原文摘录至少 6 个字")]
    assert checked.record.basis == ({"law": "宪法", "article": 143, "quote": ""},)


def test_no_basis_at_all_is_marked() -> None:
    for basis in [(), ({"source": ""},), ({"source": None},)]:
        checked = qs.validate(draft(basis=basis))
        assert checked.record is not None and checked.record.basis == ()
        assert checked.warnings == [("law", "未注明法条")]
    only_source = qs.validate(draft(basis=({"source": "国务院令"},)))
    assert only_source.warnings == []


# ---- versions ------------------------------------------------------------------------------

def test_a_versions_content_and_fingerprint() -> None:
    record = qs.validate(draft()).record
    assert record is not None
    assert record.content() == {
        "qtype": "single", "stem": "中华人民共和国的首都是（　）。", "options": ["北京", "上海", "广州"], "answer": "A",
        "explanation": "宪法第一百四十三条规定。", "basis": [CAPITAL], "difficulty": 1, "tags": ["国家机构", "首都"]}
    assert record.digest() == qs.content_digest(record.content())
    # Moving a question to another topic is not a new version; any change of content is.
    assert replace(record, topic="民法典").digest() == record.digest()
    assert replace(record, answer="B").digest() != record.digest()


def test_the_fingerprint_is_stable_whatever_the_key_order() -> None:
    # Stored digests are compared with new ones: the payload must stay sorted, compact UTF-8 JSON.
    assert qs.content_digest({"stem": "题干", "answer": "A"}) == qs.content_digest({"answer": "A", "stem": "题干"})
    expected = hashlib.sha256('{"answer": "A", "stem": "题干"}'.encode()).hexdigest()
    assert qs.content_digest({"stem": "题干", "answer": "A"}) == expected


# ---- duplicates -----------------------------------------------------------------------------

def test_stem_keys_drop_spaces_punctuation_and_blanks() -> None:
    assert qs.stem_key("根据《宪法》， 国家的根本制度是（　　）？ [ ] “社会主义”! _＿") == "根据《宪法》国家的根本制度是社会主义"


def test_near_duplicates() -> None:
    stem = "abcdefghijklmnopqrst"  # 20 characters
    others = [
        ("SAME", "a b c d e f g h i j k l m n o p q r s t。"),
        ("ONE-WRONG", "abcdefghijklmnopqrsX"),  # a typo: 2 characters differ (one out, one in)
        ("ONE-MORE", "abcdefghijklmnopqrstu"),
        ("TWO-MORE", "abcdefghijklmnopqrstuv"),  # 2 differ: the most a stem under 40 characters may
        ("THREE-MORE", "abcdefghijklmnopqrstuvw"),
        ("TWO-WRONG", "abcdefghijklmnopqrXY"),  # 18 of 20 alike (0.9), but 4 differ: another question
        ("FOUR-MORE", "abcdefghijklmnopqrstuvwx"),
        ("SHUFFLED", "tsrqponmlkjihgfedcba"),  # the same letters, hardly alike
    ]
    assert qs.near_duplicates(stem, others) == ["SAME", "ONE-WRONG", "ONE-MORE", "TWO-MORE"]
    assert qs.near_duplicates(stem, others, threshold=0.97) == ["SAME", "ONE-MORE"]
    patterned = "根据行政复议法关于行政复议申请人的规定，下列说法正确的有（　）。"
    assert qs.near_duplicates(patterned, [("FY-0012", "根据行政复议法关于被申请人的规定，下列说法正确的有（　）。"),
                                          ("FY-0016", "根据行政复议法关于行政复议申请期限的规定，下列说法正确的有（　）。")]) == []
    long = "村民甲将自家承包的土地流转给合作社经营，合同约定流转期限为十年，后甲要求提前收回土地。根据农村土地承包法，下列说法正确的是（　）。"
    assert qs.near_duplicates(long, [("COPY", long.replace("十年", "十五年"))]) == ["COPY"]  # 3 differ in 60
    assert qs.near_duplicates(stem, []) == []


def test_versions_differences_read_in_chinese() -> None:
    before = qs.validate(draft()).record.content()
    after = dict(before, qtype="multiple", options=["北京", "南京"], answer="AB", difficulty=2, tags=["首都"],
                 basis=[{"source": "地图"}, {"law": "宪法", "article": "序言", "quote": "中国是世界上历史最悠久的国家之一"},
                        {"law": "民法典", "article": 1254}])
    assert qs.diff(before, after) == [
        ("题型", "单选题", "多选题"),
        ("选项", "A. 北京；B. 上海；C. 广州", "A. 北京；B. 南京"),
        ("答案", "A", "AB"),
        ("依据", "宪法第143条：中华人民共和国首都是北京",
         "依据：地图；宪法序言：中国是世界上历史最悠久的国家之一；民法典第1254条："),
        ("难度", "1", "2"),
        ("知识点/标签", "国家机构、首都", "首都"),
    ]
    assert qs.diff(before, dict(before)) == []


def test_differences_with_missing_fields_and_truth_values() -> None:
    old = {"qtype": "true_false", "answer": "true", "stem": "甲"}
    new = {"qtype": "essay", "answer": "false", "explanation": "乙", "options": None, "tags": None, "basis": None}
    assert qs.diff(old, new) == [
        ("题型", "判断题", "essay"), ("题干", "甲", ""), ("答案", "正确", "错误"), ("解析", "", "乙")]
    assert qs.diff({"qtype": None}, {"qtype": "single"}) == [("题型", "None", "单选题")]
    assert qs.diff({"options": ["a"], "tags": ["t"], "basis": [{"source": "s"}]}, {}) == [
        ("选项", "A. a", ""), ("依据", "依据：s", ""), ("知识点/标签", "t", "")]
    assert qs.diff({"answer": "AB"}, {"answer": None}) == [("答案", "AB", "")]


def test_what_search_looks_in() -> None:
    content = {"stem": "中华人民共和国的首都是", "options": ["Beijing", "上海"], "explanation": "见宪法",
               "tags": ["首都", "ABC"], "answer": "A"}
    assert qs.search_text(content, "XF-0143") == "xf-0143\n中华人民共和国的首都是\nbeijing\n上海\n见宪法\n首都\nabc"
    assert qs.search_text({}, "XF-1") == "xf-1\n\n"


def test_citations_for_like_filters() -> None:
    assert qs.citations([{"law": "宪法", "article": 1}, {"source": "x"}, {"law": "民法典", "article": 1045}]) == \
        "|宪法#1|民法典#1045|"
    assert qs.citations([{"law": "宪法", "article": "序言"}]) == "|宪法#序言|"
    assert qs.citations([{"source": "x"}]) == "" and qs.citations([]) == ""


def test_windows_and_old_mac_line_breaks_are_saved_as_plain_ones() -> None:
    record = qs.validate(draft(stem="中华人民共和国的首都是\r\n（　）。", explanation="宪法第一百四十三条\r规定。\r\n",
                               options=("北京\r\n（首都）", "上海", "广州"))).record
    assert record is not None
    assert (record.stem, record.explanation, record.options[0]) == (
        "中华人民共和国的首都是\n（　）。", "宪法第一百四十三条\n规定。", "北京\n（首都）")
    lf = qs.validate(draft(stem="中华人民共和国的首都是\n（　）。")).record
    crlf = qs.validate(draft(stem="中华人民共和国的首都是\r\n（　）。")).record
    assert lf is not None and crlf is not None and lf.digest() == crlf.digest()  # one text, one version
