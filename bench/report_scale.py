"""Report generation at county scale: 5,000 cadres × 20 exams (100,000 attempts, 5 million answers).

    .venv/bin/python bench/report_scale.py                 # SQLite under bench/results/
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/report_scale.py
    .venv/bin/python bench/report_scale.py --cadres 500     # a quick run

The data set is generated once per database URL with bulk inserts (reused while its size
matches), through the app's own migrations and its shipped bank. Then it times, as a user
would meet them: the year's figures, the .docx, the .xlsx and the CSV files, and the statistics
page of one exam (5,000 examinees) served by the app. Not a test: the figures go to RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.db import read_scope, session_scope  # noqa: E402
from quizapp.migrate import upgrade  # noqa: E402
from quizapp.models import (  # noqa: E402
    Answer,
    Attempt,
    AttemptItem,
    Exam,
    ExamExaminee,
    ExamUnit,
    OrgUnit,
    QuestionVersion,
    User,
)
from quizapp.services.bank_import import import_bank_path  # noqa: E402

YEAR = 2026
ITEMS = 50
BATCH = 20_000


def chunks(rows: list[dict], size: int = BATCH):  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def generate(app, cadres: int, exams: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(5000)
    start = datetime(YEAR, 3, 1, 1, 0)
    with app.app_context(), session_scope(app) as s:
        import_bank_path(s, ROOT / "question_bank", start)
        s.execute(insert(OrgUnit), [{"id": 1, "name": "示例县", "parent_id": None, "path": "/1/", "kind": "other",
                                     "active": True}])
        units = [{"id": 2 + n, "name": f"乡镇{n + 1:02d}", "parent_id": 1, "path": f"/1/{2 + n}/",
                  "kind": "township", "active": True} for n in range(25)]
        s.execute(insert(OrgUnit), units)
        s.execute(insert(User), [{"id": 1, "username": "admin", "password_hash": "x", "full_name": "管理员",
                                  "org_unit_id": 1, "role": "admin", "position": "", "phone": "", "category": "other",
                                  "is_leader": False, "active": True, "must_change_password": False,
                                  "session_version": 0, "created_at": start}])
        people = [{"id": 10 + n, "username": f"gb{n:05d}", "password_hash": "x", "full_name": f"干部{n:05d}",
                   "org_unit_id": 2 + n % 25, "role": "cadre", "position": "科员", "phone": "",
                   "category": ("civil_servant", "village_cadre", "public_institution")[n % 3],
                   "is_leader": n % 17 == 0, "active": True, "must_change_password": False,
                   "session_version": 0, "created_at": start} for n in range(cadres)]
        for part in chunks(people):
            s.execute(insert(User), part)
        versions = s.execute(select(QuestionVersion.id, QuestionVersion.qtype, QuestionVersion.answer)).all()
        for e in range(exams):
            opens = start + timedelta(days=14 * e)
            s.execute(insert(Exam), [{
                "id": 1 + e, "title": f"{YEAR}年第{e + 1}次学法考试", "kind": "law_study", "description": "",
                "opens_at": opens, "closes_at": opens + timedelta(days=7), "duration_minutes": 60,
                "pass_mark": Decimal(60), "max_attempts": 2, "shuffle_questions": True, "shuffle_options": False,
                "review_policy": "after_close", "multiple_scoring": "all_or_nothing", "paper_mode": "random",
                "counted_attempt": "best", "roster_mode": "units", "roster_frozen_at": opens, "makeup_of_id": None,
                "owner_unit_id": 1, "created_by_id": 1, "created_at": opens}])
            s.execute(insert(ExamUnit), [{"exam_id": 1 + e, "org_unit_id": 1}])
            rows = [{"exam_id": 1 + e, "user_id": p["id"], "org_unit_id": p["org_unit_id"], "category": p["category"],
                     "is_leader": p["is_leader"], "added_at": opens, "joined_during_window": False,
                     "left_at": None, "extra_attempts": 0} for p in people]
            for part in chunks(rows):
                s.execute(insert(ExamExaminee), part)
        s.flush()
        attempt_id = item_id = 0
        for e in range(exams):
            opens = start + timedelta(days=14 * e)
            attempts, items, answers = [], [], []
            for p in people:
                if rng.random() < 0.04:  # a few never take it
                    continue
                attempt_id += 1
                skill = 0.5 + 0.45 * rng.random()
                paper = rng.sample(versions, ITEMS)
                score = Decimal(0)
                for position, (vid, _qtype, key) in enumerate(paper, 1):
                    item_id += 1
                    right = rng.random() < skill
                    earned = Decimal(2) if right else Decimal(0)
                    score += earned
                    items.append({"id": item_id, "attempt_id": attempt_id, "question_version_id": vid,
                                  "position": position, "option_order": [], "points": Decimal(2), "earned": earned})
                    answer = key if right else ("false" if key == "true" else ("B" if key != "B" else "A"))
                    answers.append({"attempt_item_id": item_id, "response": answer, "saved_at": opens})
                attempts.append({"id": attempt_id, "exam_id": 1 + e, "user_id": p["id"], "attempt_no": 1,
                                 "started_at": opens, "deadline": opens + timedelta(hours=1), "status": "submitted",
                                 "finished_at": opens + timedelta(minutes=40), "last_saved_at": opens,
                                 "score": score, "passed": score >= 60})
            for part in chunks(attempts):
                s.execute(insert(Attempt), part)
            for part in chunks(items):
                s.execute(insert(AttemptItem), part)
            for part in chunks(answers):
                s.execute(insert(Answer), part)
            s.flush()
            print(f"  exam {e + 1}/{exams}: {len(attempts)} attempts", flush=True)
        if s.get_bind().dialect.name == "postgresql":
            for table in ("org_units", "users", "exams", "attempts", "attempt_items", "answers"):
                s.execute(sqltext(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            s.execute(sqltext("ANALYZE"))


def sqltext(sql: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    return text(sql)


def timed(label: str, work, runs: int = 1):  # type: ignore[no-untyped-def]
    """Wall time and this process's CPU time (SQLite runs in-process, so its work is counted; on
    a machine shared with other work the CPU time is the figure that load does not inflate)."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    shown = (f"{min(times):.2f} s (cpu {min(cpu):.2f} s)" if runs == 1 else
             f"median {statistics.median(times) * 1000:.0f} ms (cpu {statistics.median(cpu) * 1000:.0f} ms), "
             f"max {max(times) * 1000:.0f} ms")
    print(f"{label:<58} {shown}", flush=True)
    return result


