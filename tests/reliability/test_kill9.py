"""No lost answer: what the server acknowledged survives kill -9 of gunicorn and a restart.

Several cadres answer from threads, one request at a time each (as the exam page does); in the
middle, master and workers are killed with SIGKILL. After a restart every answer the client got
HTTP 200 for is in the database, the latest acknowledged value per question, and the cadres carry
on with the cookies they had: their saved answers are on the page, and the submitted score is right.
"""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from .conftest import add_cohort, attempt_facts, facts, same_answer, some_answer
from .servers import Examinee, PaperItem, ServerDown

CADRES = 6
ACKS_BEFORE_KILL = 90  # the kill comes when this many answers have been acknowledged in all


@dataclass
class Answering:
    """One cadre's browser: what the server acknowledged, and the one save in flight, if any."""

    examinee: Examinee
    attempt_id: int
    paper: list[PaperItem]
    acknowledged: dict[int, object] = field(default_factory=dict)
    in_flight: tuple[int, object] | None = None
    saves: int = 0
    refused: list[str] = field(default_factory=list)  # a save answered with anything but 200


def keep_answering(who: Answering, seed: int, acked: list[int], lock: threading.Lock,
                   stop: threading.Event) -> None:
    rng = random.Random(seed)
    # The whole paper in order first, then changes here and there.
    order = [*who.paper, *(rng.choice(who.paper) for _ in range(10_000))]
    for item in order:
        if stop.is_set():
            return
        answer = some_answer(item, rng)
        who.in_flight = (item.item_id, answer)
        try:
            reply = who.examinee.save(who.attempt_id, item.item_id, answer)
        except ServerDown:
            return  # killed: this save may or may not have been committed
        if reply.status != 200:
            who.refused.append(f"{reply.status} {reply.text[:200]}")
            return
        who.acknowledged[item.item_id] = answer
        who.in_flight = None
        who.saves += 1
        with lock:
            acked[0] += 1


def test_acknowledged_answers_survive_kill_9_and_restart(live_app, servers) -> None:
    cohort = add_cohort(live_app, CADRES, "断电")
    server = servers()
    cadres = []
    for username in cohort.usernames:
        examinee = Examinee(server.url, username, "secret123")
        examinee.log_in()
        attempt_id = examinee.start(cohort.exam_id)
        cadres.append(Answering(examinee, attempt_id, examinee.open_paper(attempt_id)))

    acked, lock, stop = [0], threading.Lock(), threading.Event()
    threads = [threading.Thread(target=keep_answering, args=(who, n, acked, lock, stop))
               for n, who in enumerate(cadres)]
    for t in threads:
        t.start()
    while acked[0] < ACKS_BEFORE_KILL and any(t.is_alive() for t in threads):
        threading.Event().wait(0.01)
    server.kill()  # kill -9 of master and workers while the threads are saving
    stop.set()
    for t in threads:
        t.join(60)
    assert acked[0] >= ACKS_BEFORE_KILL
    assert [who.refused for who in cadres if who.refused] == []

    server.start()  # the same database, the same port
    found = lost = unacked_kept = 0
    after_restart = attempt_facts(live_app, [who.attempt_id for who in cadres])
    for who in cadres:
        in_db = after_restart[who.attempt_id].answers
        for item in who.paper:
            have, want = in_db.get(item.item_id), who.acknowledged.get(item.item_id)
            if want is None and have is None:
                continue  # never answered
            if want is not None and have is not None and same_answer(have, want):
                found += 1
            elif who.in_flight is not None and who.in_flight[0] == item.item_id and (
                    have is not None and same_answer(have, who.in_flight[1])):
                unacked_kept += 1  # the save cut off by the kill was committed, its reply lost
            else:
                lost += 1
                raise AssertionError(f"{who.examinee.username} 第 {item.item_id} 题：确认保存的是 {want}，"
                                     f"数据库里是 {have}")
    acknowledged = sum(len(who.acknowledged) for who in cadres)
    print(f"\n[kill -9 / {live_app.config['DATABASE_URL'].split(':')[0]}] "
          f"{acked[0]} saves acknowledged before the kill on {acknowledged} questions; "
          f"found {found}, lost {lost}, in-flight save committed without reply {unacked_kept}")
    assert lost == 0

    # The cadres carry on after the restart with the cookies they had: the page shows their
    # answers, one more answer is taken, and the score is what those answers deserve.
    for who in cadres:
        state = who.examinee.state(who.attempt_id)
        shown = {int(k): v for k, v in state["answers"].items()}
        assert state["status"] == "in_progress"
        saved = after_restart[who.attempt_id].answers
        assert shown.keys() == saved.keys()
        assert all(same_answer(shown[k], saved[k]) for k in saved)
        item = who.paper[0]
        answer = some_answer(item, random.Random(7))
        assert who.examinee.save(who.attempt_id, item.item_id, answer).status == 200
        reply = who.examinee.submit(who.attempt_id)
        assert reply.status == 302 and reply.location.endswith(f"/attempts/{who.attempt_id}/result")
        shown_score = Decimal(who.examinee.result_score(who.attempt_id))
        result = facts(live_app, who.attempt_id)
        assert result.status == "submitted" and result.gradings == 1
        assert same_answer(result.answers[item.item_id], answer)
        assert shown_score == result.score == result.deserved({**saved, item.item_id: answer})
