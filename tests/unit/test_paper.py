import random
from decimal import Decimal

import pytest

from quizapp.domain.paper import (
    Candidate,
    PaperRule,
    compose_fixed_paper,
    compose_random_paper,
    rule_shortfalls,
)


def pool_of(topic: int, qtype: str, n: int, start: int = 0, options: int = 4) -> list[Candidate]:
    return [Candidate(start + i, qtype, 0 if qtype == "true_false" else options) for i in range(n)]


POOL = {
    (1, "single"): pool_of(1, "single", 10, 100),
    (1, "true_false"): pool_of(1, "true_false", 5, 200),
    (2, "multiple"): pool_of(2, "multiple", 4, 300, options=5),
}
RULES = [
    PaperRule(1, "宪法", "true_false", 3, Decimal(1)),
    PaperRule(1, "宪法", "single", 4, Decimal(2)),
    PaperRule(2, "民法典", "multiple", 2, Decimal(3)),
]


def test_random_paper_follows_rules_and_sections() -> None:
    paper = compose_random_paper(RULES, POOL, random.Random(1), True, True)
    assert [p.qtype for p in paper] == ["single"] * 4 + ["multiple"] * 2 + ["true_false"] * 3
    assert len({p.version_id for p in paper}) == 9
    assert sum(p.points for p in paper) == Decimal(4 * 2 + 2 * 3 + 3)
    for p in paper:
        assert sorted(p.option_order) == list(range(0 if p.qtype == "true_false" else 4 if p.qtype == "single" else 5))


def test_two_rules_on_the_same_pool_never_repeat_a_question() -> None:
    rules = [PaperRule(1, "宪法", "single", 5, Decimal(1)), PaperRule(1, "宪法", "single", 5, Decimal(2))]
    paper = compose_random_paper(rules, POOL, random.Random(7), False, False)
    assert len({p.version_id for p in paper}) == 10


def test_same_seed_same_paper_and_examinees_differ() -> None:
    a = compose_random_paper(RULES, POOL, random.Random(42), True, True)
    b = compose_random_paper(RULES, POOL, random.Random(42), True, True)
    assert a == b
    others = {tuple(p.version_id for p in compose_random_paper(RULES, POOL, random.Random(s), True, True))
              for s in range(20)}
    assert len(others) > 10


def test_without_shuffling_order_and_options_are_the_banks() -> None:
    paper = compose_random_paper(RULES, POOL, random.Random(3), False, False)
    singles = [p.version_id for p in paper if p.qtype == "single"]
    assert singles == sorted(singles)
    assert all(p.option_order == tuple(range(len(p.option_order))) for p in paper)


def test_shortfalls_name_topic_type_and_numbers() -> None:
    rules = RULES + [PaperRule(1, "宪法", "single", 7, Decimal(1))]
    messages = rule_shortfalls(rules, {k: len(v) for k, v in POOL.items()})
    assert messages == ["专题“宪法”的单选题只有 10 道，规则需要 11 道"]
    with pytest.raises(ValueError):
        compose_random_paper(rules, POOL, random.Random(1), True, True)


def test_fixed_paper_keeps_list_order_unless_shuffled() -> None:
    items = [(Candidate(i, "single", 4), Decimal(5)) for i in (9, 3, 7)]
    assert [p.version_id for p in compose_fixed_paper(items, random.Random(1), False, False)] == [9, 3, 7]
    shuffled = {tuple(p.version_id for p in compose_fixed_paper(items, random.Random(s), True, False))
                for s in range(30)}
    assert len(shuffled) > 1


def test_a_rule_on_an_empty_pool_names_what_is_missing() -> None:
    rule = PaperRule(3, "民法典", "multiple", 1, Decimal(2))
    assert rule_shortfalls([rule], {}) == ["专题“民法典”的多选题只有 0 道，规则需要 1 道"]
    with pytest.raises(ValueError) as caught:
        compose_random_paper([rule, PaperRule(1, "宪法", "single", 11, Decimal(1))], POOL,
                             random.Random(1), True, True)
    assert str(caught.value) == ("专题“民法典”的多选题只有 0 道，规则需要 1 道；"
                                 "专题“宪法”的单选题只有 10 道，规则需要 11 道")


