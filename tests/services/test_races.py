"""Races the database settles: two tabs submitting at once, two starts at once."""
import threading

import pytest
from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Attempt, AuditEvent, User
from quizapp.services import attempts as svc


@pytest.fixture
def app(live_app):
    """Races need real transactions on separate connections, committed for real."""
    return live_app


@pytest.fixture
def world(live_world):
    return live_world


def run_together(app, work, n: int = 2) -> list[BaseException]:
    """Run `work(session)` in n threads, each with its own transaction, released together."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with app.app_context():
                barrier.wait(5)
                with session_scope(app) as session:
                    work(session)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def test_two_simultaneous_submits_grade_once(app, world, clock) -> None:
    with app.app_context(), session_scope(app) as s:
        attempt_id = svc.start_attempt(s, world.exam.id, s.get(User, world.cadre.id), clock()).id

    def submit(session):
        svc.submit_attempt(session, session.get(Attempt, attempt_id), clock())

    assert run_together(app, submit, 4) == []
    with app.app_context(), session_scope(app) as s:
        graded = [e for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "attempt.submitted"))
                  if e.detail["attempt_id"] == attempt_id]
        assert len(graded) == 1
        assert s.get(Attempt, attempt_id).status == "submitted"


def test_two_simultaneous_starts_make_one_attempt(app, world, clock) -> None:
    started: list[int] = []

    def start(session):
        started.append(svc.start_attempt(session, world.exam.id, session.get(User, world.cadre.id),
                                         clock()).id)

    errors = run_together(app, start, 3)
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(func.count()).select_from(Attempt)
                        .where(Attempt.user_id == world.cadre.id)) == 1
    # Every tab either got the one attempt or was told to refresh; none saw a server error.
    assert all(getattr(e, "message", "") == "已开始作答，请刷新页面" for e in errors), errors
    assert len(set(started)) <= 1 and started


def test_double_tapped_wrong_practice_answers_count_both(app, world, clock) -> None:
    from quizapp.models import Question, WrongBookEntry
    from quizapp.services import practice
    from quizapp.services.bank import current_version

    with app.app_context(), session_scope(app) as s:
        version_id = current_version(s, s.scalar(select(Question).where(Question.code == "TXF-0001"))).id

    def wrong(session):
        practice.answer_question(session, session.get(User, world.cadre.id), version_id, [2], clock())

    assert run_together(app, wrong, 3) == []
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(WrongBookEntry.wrong_count)) == 3


def test_a_reading_page_finalizes_while_others_write(app, client, world, clock) -> None:
    """At the deadline many cadres read their pages while others still save: no 'locked' 500s."""
    from ..conftest import login

    with app.app_context(), session_scope(app) as s:
        svc.start_attempt(s, world.exam.id, s.get(User, world.cadre.id), clock())
        svc.start_attempt(s, world.exam.id, s.get(User, world.cadre2.id), clock())
    login(client, "cadre1")
    clock.advance(minutes=61)

    def other_writer(session):
        svc.finalize_overdue(session, clock(), user_id=world.cadre2.id)

    errors: list[BaseException] = []
    writer = threading.Thread(target=lambda: errors.extend(run_together(app, other_writer, 1)))
    writer.start()
    page = client.get("/exams")
    writer.join(30)
    assert errors == [] and page.status_code == 200 and "已完成" in page.text


def _bank_record(session, code: str, **changes):
    from dataclasses import replace

    from quizapp.services import bank_versions
    return replace(bank_versions.record_of(bank_versions.latest(session, bank_versions.get_question(session, code))),
                   **changes)


def test_two_trainers_saving_one_question_at_once_one_is_told_it_changed(app, world, clock) -> None:
    """Both opened version 1; the first save makes version 2 and the second is refused with the
    stale-version message, never a server error (on PostgreSQL the second used to hit the unique
    version number)."""
    from quizapp.db import write_intent
    from quizapp.errors import Conflict
    from quizapp.models import Question, QuestionVersion
    from quizapp.services import bank_versions

    first_saved, outcome = threading.Event(), []

    def second_editor() -> None:
        with app.app_context(), write_intent():
            try:
                with session_scope(app) as session:
                    q = bank_versions.get_question(session, "TXF-0003")
                    first_saved.wait(5)
                    bank_versions.edit_question(session, q, _bank_record(session, "TXF-0003", difficulty=1), 1,
                                                session.get(User, world.trainer.id), clock(), [], False)
                    outcome.append("saved")
            except Conflict as refused:
                outcome.append(refused.message)

    other = threading.Thread(target=second_editor)
    with app.app_context(), write_intent():
        with session_scope(app) as session:
            q = bank_versions.get_question(session, "TXF-0003")
            if app.config["DATABASE_URL"].startswith("postgresql"):
                other.start()  # it reads version 1 now, then waits below for this save
            bank_versions.edit_question(session, q, _bank_record(session, "TXF-0003", difficulty=3), 1,
                                        session.get(User, world.trainer.id), clock(), [], False)
            first_saved.set()
            threading.Event().wait(0.3)  # the second editor is now waiting on this transaction
        if not other.is_alive() and not outcome:
            other.start()  # SQLite: one writer at a time, the second starts after the first
    other.join(30)
    assert outcome == ["这道题已被他人修改（现为第 2 版，您编辑的是第 1 版），请刷新后在最新版本上修改"]
    with app.app_context(), session_scope(app) as s:
        q = s.scalar(select(Question).where(Question.code == "TXF-0003"))
        assert q.latest_version == 2
        assert s.scalar(select(QuestionVersion.difficulty).where(
            QuestionVersion.question_id == q.id, QuestionVersion.version_no == 2)) == 3


def test_two_trainers_adding_to_one_topic_at_once_get_different_codes(app, world, clock) -> None:
    from quizapp.db import write_intent
    from quizapp.domain.questions import QuestionDraft, validate
    from quizapp.services import bank_versions

    checked = validate(QuestionDraft("宪法", "true_false", "宪法是国家的根本法，具有最高的法律效力。", (), "true",
                                     "宪法序言规定本宪法是国家的根本法，具有最高的法律效力。",
                                     ({"law": "宪法", "article": "序言", "quote": "是国家的根本法，具有最高的法律效力"},), 1))
    assert checked.record is not None
    codes: list[str] = []

    def add(session):
        with write_intent():
            codes.append(bank_versions.add_question(session, checked.record, session.get(User, world.trainer.id),
                                                    clock(), [], False).code)

    assert run_together(app, add, 3) == []
    assert sorted(codes) == ["TXF-0009", "TXF-0010", "TXF-0011"]
