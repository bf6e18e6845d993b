"""The bank's pages at 10,000 questions: the list (paging, search, filters, sorting), one
question, and the export of the whole bank to .xlsx, served by the app to a logged-in trainer.

It builds a fresh database with the shipped bank and imports bench/bank_import.py's
10,000-question .xlsx into it (11,282 questions in all), then times each page through the Flask
test client (no HTTP server: the app's own time, templates included), median of 20 requests
after one warm-up request.

    .venv/bin/python bench/bank_pages.py                    # SQLite in a temp dir
    .venv/bin/python bench/bank_pages.py --postgres         # a throwaway PostgreSQL (tests/pg_server.py)
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/bank_pages.py   # an empty database
    .venv/bin/python bench/bank_pages.py --runs 5            # a quick run

Not a test: the figures go to bench/RESULTS.md by hand. The target (issue): a list page under
100 ms at 10,000 questions.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from urllib.parse import quote

from bank_import import NOW, bank_xlsx, database, fresh_app, generate_records  # puts the repo on sys.path
from sqlalchemy import select, text

from quizapp.db import session_scope
from quizapp.models import OrgUnit, Topic, User
from quizapp.services.bank_import import apply_import, plan_import, read_sources

PER_PAGE = 50  # quizapp/web/bank/views.py
TOTAL = re.compile(r"共 (\d+) 题")


def load(app, count: int) -> int:
    """The generated bank imported; a trainer to look at it. Returns the trainer's id."""
    started = time.perf_counter()
    read = read_sources([("题库.xlsx", bank_xlsx(generate_records(count)))], None)
    with app.app_context(), session_scope(app) as s:
        plan = plan_import(s, read)
        assert plan.accepted, plan.problems[:5]
        apply_import(s, plan, NOW)
        county = OrgUnit(name="示例县", parent_id=None, path="/1/", kind="other", active=True)
        s.add(county)
        s.flush()
        trainer = User(username="peixun", password_hash="x", full_name="培训管理员", org_unit_id=county.id,
                       role="trainer", must_change_password=False, created_at=NOW)
        s.add(trainer)
        s.flush()
        trainer_id = trainer.id
    print(f"imported {count} questions and a trainer in {time.perf_counter() - started:.1f} s")
    return trainer_id


def timed(client, label: str, url: str, runs: int, expect: str = "") -> list[float]:
    response = client.get(url)  # warm-up: templates compiled, the database's pages cached
    assert response.status_code == 200, (url, response.status_code)
    if expect:
        assert expect in response.get_data(as_text=True), (url, expect)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    found = TOTAL.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
    note = f"共 {found.group(1)} 题" if found else f"{len(response.data) / 1024:,.0f} KB"
    print(f"  {label:<44} median {statistics.median(times) * 1000:6.0f} ms   max {max(times) * 1000:6.0f} ms"
          f"   ({note})", flush=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL for the run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.postgres, tmp) as url:
        print(f"database: {url.split('@')[-1]}   load: {os.getloadavg()[0]:.2f}")
        app = fresh_app(url)
        trainer_id = load(app, args.questions)
        if url.startswith("postgresql"):  # as autovacuum would have by now
            with app.app_context(), session_scope(app) as s:
                s.execute(text("ANALYZE"))
        with app.app_context(), session_scope(app) as s:
            civil = s.scalar(select(Topic.id).where(Topic.name == "民法典"))
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = f"{trainer_id}.0"
            session["_fresh"] = True
        first = client.get("/bank/").get_data(as_text=True)
        total = int(TOTAL.search(first).group(1))
        pages = -(-total // PER_PAGE)
        runs = args.runs
        print(f"the bank list ({total} questions in use, {pages} pages of {PER_PAGE}), {runs} requests each")
        timed(client, "page 1", "/bank/", runs)
        timed(client, f"a middle page ({pages // 2})", f"/bank/?page={pages // 2}", runs)
        timed(client, f"the last page ({pages})", f"/bank/?page={pages}", runs)
        timed(client, "search 应当 (a common word)", f"/bank/?q={quote('应当')}", runs)
        timed(client, "search 应当, page 20", f"/bank/?q={quote('应当')}&page=20", runs)
        timed(client, "search 居住权 (a rare word)", f"/bank/?q={quote('居住权')}", runs)
        timed(client, "topic 民法典 + type 单选", f"/bank/?topic={civil}&type=single", runs)
        timed(client, "law 民法典", f"/bank/?law={quote('民法典')}", runs)
        timed(client, "law 宪法, article 2", f"/bank/?law={quote('宪法')}&article=2", runs)
        timed(client, "sort by difficulty (易→难)", "/bank/?sort=difficulty", runs)
        timed(client, "sort by difficulty, a middle page", f"/bank/?sort=difficulty&page={pages // 2}", runs)
        print("other pages")
        timed(client, "a question (MFD-00001)", "/bank/questions/MFD-00001", runs, "MFD-00001")
        timed(client, f"export of all {total} to .xlsx", "/bank/export/download?format=xlsx", max(3, runs // 5))
        print(f"load after the run: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
