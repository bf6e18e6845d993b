"""When a finished attempt's key may be shown, and other paths of taking an exam the main tests
do not walk."""
from datetime import timedelta

from sqlalchemy import select

from quizapp.models import Attempt
from quizapp.services import attempts as svc


def test_a_finished_attempt_with_no_retries_left_shows_its_key_at_once(db, world, clock) -> None:
    # world.exam: review immediate, one attempt; the leader has handed in.
    finished = db.scalar(select(Attempt).where(Attempt.exam_id == world.exam.id, Attempt.user_id == world.leader.id))
    assert finished.status == "submitted"
    assert svc.review_hidden(db, finished, clock()) is None
    assert svc.can_review(db, finished, clock())


def test_after_close_review_waits_for_the_close(db, world, clock) -> None:
    exam = world.fixed_exam  # review after close, two attempts
    attempt = svc.start_attempt(db, exam.id, world.cadre, clock())
    svc.submit_attempt(db, attempt, clock())
    assert not svc.can_review(db, attempt, clock())
    assert svc.review_hidden(db, attempt, clock()) == "after_close"
    clock.current = exam.closes_at
    assert svc.can_review(db, attempt, clock())
    assert not svc.can_review(db, attempt, clock() - timedelta(seconds=1))