def _with_items(report):  # type: ignore[no-untyped-def]
    report.questions  # noqa: B018 (waits for the thread that sums them)
    return report


def _cli(url: str, fmt: str, target: str) -> None:
    """The command an office runs, end to end: start-up, its 应考 lists, figures, document, file."""
    import resource
    import subprocess
    import tempfile

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([str(ROOT / ".venv" / "bin" / "quizapp"), "report", "--year", str(YEAR), "--format", fmt,
                        "-o", str(Path(folder) / target)], check=True,
                       env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    label = f"quizapp report --year {YEAR} --format {fmt} -o … (a new process)"
    print(f"{label:<58} {time.perf_counter() - started:.2f} s (cpu {cpu:.2f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=5000)
    parser.add_argument("--exams", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or \
        f"sqlite:///{ROOT / 'bench' / 'results' / f'report-{args.cadres}x{args.exams}.sqlite3'}"
    app = create_app(DATABASE_URL=url, SECRET_KEY="bench")
    upgrade(app)
    with app.app_context(), read_scope(app) as s:
        present = s.scalar(select(func.count()).select_from(Attempt)) or 0
    if present == 0:
        print(f"generating {args.cadres} cadres × {args.exams} exams in {url.split('@')[-1]} …", flush=True)
        started = time.perf_counter()
        generate(app, args.cadres, args.exams)
        print(f"generated in {time.perf_counter() - started:.0f} s")
    with app.app_context(), read_scope(app) as s:
        counts = {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in (ExamExaminee, Attempt, Answer)}
    print(f"data: {counts}")

    from quizapp.formats.report_docx import write_docx
    from quizapp.formats.report_files import csv_files, write_xlsx_report
    from quizapp.services.report import build_report

    now = datetime(YEAR, 12, 31, 1, 0)
    with app.app_context(), read_scope(app) as s:
        county = s.get(OrgUnit, 1)
        # The topics and questions are summed in a thread (on a twin session): waited for here.
        report = timed("year's figures, topics and item analysis (build_report)",
                       lambda: _with_items(build_report(s, county, YEAR, now)))
        timed(".docx (figures + document)",
              lambda: write_docx(build_report(s, county, YEAR, now, with_questions=False)))
        timed(".xlsx of six sheets (report already built)", lambda: write_xlsx_report(report))
        timed("CSV files (report already built)", lambda: csv_files(report))
    for fmt, target in (("docx", "report.docx"), ("xlsx", "report.xlsx"), ("csv", "report-csv")):
        _cli(url, fmt, target)
    app.config.update(CLOCK=lambda: now, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1.0"
        session["_fresh"] = True
    timed("GET /stats/?exam=1 (one exam, 5,000 examinees), warm", lambda: client.get("/stats/?year=2026&exam=1"), runs=7)
    timed("GET /manage/exams/1 (its roster page), warm", lambda: client.get("/manage/exams/1"), runs=5)


if __name__ == "__main__":
    main()
