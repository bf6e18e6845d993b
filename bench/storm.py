"""A 集中测试 and a county's exam window against quizapp under gunicorn (issue 11, targets 2–4).

Storm: N cadres log in and start a 50-question paper within the first S seconds, answer with
think time, change some answers, and submit within the last L seconds of the window. County:
K attempts already in progress, each saving every P seconds for D seconds (the logins happened
before the window: the bench signs their session cookies with the app's key instead of spending
K scrypt hashes). Both report p50/p95/p99 per endpoint, errors, and lost answers: acknowledged
saves whose answer is not in the database afterwards (or is older than the acknowledgement).

    .venv/bin/python bench/storm.py --quick                 # compressed, a few minutes (make bench)
    .venv/bin/python bench/storm.py                         # 500 cadres / 5,000 attempts × 10 min
    .venv/bin/python bench/storm.py --quick --db postgres   # a throwaway PostgreSQL (fsync on)

The client runs on the same cores as the server: its own CPU shows up in the server's latencies.
Targets: 0 errors, 0 lost; p99 login + start < 2 s, submit < 1 s, save < 200 ms.
"""
from __future__ import annotations

import argparse
import heapq
import http.client
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world import ROOT, STORM_TITLE, USER_AGENT, Browser, databases, gunicorn, prepare_quizapp


@dataclass(frozen=True)
class Profile:
    cadres: int  # storm
    login_window_s: float
    exam_window_s: float
    submit_window_s: float
    attempts: int  # county
    save_every_s: float
    county_s: float


QUICK = Profile(cadres=100, login_window_s=20, exam_window_s=100, submit_window_s=20,
                attempts=1000, save_every_s=4, county_s=60)
FULL = Profile(cadres=500, login_window_s=60, exam_window_s=600, submit_window_s=60,
               attempts=5000, save_every_s=20, county_s=600)
TARGETS_MS = {"login": 2000, "start": 2000, "save": 200, "submit": 1000}


