"""Races the database settles: two tabs submitting at once, two starts at once."""
import threading

from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Attempt, AuditEvent, User
from quizapp.services import attempts as svc


def run_together(app, work, n: int = 2) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """Run `work(session)` in n threads, each with its own transaction, released together."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with app.app_context():
                barrier.wait(5)
                with session_scope(app) as session:
                    work(session)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def test_two_simultaneous_submits_grade_once(app, world, clock) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope(app) as s:
        attempt_id = svc.start_attempt(s, world.exam.id, s.get(User, world.cadre.id), clock()).id

    def submit(session):  # type: ignore[no-untyped-def]
        svc.submit_attempt(session, session.get(Attempt, attempt_id), clock())

    assert run_together(app, submit, 4) == []
    with app.app_context(), session_scope(app) as s:
        graded = s.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "attempt.submitted"))
        assert graded == 1
        assert s.get(Attempt, attempt_id).status == "submitted"


def test_two_simultaneous_starts_make_one_attempt(app, world, clock) -> None:  # type: ignore[no-untyped-def]
    started: list[int] = []

    def start(session):  # type: ignore[no-untyped-def]
        started.append(svc.start_attempt(session, world.exam.id, session.get(User, world.cadre.id),
                                         clock()).id)

    errors = run_together(app, start, 3)
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(func.count()).select_from(Attempt)) == 1
    # Every tab either got the one attempt or was told to refresh; none saw a server error.
    assert all(getattr(e, "message", "") == "已开始作答，请刷新页面" for e in errors), errors
    assert len(set(started)) <= 1 and started
