"""Two app servers on one database serve one exam: a cadre who moves between them (as a load
balancer may send them) keeps the session and every answer.

Both servers are gunicorn processes on their own loopback ports with the same SECRET_KEY, as two
machines behind nginx would be. Cookies are per host, not per port, so the browser's one cookie
jar carries the session from one to the other.
"""
from __future__ import annotations

import random
from decimal import Decimal

from .conftest import add_cohort, facts, same_answer, some_answer
from .servers import Examinee


def test_a_cadre_moving_between_two_servers_keeps_session_and_answers(live_app, servers) -> None:
    cohort = add_cohort(live_app, 3, "双机")
    first, second = servers("first"), servers("second")
    rng = random.Random(3)
    for n, username in enumerate(cohort.usernames):
        cadre = Examinee(first.url, username, "secret123")
        cadre.log_in()
        attempt_id = cadre.start(cohort.exam_id)
        paper = cadre.open_paper(attempt_id)
        acknowledged: dict[int, object] = {}
        # Alternate servers for every save; each reply is acknowledged by the server it came from.
        for k, item in enumerate(paper):
            cadre.base = (first if (k + n) % 2 == 0 else second).url
            answer = some_answer(item, rng)
            reply = cadre.save(attempt_id, item.item_id, answer)
            assert reply.status == 200, (cadre.base, reply.status, reply.text[:200])
            acknowledged[item.item_id] = answer
        # Each server shows every answer, whichever server took it.
        for server in (first, second):
            cadre.base = server.url
            shown = {int(k): v for k, v in cadre.state(attempt_id)["answers"].items()}
            assert shown.keys() == acknowledged.keys()
            assert all(same_answer(shown[k], acknowledged[k]) for k in acknowledged)
        cadre.base = second.url
        reply = cadre.submit(attempt_id)
        assert reply.status == 302 and reply.location.endswith(f"/attempts/{attempt_id}/result")
        cadre.base = first.url
        score = cadre.result_score(attempt_id)
        result = facts(live_app, attempt_id)
        assert result.status == "submitted" and result.gradings == 1
        assert result.answers.keys() == acknowledged.keys()
        assert all(same_answer(result.answers[k], acknowledged[k]) for k in acknowledged)
        assert Decimal(score) == result.score == result.deserved(acknowledged)
