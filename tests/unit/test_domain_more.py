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
