"""Reliability tests: real gunicorn servers on loopback over the suite's live databases.

`live_app` (tests/conftest.py) gives each test a committed database of its own, SQLite or
PostgreSQL, with the county built at clock(); here the clock is real time, because the servers
run in other processes on the real clock. Tests add a cohort of cadres and an exam for them,
then start servers on that database with `servers()`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from random import Random

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.clock import utcnow
from quizapp.db import session_scope
from quizapp.domain.grading import displayed_from_response
from quizapp.domain.vocab import UnitKind
from quizapp.models import Attempt, AttemptItem, AuditEvent
from quizapp.services import accounts
from quizapp.services.exams import create_exam
from quizapp.services.units import create_unit

from ..factories import PASSWORD, exam_draft, load_world, right_answer
from .servers import AppServer, PaperItem


@pytest.fixture
def clock() -> Callable[[], datetime]:  # overrides the suite's frozen clock: servers run in real time
    return utcnow


@pytest.fixture
def servers(live_app: Flask, tmp_path: Path) -> Iterator[Callable[..., AppServer]]:
    """Start gunicorn servers on the test's live database; all are stopped at the end."""
    started: list[AppServer] = []

    def start(name: str = "app", port: int | None = None) -> AppServer:
        server = AppServer(live_app.config["DATABASE_URL"], tmp_path, name, port)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@dataclass(frozen=True)
class Cohort:
    exam_id: int
    usernames: list[str]
    total_points: Decimal
    pass_mark: Decimal


def add_cohort(app: Flask, count: int, name: str) -> Cohort:
    """`count` cadres in a village of their own under 示例乡, and an open exam (9 questions,
    20 points, 2 hours) assigned to that village only."""
    now = utcnow()
    with app.app_context(), session_scope(app) as session:
        world = load_world(session, app.extensions["quizapp.test_world"])
        unit = create_unit(session, f"{name}村", world.township, UnitKind.VILLAGE)
        usernames = [f"{name}{n:03d}" for n in range(1, count + 1)]
        for username in usernames:
            accounts.create_user(session, username=username, password=PASSWORD,
                                 full_name=f"干部{username}", unit=unit, role="cadre", now=now,
                                 must_change_password=False)
        exam = create_exam(session, exam_draft(session, now, [unit], title=f"{name}学法考试",
                                               duration_minutes=120), world.trainer, now)
        return Cohort(exam.id, usernames, exam.total_points, exam.pass_mark)


@dataclass(frozen=True)
class ItemFacts:
    """One question of an attempt as the database holds it, in the examinee's displayed terms."""

    item_id: int
    points: Decimal
    earned: Decimal | None
    answer: object | None  # None: no answer saved
    key: object  # the right answer, as the paper shows it


@dataclass(frozen=True)
class AttemptFacts:
    attempt_id: int
    status: str
    score: Decimal | None
    passed: bool | None
    gradings: int  # audit events that record a grading of this attempt
    items: list[ItemFacts]

    @property
    def answers(self) -> dict[int, object]:
        return {i.item_id: i.answer for i in self.items if i.answer is not None}

    def deserved(self, answers: dict[int, object]) -> Decimal:
        """What these answers are worth, all-or-nothing per question (the exams here score so)."""
        return sum((i.points for i in self.items
                    if i.item_id in answers and same_answer(answers[i.item_id], i.key)), Decimal(0))

    @property
    def earned_total(self) -> Decimal:
        return sum((i.earned or Decimal(0) for i in self.items), Decimal(0))


def attempt_facts(app: Flask, attempt_ids: list[int]) -> dict[int, AttemptFacts]:
    """Answers, grading and answer key of these attempts, read in a few queries."""
    with app.app_context(), session_scope(app) as session:
        items = session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id.in_(attempt_ids))
            .options(selectinload(AttemptItem.version), selectinload(AttemptItem.answer))
            .order_by(AttemptItem.attempt_id, AttemptItem.position)).all()
        attempts = {a.id: a for a in session.scalars(select(Attempt).where(Attempt.id.in_(attempt_ids)))}
        gradings: dict[int, int] = {}
        for detail in session.scalars(select(AuditEvent.detail).where(
                AuditEvent.action.in_(["attempt.submitted", "attempt.expired"]))):
            attempt_id = (detail or {}).get("attempt_id")
            gradings[attempt_id] = gradings.get(attempt_id, 0) + 1
        per_attempt: dict[int, list[ItemFacts]] = {a: [] for a in attempt_ids}
        for item in items:
            v = item.version
            answer = (displayed_from_response(v.qtype, item.option_order, item.answer.response)
                      if item.answer is not None else None)
            per_attempt[item.attempt_id].append(
                ItemFacts(item.id, item.points, item.earned, answer, right_answer(item)))
        return {a: AttemptFacts(a, attempts[a].status, attempts[a].score, attempts[a].passed,
                                gradings.get(a, 0), per_attempt[a]) for a in attempt_ids}


def facts(app: Flask, attempt_id: int) -> AttemptFacts:
    return attempt_facts(app, [attempt_id])[attempt_id]


def same_answer(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return a == b


def some_answer(item: PaperItem, rng: Random) -> object:
    """Any answer a cadre could click: a truth value, one option, or one or more options."""
    if item.qtype == "true_false":
        return rng.random() < 0.5
    if item.qtype == "single":
        return [rng.randrange(item.options)]
    return sorted(rng.sample(range(item.options), rng.randint(1, item.options)))
