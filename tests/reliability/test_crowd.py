"""200 examinees at once on a real server: every acknowledged answer kept, every attempt graded once.

Each simulated examinee (a thread with its own cookies) logs in, starts the exam, answers every
question of their paper (two of them changed twice), and submits; one in ten submits twice at the
same moment (a double click, two tabs). Afterwards the database holds exactly the answers the
server acknowledged, each attempt is graded exactly once, and the score each result page shows
is what those answers deserve. Loopback only; no timing is asserted.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from random import Random

from flask import Flask
from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Attempt

from .conftest import Cohort, add_cohort, attempt_facts, same_answer, some_answer
from .servers import Examinee

EXAMINEES = 200
CHANGED_TWICE = 1  # questions per paper answered three times in all
RETRIES = 5  # a save that was not acknowledged is sent again, as the exam page does


@dataclass
class Run:
    username: str
    attempt_id: int = 0
    acknowledged: dict[int, object] = field(default_factory=dict)
    saves: int = 0
    not_acknowledged: list[str] = field(default_factory=list)
    shown_score: str = ""
    error: str = ""


def take_exam(base: str, cohort: Cohort, run: Run, seed: int) -> None:
    try:
        rng = Random(seed)
        examinee = Examinee(base, run.username, "secret123")
        examinee.log_in()
        run.attempt_id = examinee.start(cohort.exam_id)
        paper = examinee.open_paper(run.attempt_id)
        changed = rng.sample(paper, CHANGED_TWICE)
        for item in [*paper, *changed, *changed]:
            answer = some_answer(item, rng)
            for _ in range(RETRIES):
                reply = examinee.save(run.attempt_id, item.item_id, answer)
                if reply.status == 200:
                    run.acknowledged[item.item_id] = answer
                    run.saves += 1
                    break
                run.not_acknowledged.append(f"{reply.status} {reply.text[:200]}")
        if seed % 10 == 0:  # a double click: two submits at the same moment
            twin = Examinee(base, run.username, "secret123", jar=examinee.jar)
            twin.csrf = examinee.csrf
            replies: list[int] = []
            both = [threading.Thread(target=lambda e=e: replies.append(e.submit(run.attempt_id).status))
                    for e in (examinee, twin)]
            for t in both:
                t.start()
            for t in both:
                t.join()
            assert replies == [302, 302], replies
        else:
            assert examinee.submit(run.attempt_id).status == 302
        run.shown_score = examinee.result_score(run.attempt_id)
    except Exception as exc:  # reported by the test
        run.error = f"{type(exc).__name__}: {exc}"


def attempts_per_person(app: Flask, exam_id: int) -> list[int]:
    with app.app_context(), session_scope(app) as session:
        return list(session.scalars(select(func.count()).select_from(Attempt)
                                    .where(Attempt.exam_id == exam_id).group_by(Attempt.user_id)))


def test_200_examinees_at_once(live_app, servers) -> None:
    cohort = add_cohort(live_app, EXAMINEES, "考生")
    server = servers()
    runs = [Run(username) for username in cohort.usernames]
    threads = [threading.Thread(target=take_exam, args=(server.url, cohort, run, n))
               for n, run in enumerate(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)

    assert [f"{r.username}: {r.error}" for r in runs if r.error] == []
    assert attempts_per_person(live_app, cohort.exam_id) == [1] * EXAMINEES

    found = graded_once = 0
    every = attempt_facts(live_app, [run.attempt_id for run in runs])
    for run in runs:
        result = every[run.attempt_id]
        assert result.answers.keys() == run.acknowledged.keys(), run.username
        for item_id, answer in run.acknowledged.items():
            assert same_answer(result.answers[item_id], answer), (run.username, item_id)
            found += 1
        assert result.status == "submitted" and result.gradings == 1, (run.username, result.status, result.gradings)
        graded_once += 1
        deserved = result.deserved(run.acknowledged)
        assert result.score == deserved == result.earned_total == Decimal(run.shown_score), run.username
        assert result.passed == (deserved >= cohort.pass_mark)

    saves = sum(r.saves for r in runs)
    refused = [m for r in runs for m in r.not_acknowledged]
    print(f"\n[{EXAMINEES} examinees / {live_app.config['DATABASE_URL'].split(':')[0]}] "
          f"{saves} saves acknowledged, {len(refused)} not acknowledged (sent again); "
          f"{sum(len(r.acknowledged) for r in runs)} final answers acknowledged, {found} found; "
          f"{graded_once} attempts graded exactly once")
    assert refused == []
