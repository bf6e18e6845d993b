from datetime import datetime, timedelta
from decimal import Decimal

from quizapp.domain.standing import AttemptSummary, examinee_standing
from quizapp.domain.timing import attempt_deadline, review_allowed, seconds_left, window_phase

NOW = datetime(2026, 3, 2, 1, 0)
OPENS, CLOSES = NOW - timedelta(days=1), NOW + timedelta(days=1)


def test_deadline_is_duration_or_close_whichever_first() -> None:
    assert attempt_deadline(NOW, 60, CLOSES) == NOW + timedelta(minutes=60)
    late_start = CLOSES - timedelta(minutes=10)
    assert attempt_deadline(late_start, 60, CLOSES) == CLOSES


def test_seconds_left_never_negative() -> None:
    assert seconds_left(NOW + timedelta(seconds=90), NOW) == 90
    assert seconds_left(NOW - timedelta(seconds=5), NOW) == 0


def test_window_phase_boundaries() -> None:
    assert window_phase(OPENS, CLOSES, OPENS - timedelta(seconds=1)) == "upcoming"
    assert window_phase(OPENS, CLOSES, OPENS) == "open"
    assert window_phase(OPENS, CLOSES, CLOSES) == "closed"


def test_review_policies() -> None:
    assert review_allowed("immediate", CLOSES, NOW)
    assert not review_allowed("immediate", CLOSES, NOW, may_try_again=True)
    assert review_allowed("immediate", CLOSES, CLOSES, may_try_again=True)
    assert not review_allowed("after_close", CLOSES, NOW)
    assert review_allowed("after_close", CLOSES, CLOSES)
    assert not review_allowed("never", CLOSES, CLOSES + timedelta(days=99))


def test_standing_labels() -> None:
    done = AttemptSummary("submitted", Decimal(80), True)
    worse = AttemptSummary("expired", Decimal(40), False)
    assert examinee_standing(OPENS, CLOSES, 1, [], OPENS - timedelta(hours=1)).label == "未开始"
    ready = examinee_standing(OPENS, CLOSES, 1, [], NOW)
    assert (ready.label, ready.can_start) == ("未开始", True)
    going = examinee_standing(OPENS, CLOSES, 1, [AttemptSummary("in_progress", None, None)], NOW)
    assert (going.label, going.can_start) == ("进行中", False)
    best = examinee_standing(OPENS, CLOSES, 3, [worse, done], NOW)
    assert (best.label, best.best_score, best.passed, best.can_start) == ("已完成", Decimal(80), True, True)
    assert not examinee_standing(OPENS, CLOSES, 2, [worse, done], NOW).can_start
    assert examinee_standing(OPENS, CLOSES, 1, [], CLOSES).label == "已截止"
