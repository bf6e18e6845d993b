"""The report reads one moment of the database on two connections: the topics and the item
analysis, summed in a thread, describe the same answer sheets as the people's figures, even when
a cadre submits while the report is being made. Real commits, on both databases."""
import threading

import pytest
from sqlalchemy import select

from quizapp.db import read_scope, session_scope, write_intent
from quizapp.models import Attempt, OrgUnit, User
from quizapp.services import report as report_service
from quizapp.services.attempts import submit_attempt
from quizapp.services.statistics import item_totals, question_analysis, topic_mastery
from quizapp.snapshot import twin_session


@pytest.fixture
def app(live_app):
    return live_app


def township_report(app, session, clock):
    township = session.get(OrgUnit, app.extensions["quizapp.test_world"].by_name["township"])
    return report_service.build_report(session, township, 2026, clock())


def submit_half_done_paper(app, clock) -> None:
    """cadre4 hands in the paper they are half-way through, committed by another connection."""
    cadre4 = app.extensions["quizapp.test_world"].by_name["cadre4"]
    with session_scope(app) as session:
        attempt = session.scalars(select(Attempt).where(Attempt.user_id == cadre4,
                                                        Attempt.status == "in_progress")).one()
        submit_attempt(session, attempt, clock())


def test_the_twin_sees_what_the_first_session_sees_and_not_later_commits(app, live_world) -> None:
    with app.app_context(), read_scope(app) as session:
        twin = twin_session(session)
        assert twin is not None
        try:
            with session_scope(app) as other:
                other.get(User, live_world.cadre.id).full_name = "改过的名字"
            for reader in (session, twin):
                assert reader.scalar(select(User.full_name).where(User.id == live_world.cadre.id)) == "用户cadre1"
        finally:
            twin.close()
    with read_scope(app) as later:
        assert later.get(User, live_world.cadre.id).full_name == "改过的名字"


def test_a_paper_submitted_while_the_report_is_made_is_in_neither_half(app, clock, monkeypatch) -> None:
    threads: list[str] = []
    real_collect, real_item_figures = report_service.collect, report_service._item_figures

    def collect_after_a_submission(session, *args):  # the twin's snapshot is taken by now
        submit_half_done_paper(app, clock)
        return real_collect(session, *args)

    def item_figures_noting_the_thread(*args):
        threads.append(threading.current_thread().name)
        return real_item_figures(*args)

    monkeypatch.setattr(report_service, "collect", collect_after_a_submission)
    monkeypatch.setattr(report_service, "_item_figures", item_figures_noting_the_thread)
    with app.app_context(), read_scope(app) as session:
        during = township_report(app, session, clock)
        assert during.overall.taken == 1  # leader's paper only, as before the submission
        assert {t.topic: t.answered for t in during.topics} == {"宪法": 7, "民法典": 2}
    assert threads and threads[0].startswith("report-items")  # summed beside, on the twin

    monkeypatch.setattr(report_service, "collect", real_collect)
    with read_scope(app) as session:
        after = township_report(app, session, clock)
        assert after.overall.taken == 2  # now in both halves
        assert sum(t.answered for t in after.topics) > 9
        totals = item_totals(session, [e.id for e in after.collected.exams])  # again, on one connection
        assert after.topics == topic_mastery(totals)
        assert after.questions == question_analysis(session, totals)


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)  # PostgreSQL writers need no lock
def test_no_twin_inside_a_sqlite_writer(app) -> None:
    with app.app_context(), write_intent():
        session = app.extensions["quizapp.sessionmaker"]()
        try:
            assert twin_session(session) is None  # its BEGIN IMMEDIATE would wait on the lock
        finally:
            session.close()