class Tally:
    """Latencies per endpoint, errors, and the acknowledged saves (attempt → item → saved_at)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acked: dict[int, dict[int, str]] = defaultdict(dict)

    def timed(self, endpoint: str, started: float) -> None:
        with self.lock:
            self.ms[endpoint].append((time.perf_counter() - started) * 1000)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what[:200])

    def report(self) -> dict:
        out: dict = {"errors": len(self.errors), "first_errors": self.errors[:5]}
        for endpoint, values in sorted(self.ms.items()):
            q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
            out[endpoint] = {"n": len(values), "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1),
                             "p99_ms": round(q[98], 1), "max_ms": round(max(values), 1)}
        return out


def answer_for(qtype: str, rng: random.Random) -> object:
    if qtype == "true_false":
        return rng.random() < 0.5
    if qtype == "single":
        return [rng.randrange(4)]
    return sorted(rng.sample(range(4), rng.randint(2, 3)))


def cadre_day(base: str, username: str, exam_id: int, t0: float, p: Profile, tally: Tally, seed: int) -> None:
    """One cadre of the storm: arrive, log in, start, answer with think time, submit."""
    rng = random.Random(seed)
    time.sleep(max(0.0, t0 + rng.uniform(0, p.login_window_s) - time.time()))
    b = Browser(base, username)
    try:
        started = time.perf_counter()
        b.login()
        tally.timed("login", started)
        started = time.perf_counter()
        b.start(exam_id)  # the exam's page, 开始答题, the paper's page
        tally.timed("start", started)
    except Exception as exc:  # counted; the bench goes on
        tally.error(f"{username} login/start: {exc}")
        return
    submit_at = t0 + p.exam_window_s - rng.uniform(0, p.submit_window_s)
    plan = [(item, qtype) for item, qtype in b.items]
    plan += rng.sample(plan, max(1, len(plan) // 10))  # changes of mind
    think = max(0.0, (submit_at - time.time()) / (len(plan) + 1))
    for item, qtype in plan:
        time.sleep(rng.uniform(0.5, 1.5) * think)
        started = time.perf_counter()
        try:
            status, text = b.save(item, answer_for(qtype, rng))
        except Exception as exc:  # counted; the bench goes on
            tally.error(f"{username} save: {exc}")
            continue
        tally.timed("save", started)
        if status != 200:
            tally.error(f"{username} save {status}: {text[:80]}")
            continue
        with tally.lock:
            tally.acked[b.attempt_id][item] = json.loads(text)["saved_at"]
    time.sleep(max(0.0, submit_at - time.time()))
    started = time.perf_counter()
    status, url = b.submit()
    tally.timed("submit", started)
    if "/result" not in url:
        tally.error(f"{username} submit {status} {url}")


def storm(base: str, exam_id: int, usernames: list[str], p: Profile) -> Tally:
    tally = Tally()
    t0 = time.time() + 1
    threads = [threading.Thread(target=cadre_day, args=(base, u, exam_id, t0, p, tally, n), daemon=True)
               for n, u in enumerate(usernames)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(p.exam_window_s + 300)
    return tally


def signed_in_attempts(url: str, usernames: list[str], exam_id: int) -> list[dict]:
    """Start the county's attempts in-process and sign each cadre's session cookie (as if they
    had logged in before the window): cookie, CSRF token, attempt id and items per cadre."""
    from flask import g, session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from quizapp import create_app
    from quizapp.clock import utcnow
    from quizapp.db import session_scope
    from quizapp.models import User
    from quizapp.services.attempts import load_paper, start_attempt

    app = create_app(DATABASE_URL=url, SECRET_KEY="bench")
    signer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    out = []
    with app.app_context():
        for chunk in range(0, len(usernames), 200):
            with session_scope(app) as s:
                for name in usernames[chunk:chunk + 200]:
                    user = s.scalar(select(User).where(User.username == name))
                    attempt = start_attempt(s, exam_id, user, utcnow())
                    s.flush()
                    items = [(i.id, i.version.qtype) for i in load_paper(s, attempt)]
                    with app.test_request_context(headers={"User-Agent": USER_AGENT},
                                                  environ_base={"REMOTE_ADDR": "127.0.0.1"}):
                        login_user(user)
                        g.pop("csrf_token", None)  # Flask-WTF caches the token on g, shared here
                        token = generate_csrf()
                        cookie = signer.dumps(dict(session))
                    out.append({"cookie": f"session={cookie}", "token": token, "attempt": attempt.id, "items": items})
    app.extensions["quizapp.engine"].dispose()
    return out


def county(base: str, sessions: list[dict], p: Profile, workers: int = 48) -> tuple[Tally, float]:
    """Each attempt saves every `save_every_s` from a random phase; a pool of keep-alive
    connections sends what is due. Returns the tally and the saves per second achieved."""
    tally = Tally()
    rng = random.Random(5000)
    start = time.time() + 1
    due = [(start + rng.uniform(0, p.save_every_s), n) for n in range(len(sessions))]
    heapq.heapify(due)
    lock, end = threading.Lock(), start + p.county_s
    host, port = base.removeprefix("http://").split(":")
    late: list[float] = []

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        wrng = random.Random()
        while True:
            with lock:
                at, n = heapq.heappop(due)
                if at >= end:
                    heapq.heappush(due, (at, n))
                    return
                heapq.heappush(due, (at + p.save_every_s, n))
            time.sleep(max(0.0, at - time.time()))
            late.append(time.time() - at)
            s = sessions[n]
            item, qtype = wrng.choice(s["items"])
            body = json.dumps({"item_id": item, "answer": answer_for(qtype, wrng)})
            started = time.perf_counter()
            try:
                conn.request("POST", f"/api/attempts/{s['attempt']}/answers", body, {
                    "Content-Type": "application/json", "Cookie": s["cookie"], "X-CSRFToken": s["token"],
                    "User-Agent": USER_AGENT})
                resp = conn.getresponse()
                text = resp.read().decode()
            except Exception as exc:  # counted; the bench goes on
                tally.error(f"save: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                continue
            tally.timed("save", started)
            if resp.status != 200:
                tally.error(f"save {resp.status}: {text[:80]}")
                continue
            with tally.lock:
                tally.acked[s["attempt"]][item] = json.loads(text)["saved_at"]

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(p.county_s + 120)
    saves = len(tally.ms["save"])
    elapsed = time.time() - start  # longer than county_s when the server (or client) fell behind
    if late:
        late.sort()
        print(f"  client lateness p50 {late[len(late) // 2]:.2f} s, p99 {late[int(len(late) * 0.99)]:.2f} s")
    return tally, saves / elapsed


def lost_answers(url: str, tally: Tally) -> int:
    """Acknowledged saves whose answer is missing from the database or older than the ack."""
    from sqlalchemy import create_engine, select

    from quizapp.models import Answer, AttemptItem

    engine = create_engine(url)
    lost = 0
    with engine.connect() as conn:
        rows = conn.execute(select(AttemptItem.attempt_id, Answer.attempt_item_id, Answer.saved_at)
                            .join(Answer, Answer.attempt_item_id == AttemptItem.id)).all()
    engine.dispose()
    stored = {(a, i): saved.isoformat(timespec="milliseconds") + "Z" for a, i, saved in rows}
    for attempt_id, items in tally.acked.items():
        for item_id, saved_at in items.items():
            if stored.get((attempt_id, item_id), "") < saved_at:
                lost += 1
    return lost


def run(kind: str, p: Profile, parts: list[str]) -> dict:
    results: dict = {"database": kind}
    with tempfile.TemporaryDirectory(prefix="quizapp-storm-") as tmp, databases(kind, Path(tmp)) as (url, _):
        extra = max(p.cadres, p.attempts if "county" in parts else 0)
        usernames = prepare_quizapp(url, extra_cadres=extra, storm_exam=True)
        from sqlalchemy import create_engine, text

        from quizapp.clock import utcnow

        engine = create_engine(url)
        with engine.connect() as conn:
            storm_exam = conn.execute(text("SELECT id FROM exams WHERE title = :t"), {"t": STORM_TITLE}).scalar_one()
            county_exam = conn.execute(text("SELECT min(id) FROM exams WHERE closes_at > :now"),
                                       {"now": utcnow()}).scalar_one()
        engine.dispose()
        bench_cadres = [u for u in usernames if u.startswith("bc")]
        county_sessions = []
        if "county" in parts:  # before the server starts: the in-process writes need the lock
            print(f"[{kind}] starting {p.attempts} attempts in-process …", flush=True)
            county_sessions = signed_in_attempts(url, bench_cadres[:p.attempts], county_exam)
        with gunicorn("quizapp:create_app()", {"DATABASE_URL": url, "SECRET_KEY": "bench"}) as base:
            if "storm" in parts:
                print(f"[{kind}] storm: {p.cadres} cadres …", flush=True)
                tally = storm(base, storm_exam, bench_cadres[:p.cadres], p)
                results["storm"] = tally.report() | {"lost": lost_answers(url, tally)}
            if "county" in parts:
                print(f"[{kind}] county: {p.attempts} attempts, a save each {p.save_every_s} s …", flush=True)
                tally, rate = county(base, county_sessions, p)
                results["county"] = tally.report() | {"lost": lost_answers(url, tally),
                                                      "saves_per_s": round(rate, 1),
                                                      "target_saves_per_s": round(p.attempts / p.save_every_s, 1)}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the compressed profile (make bench)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--only", choices=["storm", "county"], help="one part only")
    args = parser.parse_args()
    p = QUICK if args.quick else FULL
    parts = [args.only] if args.only else ["storm", "county"]
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    all_results = [run(kind, p, parts) for kind in kinds]
    label = "quick" if args.quick else "full"
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / f"storm-{label}.json").write_text(json.dumps(all_results, indent=2, ensure_ascii=False))
    failed = False
    print(f"\nprofile {label}: {p}\n")
    print("| database | part | endpoint | n | p50 | p95 | p99 | target p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in all_results:
        for part in parts:
            res = r[part]
            for endpoint in ("login", "start", "save", "submit"):
                if endpoint in res:
                    e = res[endpoint]
                    ok = e["p99_ms"] < TARGETS_MS[endpoint]
                    failed |= not ok
                    print(f"| {r['database']} | {part} | {endpoint} | {e['n']} | {e['p50_ms']} ms | {e['p95_ms']} ms | "
                          f"{e['p99_ms']} ms | < {TARGETS_MS[endpoint]} ms {'✓' if ok else '✗'} |")
            extra = f", {res['saves_per_s']} saves/s of {res['target_saves_per_s']}" if "saves_per_s" in res else ""
            print(f"| {r['database']} | {part} | errors {res['errors']}, lost {res['lost']}{extra} | | | | | |")
            failed |= res["errors"] > 0 or res["lost"] > 0
            for e in res["first_errors"]:
                print("    error:", e)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
