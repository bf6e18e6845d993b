from datetime import datetime, timedelta
from decimal import Decimal

from quizapp.domain.standing import AttemptSummary, examinee_standing
from quizapp.domain.timing import (
    attempt_deadline,
    is_overdue,
    review_allowed,
    seconds_left,
    window_phase,
)

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
    assert examinee_standing(OPENS, CLOSES, 1, [], OPENS - timedelta(hours=1)).label == "未开放"
    ready = examinee_standing(OPENS, CLOSES, 1, [], NOW)
    assert (ready.label, ready.can_start) == ("开放中", True)
    going = examinee_standing(OPENS, CLOSES, 1, [AttemptSummary("in_progress", None, None)], NOW)
    assert (going.label, going.can_start) == ("进行中", False)
    best = examinee_standing(OPENS, CLOSES, 3, [worse, done], NOW)
    assert (best.label, best.best_score, best.passed, best.can_start) == ("已完成", Decimal(80), True, True)
    assert not examinee_standing(OPENS, CLOSES, 2, [worse, done], NOW).can_start
    assert examinee_standing(OPENS, CLOSES, 1, [], CLOSES).label == "已截止"


def test_overdue_from_the_deadline_itself() -> None:
    deadline = NOW + timedelta(minutes=60)
    assert not is_overdue(deadline, deadline - timedelta(seconds=1))
    assert is_overdue(deadline, deadline)
    assert is_overdue(deadline, deadline + timedelta(seconds=1))


def test_seconds_left_counts_whole_seconds_down() -> None:
    assert seconds_left(NOW + timedelta(seconds=1, milliseconds=900), NOW) == 1
    assert seconds_left(NOW + timedelta(minutes=60), NOW) == 3600
    assert seconds_left(NOW, NOW) == 0


def test_deadline_exactly_at_close() -> None:
    assert attempt_deadline(CLOSES - timedelta(minutes=60), 60, CLOSES) == CLOSES
    assert attempt_deadline(CLOSES - timedelta(minutes=61), 60, CLOSES) == CLOSES - timedelta(minutes=1)


def test_review_after_close_is_shown_from_the_closing_minute() -> None:
    assert not review_allowed("after_close", CLOSES, CLOSES - timedelta(seconds=1))
    assert review_allowed("after_close", CLOSES, CLOSES, may_try_again=True)
    assert not review_allowed("never", CLOSES, NOW)


FAILED_40 = AttemptSummary("submitted", Decimal(40), False)
PASSED_60 = AttemptSummary("expired", Decimal(60), True)
OPEN = AttemptSummary("in_progress", None, None)


def test_upcoming_exam_cannot_be_started_yet() -> None:
    st = examinee_standing(OPENS, CLOSES, 2, [], OPENS - timedelta(seconds=1))
    assert (st.code, st.label, st.can_start, st.attempts_used) == ("upcoming", "未开放", False, 0)
    assert (st.best_score, st.passed) == (None, None)


def test_the_best_finished_attempt_counts_in_any_order() -> None:
    for attempts in ([FAILED_40, PASSED_60], [PASSED_60, FAILED_40]):
        st = examinee_standing(OPENS, CLOSES, 3, attempts, NOW)
        assert (st.code, st.best_score, st.passed, st.attempts_used) == ("done", Decimal(60), True, 2)
    zero = examinee_standing(OPENS, CLOSES, 3, [AttemptSummary("submitted", Decimal(0), False)], NOW)
    assert (zero.code, zero.best_score, zero.passed) == ("done", Decimal(0), False)


def test_a_new_attempt_in_progress_shows_as_in_progress_with_the_earlier_score() -> None:
    st = examinee_standing(OPENS, CLOSES, 3, [FAILED_40, OPEN], NOW)
    assert (st.code, st.label, st.best_score, st.attempts_used, st.can_start) == (
        "in_progress", "进行中", Decimal(40), 2, False)


def test_attempts_used_up_or_window_closed_stop_a_new_start() -> None:
    assert examinee_standing(OPENS, CLOSES, 2, [FAILED_40], NOW).can_start
    assert not examinee_standing(OPENS, CLOSES, 1, [FAILED_40], NOW).can_start
    closed = examinee_standing(OPENS, CLOSES, 3, [FAILED_40], CLOSES)
    assert (closed.code, closed.label, closed.can_start) == ("done", "已完成", False)
    missed = examinee_standing(OPENS, CLOSES, 3, [], CLOSES)
    assert (missed.code, missed.label, missed.can_start, missed.passed) == ("missed", "已截止", False, None)


def test_an_overdue_attempt_not_yet_graded_is_not_a_score() -> None:
    # Finalization grades it; until then it neither counts nor is "in progress" once closed.
    ungraded = AttemptSummary("expired", None, None)
    st = examinee_standing(OPENS, CLOSES, 2, [ungraded], NOW)
    assert (st.code, st.best_score, st.attempts_used, st.can_start) == ("ready", None, 1, True)


def test_why_a_review_is_hidden() -> None:
    from quizapp.domain.timing import REVIEW_NOTICES, review_hidden_because

    assert review_hidden_because("never", CLOSES, CLOSES) == "never"
    assert review_hidden_because("immediate", CLOSES, NOW, may_try_again=True) == "after_retries"
    assert review_hidden_because("after_close", CLOSES, NOW) == "after_close"
    assert review_hidden_because("immediate", CLOSES, NOW) is None
    assert review_hidden_because("after_close", CLOSES, CLOSES) is None
    assert REVIEW_NOTICES["after_close"].format(closes="2026-03-09 09:00") == "答案与解析将在考试截止（2026-03-09 09:00）后公布。"


def test_which_attempt_counts() -> None:
    from quizapp.domain.standing import counted_attempt

    a, b, c = (AttemptSummary("submitted", Decimal(s), s >= 60) for s in (70, 85, 50))
    assert counted_attempt([a, b, c], "best") == 1 and counted_attempt([a, b, c], "last") == 2
    tie = [AttemptSummary("submitted", Decimal(80), True), AttemptSummary("expired", Decimal(80), True)]
    assert counted_attempt(tie, "best") == 0  # the first of equal scores
    assert counted_attempt([a, OPEN], "last") == 0 and counted_attempt([OPEN], "best") is None
    st = examinee_standing(OPENS, CLOSES, 3, [a, b, c], NOW, "last")
    assert (st.best_score, st.passed, st.counted) == (Decimal(50), False, 2)
