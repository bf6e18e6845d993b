"""The exam core's less travelled paths: lost races, shuffled fixed papers, the deadline's own
second, and what a paper costs the database."""
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from quizapp.errors import Conflict, NotAllowed, NotFound
from quizapp.models import Attempt
from quizapp.services import attempts as svc
from quizapp.services.exams import create_exam

from ..conftest import recorded_statements
from ..factories import FIXED_CODES, exam_draft


def singles(db, attempt) -> list[str]:
    return [i.version.question.code for i in svc.load_paper(db, attempt) if i.version.qtype == "single"]


def test_shuffling_mixes_the_rules_of_one_type(db, world, clock) -> None:
    # world.exam draws 3 宪法 and 2 民法典 single-choice questions; shuffled, they interleave.
    orders = []
    for seed in range(12):
        attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock(), random.Random(seed))
        orders.append([code[:4] for code in singles(db, attempt)])
        svc.submit_attempt(db, attempt, clock())
        db.get(type(world.exam), world.exam.id).max_attempts += 1
    assert any(order != sorted(order, key=lambda c: c != "TXF-") for order in orders)
    unshuffled = create_exam(db, exam_draft(db, clock(), [world.township], shuffle_questions=False,
                                            shuffle_options=False), world.trainer, clock())
    for seed in range(5):
        attempt = svc.start_attempt(db, unshuffled.id, world.cadre2, clock(), random.Random(seed))
        assert [c[:4] for c in singles(db, attempt)] == ["TXF-"] * 3 + ["TMF-"] * 2
        svc.submit_attempt(db, attempt, clock())
        unshuffled.max_attempts += 1


def test_a_shuffled_fixed_paper_differs_between_examinees(db, world, clock) -> None:
    exam = create_exam(db, exam_draft(db, clock(), [world.township], paper_mode="fixed", fixed_codes=FIXED_CODES,
                                      fixed_points=Decimal(20), pass_mark=Decimal(60)), world.trainer, clock())
    papers = set()
    option_orders = set()
    for n, cadre in enumerate([world.cadre, world.cadre2, world.leader]):
        attempt = svc.start_attempt(db, exam.id, cadre, clock(), random.Random(n + 3))
        items = svc.load_paper(db, attempt)
        papers.add(tuple(i.version.question.code for i in items))
        option_orders.add(tuple(tuple(i.option_order) for i in items))
        assert {i.version.question.code for i in items} == set(FIXED_CODES)
    assert len(papers) > 1 and len(option_orders) > 1


def test_a_tab_that_lost_the_start_race_resumes_the_winners_attempt(db, world, clock, monkeypatch) -> None:
    # The retake exam allows three attempts: only the unique index stops a second open one.
    winner = svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())
    real = svc.open_attempt
    calls = []

    def not_yet_visible(session, exam_id, user_id):
        calls.append((exam_id, user_id))
        return None if len(calls) == 1 else real(session, exam_id, user_id)

    monkeypatch.setattr(svc, "open_attempt", not_yet_visible)
    loser = svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())  # its insert hits the index
    assert loser.id == winner.id and calls == [(world.retake_exam.id, world.cadre.id)] * 2


def test_a_lost_race_with_nothing_to_resume_asks_for_a_refresh(db, world, clock, monkeypatch) -> None:
    svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())
    monkeypatch.setattr(svc, "open_attempt", lambda *args: None)
    with pytest.raises(Conflict) as caught:
        svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())
    assert caught.value.message == "已开始作答，请刷新页面"


def test_messages_for_someone_elses_attempt_and_someone_not_on_the_list(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    with pytest.raises(NotFound, match="^作答记录不存在$"):
        svc.get_own_attempt(db, attempt.id, world.cadre2)
    with pytest.raises(NotAllowed, match="^您不在本次考试的参考范围内$"):
        svc.start_attempt(db, world.exam.id, world.outsider, clock())


def test_at_the_deadline_itself_an_attempt_is_overdue(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    at = attempt.deadline
    assert not svc.has_overdue(db, at - timedelta(microseconds=1), user_id=world.cadre.id)
    assert svc.has_overdue(db, at, user_id=world.cadre.id)
    assert svc.finalize_overdue(db, at, user_id=world.cadre.id) == 1


def test_a_closed_attempt_is_never_overdue_again(db, world, clock) -> None:
    clock.advance(days=1)  # leader handed in long ago; their deadline has passed
    assert not svc.has_overdue(db, clock(), user_id=world.leader.id)
    assert svc.finalize_overdue(db, clock(), user_id=world.leader.id) == 0


def test_ending_an_attempt_twice_ends_it_once(db, world, clock) -> None:
    attempt = svc.open_attempt(db, world.exam.id, world.cadre3.id)
    assert svc.expire_now(db, attempt, clock()) is True
    assert svc.expire_now(db, attempt, clock()) is False
    assert attempt.status == "expired"


def test_an_attempt_in_progress_never_shows_its_key(db, world, clock) -> None:
    attempt = svc.open_attempt(db, world.exam.id, world.cadre3.id)  # review 'immediate'
    clock.advance(days=8)  # the exam has closed, the attempt not yet finalized
    assert svc.review_hidden(db, attempt, clock()) == "after_close"
    assert not svc.can_review(db, attempt, clock())


def test_attempts_allowed_before_the_list_is_taken(db, world, clock) -> None:
    assert svc.attempts_allowed(db, world.upcoming_exam, world.cadre) == 1
    assert svc.attempts_allowed(db, world.retake_exam, world.cadre) == 3


def test_a_paper_loads_in_three_queries(app, db, world, clock) -> None:
    attempt = svc.open_attempt(db, world.exam.id, world.cadre3.id)
    with recorded_statements(app, selects_only=True) as statements:
        items = svc.load_paper(db, attempt)
        touched = [(i.version.stem, i.answer.response if i.answer else None) for i in items]
    assert len(touched) == 9 and [i.position for i in items] == list(range(1, 10))
    assert len(statements) == 3  # the items, their versions, their answers
    assert db.scalar(select(Attempt.status).where(Attempt.id == attempt.id)) == "in_progress"
