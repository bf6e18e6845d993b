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
