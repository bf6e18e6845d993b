"""Where one autosave's time goes: quizapp's save endpoint in-process (Flask's test client, a real
login, CSRF on), SQL statements per save and a cProfile of N saves.

    .venv/bin/python bench/profile_save.py                 # SQLite file, 2,000 saves
    .venv/bin/python bench/profile_save.py --postgres      # a throwaway durable PostgreSQL
    .venv/bin/python bench/profile_save.py --sql           # also print one save's statements
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world import PASSWORD, databases, open_exam_ids, prepare_quizapp


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--sql", action="store_true", help="print the statements of one save")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--out", help="also write the cProfile stats to this file (pstats)")
    args = parser.parse_args()
    from sqlalchemy import event

    from quizapp import create_app

    with tempfile.TemporaryDirectory(prefix="quizapp-profile-") as tmp, \
            databases("postgres" if args.postgres else "sqlite", Path(tmp)) as (url, _):
        prepare_quizapp(url)
        exam_id = open_exam_ids(url)[0]
        app = create_app(DATABASE_URL=url, SECRET_KEY="bench")
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"username": "gb01", "password": PASSWORD, "csrf_token": token})
        page = client.get(f"/exams/{exam_id}").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        response = client.post(f"/exams/{exam_id}/start", data={"csrf_token": token})
        attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))  # type: ignore[union-attr]
        page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
        items = [(int(i), q) for i, q in re.findall(r'data-item-id="(\d+)" data-qtype="(\w+)"', page)]

        statements: list[str] = []
        event.listen(app.extensions["quizapp.engine"], "before_cursor_execute",
                     lambda conn, cur, stmt, params, ctx, many: statements.append(stmt))
        engine = app.extensions["quizapp.engine"]
        event.listen(engine, "begin", lambda conn: statements.append("(begin)"))
        event.listen(engine, "commit", lambda conn: statements.append("(commit)"))

        def save(n: int) -> None:
            item_id, qtype = items[n % len(items)]
            answer: object = (n % 2 == 0) if qtype == "true_false" else [n % 2]
            r = client.post(f"/api/attempts/{attempt_id}/answers", json={"item_id": item_id, "answer": answer},
                            headers={"X-CSRFToken": token})
            assert r.status_code == 200, r.get_data(as_text=True)

        for n in range(50):  # warm up
            save(n)
        statements.clear()
        save(0)
        one = list(statements)
        print(f"statements per save: {sum(1 for s in one if not s.startswith('('))} "
              f"(+ {sum(1 for s in one if s.startswith('('))} begin/commit)")
        if args.sql:
            for s in one:
                print("   ", " ".join(s.split())[:160])
        profiler = cProfile.Profile(time.process_time)  # CPU time: fsync waits are not the question
        wall, cpu = time.perf_counter(), time.process_time()
        profiler.enable()
        for n in range(args.saves):
            save(n)
        profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{args.saves} saves: {wall / args.saves * 1000:.2f} ms wall, {cpu / args.saves * 1000:.2f} ms CPU "
              "per save (with cProfile on)")
        stats = pstats.Stats(profiler)
        if args.out:
            stats.dump_stats(args.out)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(20)
        # Without the profiler: the figure to compare before and after.
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(args.saves):
            save(n)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{args.saves} saves: {wall / args.saves * 1000:.2f} ms wall, {cpu / args.saves * 1000:.2f} ms CPU "
              "per save (no profiler)")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
