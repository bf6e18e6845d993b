"""The exam's rules at their edges, in a busy county: whose attempt, which exam, which second."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from quizapp.errors import AttemptClosed, Conflict
from quizapp.models import Attempt, AuditEvent
from quizapp.services import attempts as svc

from ..factories import WORLD_TIME, right_answer, wrong_answer


def answer_by_type(db, attempt, clock, right: dict[str, int]) -> None:
    """Answer the first right[qtype] items of each type correctly, the others wrongly."""
    seen: dict[str, int] = {}
    for item in svc.load_paper(db, attempt):
        qtype = item.version.qtype
        seen[qtype] = seen.get(qtype, 0) + 1
        good = seen[qtype] <= right.get(qtype, 0)
        svc.save_answer(db, attempt, item.id, right_answer(item) if good else wrong_answer(item), clock())


def events(db, action: str, attempt_id: int) -> list[AuditEvent]:
    return [e for e in db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
            if e.detail.get("attempt_id") == attempt_id]


# ---- the pass mark -------------------------------------------------------------------------

def test_exactly_the_pass_mark_passes(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    answer_by_type(db, attempt, clock, {"single": 5, "true_false": 1})  # 5 × 2 + 2 = 12
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.score, world.exam.pass_mark, attempt.passed) == (Decimal(12), Decimal(12), True)


def test_one_point_below_the_pass_mark_fails(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    answer_by_type(db, attempt, clock, {"single": 3, "multiple": 1, "true_false": 1})  # 6 + 3 + 2
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.score, attempt.passed) == (Decimal(11), False)


# ---- the deadline, to the second -----------------------------------------------------------

def test_a_save_one_second_before_the_deadline_counts_and_one_at_it_does_not(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    first, second = svc.load_paper(db, attempt)[:2]
    clock.advance(minutes=59, seconds=59)
    assert svc.save_answer(db, attempt, first.id, right_answer(first), clock()) == clock()
    clock.advance(seconds=1)
    assert clock() == attempt.deadline
    with pytest.raises(AttemptClosed) as caught:
        svc.save_answer(db, attempt, second.id, right_answer(second), clock())
    assert caught.value.message == "考试时间已到，该答案未能保存"
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.status, attempt.score, attempt.finished_at) == ("expired", Decimal(2), attempt.deadline)


def test_a_submit_just_before_the_deadline_is_a_submission(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    clock.advance(minutes=59, seconds=59)
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.status, attempt.finished_at) == ("submitted", clock())


def test_a_late_submit_is_stamped_with_the_deadline(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    clock.advance(hours=3)
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.status, attempt.finished_at) == ("expired", WORLD_TIME + timedelta(minutes=60))


def test_the_window_opens_and_closes_on_the_minute(db, world, clock) -> None:
    upcoming = world.upcoming_exam
    clock.current = upcoming.opens_at - timedelta(seconds=1)
    with pytest.raises(Conflict) as caught:
        svc.start_attempt(db, upcoming.id, world.cadre, clock())
    assert caught.value.message == "考试尚未开始，请在开放时间内进入"
    clock.current = upcoming.opens_at
    assert svc.start_attempt(db, upcoming.id, world.cadre, clock()).attempt_no == 1
    clock.current = upcoming.closes_at
    with pytest.raises(AttemptClosed) as closed:
        svc.start_attempt(db, upcoming.id, world.cadre2, clock())
    assert closed.value.message == "考试已截止"


def test_a_late_start_ends_when_the_exam_closes(db, world, clock) -> None:
    clock.current = world.fixed_exam.closes_at - timedelta(minutes=20)
    attempt = svc.start_attempt(db, world.fixed_exam.id, world.cadre, clock())
    assert attempt.deadline == world.fixed_exam.closes_at
    assert svc.attempt_state(db, attempt, clock()).seconds_left == 20 * 60


# ---- whose attempt, which exam -------------------------------------------------------------

def test_starting_gives_my_own_attempt_of_this_exam(db, world, clock) -> None:
    # cadre3 and cadre4 are half-way through this exam; cadre1 gets a paper of their own.
    mine = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    assert (mine.user_id, mine.exam_id, mine.attempt_no) == (world.cadre.id, world.exam.id, 1)
    assert mine.id not in {a.id for a in db.scalars(select(Attempt).where(Attempt.user_id != world.cadre.id))}
    # cadre3 has attempts open in two exams: starting a third exam makes a new one …
    fixed = svc.start_attempt(db, world.fixed_exam.id, world.cadre3, clock())
    assert (fixed.user_id, fixed.exam_id) == (world.cadre3.id, world.fixed_exam.id)
    # … and starting one of those again resumes it.
    again = svc.start_attempt(db, world.retake_exam.id, world.cadre3, clock())
    assert (again.exam_id, again.user_id, again.attempt_no) == (world.retake_exam.id, world.cadre3.id, 1)
    assert svc.open_attempt(db, world.exam.id, world.cadre3.id).user_id == world.cadre3.id
    assert svc.open_attempt(db, world.fixed_exam.id, world.cadre4.id) is None


def test_standing_counts_only_my_attempts(db, world, clock) -> None:
    mine, tried = svc.standing_on(db, world.exam, world.cadre, clock())
    assert (mine.code, mine.attempts_used, mine.best_score, mine.passed, mine.can_start) == (
        "ready", 0, None, None, True)
    assert tried == []
    leader, tried = svc.standing_on(db, world.exam, world.leader, clock())
    assert (leader.code, leader.attempts_used, leader.best_score, leader.passed) == (
        "done", 1, Decimal(8), False)
    assert [a.user_id for a in tried] == [world.leader.id]
    busy, _ = svc.standing_on(db, world.exam, world.cadre3, clock())
    assert (busy.code, busy.attempts_used, busy.can_start) == ("in_progress", 1, False)
    # cadre3's open attempts are in other exams: the fixed exam is theirs to start.
    fresh, _ = svc.standing_on(db, world.fixed_exam, world.cadre3, clock())
    assert (fresh.code, fresh.attempts_used, fresh.can_start) == ("ready", 0, True)


def test_a_passing_score_shows_as_passed(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    answer_by_type(db, attempt, clock, {"single": 5, "multiple": 2})
    svc.submit_attempt(db, attempt, clock())
    standing, _ = svc.standing_on(db, world.exam, world.cadre, clock())
    assert (standing.code, standing.best_score, standing.passed, standing.attempts_used) == (
        "done", Decimal(16), True, 1)


def test_saving_touches_only_my_attempt(db, world, clock) -> None:
    others_before = {a.id: a.last_saved_at for a in db.scalars(
        select(Attempt).where(Attempt.status == "in_progress"))}
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    item = svc.load_paper(db, attempt)[0]
    clock.advance(minutes=5)
    svc.save_answer(db, attempt, item.id, right_answer(item), clock())
    db.expire_all()
    rows = {a.id: a.last_saved_at for a in db.scalars(select(Attempt).where(Attempt.status == "in_progress"))}
    assert rows.pop(attempt.id) == clock()
    assert rows == others_before


def test_a_handed_in_paper_refuses_answers_while_a_colleague_is_still_writing(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.fixed_exam.id, world.cadre, clock())
    colleague = svc.start_attempt(db, world.fixed_exam.id, world.cadre2, clock())
    item = svc.load_paper(db, attempt)[0]
    svc.submit_attempt(db, attempt, clock())
    with pytest.raises(AttemptClosed) as caught:
        svc.save_answer(db, attempt, item.id, [0], clock())
    assert caught.value.message == "本次考试已交卷，答案不能再修改"
    theirs = svc.load_paper(db, colleague)[0]
    svc.save_answer(db, colleague, theirs.id, [0], clock())
    assert svc.attempt_state(db, colleague, clock()).answers == {theirs.id: [0]}


def test_finalizing_for_one_exam_or_person_leaves_the_others_open(db, world, clock) -> None:
    clock.advance(minutes=61)
    assert svc.has_overdue(db, clock(), exam_id=world.retake_exam.id)
    assert not svc.has_overdue(db, clock(), exam_id=world.fixed_exam.id)
    assert not svc.has_overdue(db, clock(), user_id=world.cadre.id)
    assert svc.finalize_overdue(db, clock(), user_id=world.cadre4.id) == 1
    assert svc.finalize_overdue(db, clock(), exam_id=world.other_exam.id) == 2
    assert svc.finalize_overdue(db, clock(), exam_id=world.exam.id, user_id=world.cadre3.id) == 1
    open_now = db.scalars(select(Attempt).where(Attempt.status == "in_progress")).all()
    assert [(a.user_id, a.exam_id) for a in open_now] == [(world.cadre3.id, world.retake_exam.id)]


def test_starting_finalizes_only_my_own_overdue_attempt(db, world, clock) -> None:
    clock.advance(minutes=61)
    with pytest.raises(Conflict):  # cadre3's attempt ran out: it is graded, and 1 of 1 is used
        svc.start_attempt(db, world.exam.id, world.cadre3, clock())
    statuses = {(a.user_id, a.exam_id): a.status for a in db.scalars(select(Attempt))}
    assert statuses[(world.cadre3.id, world.exam.id)] == "expired"
    assert statuses[(world.cadre3.id, world.retake_exam.id)] == "in_progress"
    assert statuses[(world.cadre4.id, world.exam.id)] == "in_progress"


# ---- the audit log -------------------------------------------------------------------------

def test_the_audit_log_records_who_started_and_handed_in_with_the_score(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    answer_by_type(db, attempt, clock, {"single": 5, "true_false": 1})
    clock.advance(minutes=10)
    svc.submit_attempt(db, attempt, clock())
    svc.submit_attempt(db, attempt, clock())  # a double click records nothing more
    [start] = events(db, "attempt.start", attempt.id)
    [submitted] = events(db, "attempt.submitted", attempt.id)
    assert (start.user_id, start.at, start.detail) == (
        world.cadre.id, WORLD_TIME, {"attempt_id": attempt.id, "exam_id": world.exam.id})
    assert (submitted.user_id, submitted.at, submitted.detail) == (
        world.cadre.id, clock(), {"attempt_id": attempt.id, "score": "12.00"})


def test_the_audit_log_records_a_server_side_finalization_for_the_examinee(db, world, clock) -> None:
    attempt = svc.open_attempt(db, world.exam.id, world.cadre4.id)
    clock.advance(hours=2)
    svc.finalize_overdue(db, clock(), user_id=world.cadre4.id)
    [expired] = events(db, "attempt.expired", attempt.id)
    assert (expired.user_id, expired.at, expired.detail["score"]) == (world.cadre4.id, clock(), "4.00")
