"""Smaller rules of the exam's domain at their edges: how an item reads, which attempt counts."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from quizapp.domain import grading
from quizapp.domain.standing import AttemptSummary, counted_attempt, examinee_standing

NOW = datetime(2026, 3, 2, 1, 0)
OPENS, CLOSES = NOW - timedelta(days=1), NOW + timedelta(days=1)


@pytest.mark.parametrize(("earned", "points", "outcome"), [
    (Decimal("0.5"), Decimal(1), "partial"),  # half a point is partly right, not wrong
    (Decimal("0.01"), Decimal(3), "partial"),
    (Decimal(1), Decimal(2), "partial"),
    (Decimal(2), Decimal(2), "right"),
    (Decimal(0), Decimal(2), "wrong"),
    (None, Decimal(2), "wrong"),  # not graded: never shown as right or partly right
])
def test_how_an_answered_item_reads(earned: Decimal | None, points: Decimal, outcome: str) -> None:
    assert grading.item_outcome(earned, points, "AB") == outcome


def test_outcome_labels() -> None:
    assert grading.OUTCOME_LABELS == {"right": "✓ 正确", "partial": "部分正确", "wrong": "✗ 错误",
                                      "unanswered": "✗ 未作答"}


def test_an_attempt_still_being_answered_never_counts() -> None:
    open_with_score = AttemptSummary("in_progress", Decimal(90), True)
    done = AttemptSummary("submitted", Decimal(40), False)
    assert counted_attempt([open_with_score]) is None
    assert counted_attempt([done, open_with_score]) == 0
    assert counted_attempt([done, open_with_score], "last") == 0
    standing = examinee_standing(OPENS, CLOSES, 3, [done, open_with_score], NOW)
    assert (standing.code, standing.label, standing.best_score, standing.passed) == (
        "in_progress", "进行中", Decimal(40), False)


# ---- how a stored legal basis reads -------------------------------------------------------

from quizapp.domain.citation import basis_label  # noqa: E402


@pytest.mark.parametrize(("article", "label"), [
    (1, "民法典第一条"),  # the first article is a numeral like any other
    (9999, "民法典第九千九百九十九条"),
    # A row saved before the checks, with a number no statute has, still shows as it was typed.
    (0, "民法典第0条"), (-5, "民法典第-5条"), (10000, "民法典第10000条"), (12000, "民法典第12000条"),
    (True, "民法典第True条"), ("十七", "民法典第十七条"),
])
def test_a_basis_reads_with_its_article_or_shows_an_odd_one_as_stored(article: object, label: str) -> None:
    assert basis_label({"law": "民法典", "article": article, "quote": "x"}) == label