def test_exactly_enough_questions_is_no_shortfall() -> None:
    rules = [PaperRule(1, "宪法", "true_false", 5, Decimal(1))]
    assert rule_shortfalls(rules, {(1, "true_false"): 5}) == []
    paper = compose_random_paper(rules, POOL, random.Random(5), True, True)
    assert sorted(p.version_id for p in paper) == [200, 201, 202, 203, 204]


def test_each_rule_keeps_its_own_points() -> None:
    rules = [PaperRule(1, "宪法", "single", 2, Decimal(1)), PaperRule(1, "宪法", "single", 3, Decimal(2))]
    paper = compose_random_paper(rules, POOL, random.Random(9), False, False)
    assert sorted(p.points for p in paper) == [1, 1, 2, 2, 2]


def test_shuffled_options_are_permutations_and_not_all_in_bank_order() -> None:
    paper = compose_random_paper(RULES, POOL, random.Random(11), True, True)
    choice_items = [p for p in paper if p.qtype != "true_false"]
    assert all(sorted(p.option_order) == list(range(len(p.option_order))) for p in choice_items)
    assert any(p.option_order != tuple(range(len(p.option_order))) for p in choice_items)
    assert all(p.option_order == () for p in paper if p.qtype == "true_false")


def test_unshuffled_random_paper_keeps_bank_order_within_each_type() -> None:
    rules = [PaperRule(1, "宪法", "single", 6, Decimal(1)), PaperRule(1, "宪法", "true_false", 4, Decimal(1))]
    for seed in range(10):
        paper = compose_random_paper(rules, POOL, random.Random(seed), False, False)
        singles = [p.version_id for p in paper if p.qtype == "single"]
        judged = [p.version_id for p in paper if p.qtype == "true_false"]
        assert singles == sorted(singles) and judged == sorted(judged)
        assert [p.qtype for p in paper] == ["single"] * 6 + ["true_false"] * 4


def test_fixed_paper_is_laid_out_by_type_with_its_points() -> None:
    items = [(Candidate(1, "true_false", 0), Decimal(2)), (Candidate(2, "multiple", 5), Decimal(4)),
             (Candidate(3, "single", 4), Decimal(3)), (Candidate(4, "single", 4), Decimal(3))]
    paper = compose_fixed_paper(items, random.Random(1), False, False)
    assert [(p.version_id, p.qtype, p.points) for p in paper] == [
        (3, "single", 3), (4, "single", 3), (2, "multiple", 4), (1, "true_false", 2)]
    assert [p.option_order for p in paper] == [(0, 1, 2, 3), (0, 1, 2, 3), (0, 1, 2, 3, 4), ()]
    shuffled = [compose_fixed_paper(items, random.Random(s), True, True) for s in range(20)]
    assert {tuple(p.version_id for p in paper) for paper in shuffled} == {(3, 4, 2, 1), (4, 3, 2, 1)}
    assert any(p.option_order != tuple(range(len(p.option_order))) for paper in shuffled for p in paper)


def test_shuffled_questions_mix_the_rules_of_one_type() -> None:
    rules = [PaperRule(1, "宪法", "single", 3, Decimal(1)), PaperRule(9, "民法典", "single", 3, Decimal(1))]
    pool = {(1, "single"): pool_of(1, "single", 5, 100), (9, "single"): pool_of(9, "single", 5, 900)}
    topics = [[p.version_id // 100 for p in compose_random_paper(rules, pool, random.Random(s), True, False)]
              for s in range(10)]
    assert any(t != [1, 1, 1, 9, 9, 9] for t in topics)
    plain = [p.version_id // 100 for p in compose_random_paper(rules, pool, random.Random(1), False, False)]
    assert plain == [1, 1, 1, 9, 9, 9]
