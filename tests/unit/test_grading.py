from decimal import Decimal

import pytest

from quizapp.domain import grading


def test_displayed_choice_maps_back_to_original_letters() -> None:
    # Shown order: C, A, D, B  -> the examinee ticks the 1st and 2nd shown options.
    order = [2, 0, 3, 1]
    assert grading.response_from_displayed("multiple", order, [0, 1]) == "AC"
    assert grading.displayed_from_response("multiple", order, "AC") == [0, 1]


def test_true_false_and_cleared_answers() -> None:
    assert grading.response_from_displayed("true_false", [], True) == "true"
    assert grading.response_from_displayed("true_false", [], None) == ""
    assert grading.response_from_displayed("single", [0, 1, 2], []) == ""
    assert grading.displayed_from_response("true_false", [], "false") is False


@pytest.mark.parametrize(("qtype", "chosen"), [
    ("single", [0, 1]),          # two answers to a single-choice question
    ("single", [4]),             # no such option
    ("multiple", [1, 1]),        # the same option twice
    ("multiple", "AB"),          # not a list
    ("multiple", [True]),        # booleans are not positions
    ("true_false", "yes"),
])
def test_malformed_responses_are_refused(qtype: str, chosen: object) -> None:
    with pytest.raises(grading.BadResponse):
        grading.response_from_displayed(qtype, [0, 1, 2, 3], chosen)


def test_all_or_nothing() -> None:
    four = Decimal(4)
    assert grading.grade("multiple", "ACD", "ACD", four, "all_or_nothing") == four
    assert grading.grade("multiple", "ACD", "AC", four, "all_or_nothing") == 0
    assert grading.grade("single", "B", "B", four, "partial") == four
    assert grading.grade("true_false", "false", "true", four, "partial") == 0
    assert grading.grade("single", "B", None, four, "all_or_nothing") == 0


def test_partial_credit_for_a_correct_subset_only() -> None:
    three = Decimal(3)
    assert grading.grade("multiple", "ACD", "AC", three, "partial") == Decimal("2.00")
    assert grading.grade("multiple", "ACD", "A", three, "partial") == Decimal("1.00")
    assert grading.grade("multiple", "AB", "A", Decimal(1), "partial") == Decimal("0.50")
    # Any wrong option loses the question, even with right ones beside it.
    assert grading.grade("multiple", "ACD", "AB", three, "partial") == 0
    assert grading.grade("multiple", "ACD", "ABCD", three, "partial") == 0


def test_partial_credit_rounds_to_cents() -> None:
    assert grading.grade("multiple", "ABC", "A", Decimal(2), "partial") == Decimal("0.67")


def test_partial_credit_ties_round_half_up() -> None:
    # 2.5 points, 1 of 4 right: 0.625 is a tie and goes up, as people round on paper.
    assert grading.grade("multiple", "ABCD", "A", Decimal("2.5"), "partial") == Decimal("0.63")
    assert grading.grade("multiple", "ABCD", "ABC", Decimal("2.5"), "partial") == Decimal("1.88")
    assert grading.grade("multiple", "ABCD", "ABCD", Decimal("2.5"), "partial") == Decimal("2.5")


def test_partial_credit_never_applies_to_single_or_true_false() -> None:
    assert grading.grade("single", "A", "B", Decimal(2), "partial") == 0
    assert grading.grade("true_false", "true", "false", Decimal(2), "partial") == 0
    assert grading.grade("multiple", "AB", "", Decimal(2), "partial") == 0


@pytest.mark.parametrize(("key", "response", "correct"), [
    ("A", "A", True), ("ACD", "ACD", True), ("true", "true", True),
    ("A", "B", False), ("ACD", "AC", False), ("ACD", "ACDE", False), ("false", "true", False),
    ("A", "", False), ("A", None, False),
])
def test_is_correct_only_for_the_exact_key(key: str, response: str | None, correct: bool) -> None:
    assert grading.is_correct(key, response) is correct


@pytest.mark.parametrize(("qtype", "chosen", "message"), [
    ("true_false", "yes", "判断题的答案只能是“正确”或“错误”"),
    ("true_false", 1, "判断题的答案只能是“正确”或“错误”"),
    ("multiple", "AB", "选择题的答案格式不正确"),
    ("single", None, "选择题的答案格式不正确"),
    ("multiple", [0, False], "选择题的答案格式不正确"),
    ("multiple", [2, 2], "所选选项不存在"),
    ("single", [4], "所选选项不存在"),
    ("single", [-1], "所选选项不存在"),
    ("single", [0, 3], "单选题只能选择一个选项"),
])
def test_malformed_responses_say_what_is_wrong(qtype: str, chosen: object, message: str) -> None:
    with pytest.raises(grading.BadResponse) as caught:
        grading.response_from_displayed(qtype, [0, 1, 2, 3], chosen)
    assert str(caught.value) == message


def test_every_shown_position_maps_to_its_original_letter() -> None:
    order = [3, 0, 2, 1]  # shown: D, A, C, B
    assert [grading.response_from_displayed("single", order, [i]) for i in range(4)] == ["D", "A", "C", "B"]
    assert grading.response_from_displayed("multiple", order, [3, 0]) == "BD"  # sorted letters
    assert grading.response_from_displayed("multiple", order, [0, 1, 2, 3]) == "ABCD"
    assert grading.displayed_from_response("multiple", order, "BD") == [0, 3]
    assert grading.displayed_from_response("single", order, "A") == [1]
    assert grading.displayed_from_response("true_false", [], "true") is True
    assert grading.displayed_from_response("true_false", [], "") is None


@pytest.mark.parametrize(("earned", "response", "outcome"), [
    (Decimal(3), "ACD", "right"), (Decimal("1.5"), "AC", "partial"), (Decimal(0), "AB", "wrong"),
    (Decimal(0), "", "unanswered"), (Decimal(0), None, "unanswered"),
])
def test_how_a_graded_item_reads(earned: Decimal, response: str | None, outcome: str) -> None:
    assert grading.item_outcome(earned, Decimal(3), response) == outcome
    assert grading.OUTCOME_LABELS[outcome]
