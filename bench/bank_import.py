"""How long a 10,000-question .xlsx takes to import: reading, checking and comparing, writing.

It builds a fresh database with the shipped bank (1,282 questions, as `quizapp bank import
question_bank/` leaves a new installation), writes a 10,000-question .xlsx the way a county
trainer's bank looks (单选/多选/判断 over ten topics, stems of 40–80 characters built from the
shipped law texts, four options, explanations, 难度, tags, and for about half of them a
citation whose 法条原文 stands word for word in the law, so the quote check passes), and times:

- `quizapp bank import FILE --dry-run --json` as a process (start-up included), the preview;
- in-process, phase by phase: read_sources (the .xlsx read), plan_import (validation, comparison
  with the bank, duplicate detection), apply_import + commit, and the total;
- the same file imported a second time (every question unchanged).

    .venv/bin/python bench/bank_import.py                    # SQLite in a temp dir
    .venv/bin/python bench/bank_import.py --postgres         # a throwaway PostgreSQL (tests/pg_server.py)
    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/bank_import.py   # an empty database
    .venv/bin/python bench/bank_import.py --questions 2000   # a quick run

Not a test: the figures go to bench/RESULTS.md by hand. The target (issue): under 10 s for
10,000 questions. bench/bank_pages.py reuses the generator.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUIZAPP = Path(sys.executable).parent / "quizapp"

from sqlalchemy import func, select  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.db import read_scope, session_scope  # noqa: E402
from quizapp.domain.citation import chinese_numeral  # noqa: E402
from quizapp.domain.laws import law  # noqa: E402
from quizapp.domain.questions import QuestionRecord  # noqa: E402
from quizapp.formats.bank_table import rows_of  # noqa: E402
from quizapp.formats.tabular import write_xlsx  # noqa: E402
from quizapp.migrate import upgrade  # noqa: E402
from quizapp.models import Question  # noqa: E402
from quizapp.services.bank_import import apply_import, import_bank_path, plan_import, read_sources  # noqa: E402

NOW = datetime(2026, 12, 1, 2, 0)
# Topic (as the shipped bank names it) -> (law cited, code prefix unused by the shipped bank).
TOPICS = {
    "宪法": ("宪法", "XFT"), "民法典": ("民法典", "MFD"), "行政处罚法": ("行政处罚法", "XZCF"),
    "行政许可法": ("行政许可法", "XZXK"), "行政复议法": ("行政复议法", "XZFY"), "行政诉讼法": ("行政诉讼法", "XZSS"),
    "村民委员会组织法": ("村民委员会组织法", "CWH"), "禁毒法": ("禁毒法", "JDF"),
    "消费者权益保护法": ("消费者权益保护法", "XQB"), "反电信网络诈骗": ("反电信网络诈骗法", "FZP"),
}
SCENES = ["乡司法所开展“法律明白人”培训时讲到：", "某村“两委”在学习会上讨论：", "县司法局组织的学法考试中，",
          "某镇干部在接待群众来访时提到：", "村法律顾问在普法讲座中说明：", "某社区居委会在议事会上学习：",
          "乡镇综合执法队在培训中强调：", "某乡人民政府在依法行政培训中指出：", "驻村工作队在宣讲会上介绍：",
          "某村人民调解委员会在调解前学习：", "村“法律明白人”在入户宣传时告诉村民：", "乡镇党委理论学习中心组学习时指出：",
          "某村召开村民代表会议前，驻村干部提醒：", "县普法办编写的学习读本中写道：", "乡纪委在警示教育会上指出：",
          "某村调解员在化解邻里纠纷时引用法律：", "某乡开展“宪法宣传周”活动时宣讲：", "乡镇信访办在接待群众时解释：",
          "村务监督委员会在监督村务时依据：", "某乡政府法律顾问在审查合同时提示："]
TWISTS = [("不得", "可以"), ("应当", "可以不"), ("有权", "无权"), ("可以", "必须"), ("必须", "可以"),
          ("十五日", "三十日"), ("三十日", "六十日"), ("六十日", "九十日"), ("七日", "十日"), ("三日", "五日")]
LEVELS = {1: "易", 2: "中", 3: "难"}
_ENUM = re.compile(r"^（[一二三四五六七八九十]+）")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def clauses_of(name: str) -> list[tuple[int, str, str]]:
    """(article, clause, heading) for every clause of 12–50 characters of a law's text."""
    found = []
    for key, article in law(name).articles.items():
        if not isinstance(key, int):
            continue
        heading = re.sub(r"[\s、，；]", "", article.headings[-1].split(" ", 1)[-1])[:16] if article.headings else name
        for paragraph in article.paragraphs:
            for clause in re.split(r"[。；：]", paragraph):
                clause = _ENUM.sub("", clause.strip())
                if 12 <= len(clause) <= 50:
                    found.append((key, clause, heading))
    return found


def _twist(clause: str) -> str | None:
    for before, after in TWISTS:
        if before in clause:
            return clause.replace(before, after, 1)
    return None


def _fit(stem: str, rng: random.Random) -> str:
    """Short stems get a scene in front, as trainers write case-style questions."""
    return rng.choice(SCENES) + stem if len(stem) < 40 else stem


def generate_records(count: int, seed: int = 10_000) -> list[QuestionRecord]:
    """`count` distinct questions over the ten topics (the bigger laws get more of them)."""
    rng = random.Random(seed)
    pools = {topic: clauses_of(name) for topic, (name, _) in TOPICS.items()}
    for pool in pools.values():
        rng.shuffle(pool)
    weight = {t: len(p) ** 0.5 for t, p in pools.items()}  # 民法典 the biggest topic, not half the bank
    share = {t: round(count * w / sum(weight.values())) for t, w in weight.items()}
    share["民法典"] += count - sum(share.values())
    records: list[QuestionRecord] = []
    stems: set[str] = set()
    for topic, (name, prefix) in TOPICS.items():
        pool, made, n = pools[topic], 0, 0
        tails = [c.rsplit("，", 1)[1] for _, c, _ in pool if "，" in c]
        while made < share[topic]:
            if n > 100 * share[topic]:
                sys.exit(f"cannot make {share[topic]} distinct questions of {topic}")
            article, clause, heading = pool[n % len(pool)]
            qtype = rng.choices(("single", "multiple", "true_false"), (50, 25, 25))[0]
            n += 1
            record = _question(topic, name, qtype, article, clause, heading, pool, tails, rng)
            if record is None or record.stem in stems:
                continue
            stems.add(record.stem)
            made += 1
            records.append(replace(record, code=f"{prefix}-{made:05d}"))
    rng.shuffle(records)
    return records


def _question(topic: str, name: str, qtype: str, article: int, clause: str, heading: str,
              pool: list[tuple[int, str, str]], tails: list[str], rng: random.Random) -> QuestionRecord | None:
    where = f"第{chinese_numeral(article)}条"
    cite = ({"law": name, "article": article, "quote": clause},) if rng.random() < 0.5 else ()
    if not cite and rng.random() < 0.1:
        cite = ({"source": f"{rng.choice(['县司法局', '市普法办', '乡党委'])}《{topic}学习读本》"},)
    explanation = f"{name}{where}规定：{clause}。本题考查{heading}的相关规定，答题时应注意条文的适用条件。"
    tags = (topic, heading)
    difficulty = rng.choice((1, 2, 2, 2, 3))
    if qtype == "single":
        if "，" in clause[4:-2]:
            head, tail = clause.rsplit("，", 1)
            head += "，"
        else:
            cut = len(clause) - rng.randint(4, 8)
            head, tail = clause[:cut], clause[cut:]
        others = list(dict.fromkeys(t for t in rng.sample(tails, 12) if t != tail and 2 <= len(t) <= 30))[:3]
        if len(others) < 3:
            return None
        options = [tail, *others]
        rng.shuffle(options)
        frame = rng.choice([f"根据{name}，{head}（　）。", f"依照{name}的规定，{head}（　）。",
                            f"{name}{where}规定，{head}（　）。", f"关于{heading}，{name}规定：{head}（　）。"])
        return QuestionRecord(topic, qtype, _fit(frame, rng), tuple(options), "ABCD"[options.index(tail)],
                              explanation, cite, difficulty, tags)
    if qtype == "true_false":
        twisted = _twist(clause) if rng.random() < 0.5 else None
        statement = twisted or clause
        frame = rng.choice([f"{statement}。", f"根据{name}的规定，{statement}。", f"按照{name}，{statement}。",
                            f"{name}规定，{statement}。"])
        if twisted:
            explanation = f"说法错误。{explanation}"
        return QuestionRecord(topic, qtype, _fit(frame, rng), (), "false" if twisted else "true", explanation,
                              cite, difficulty, tags)
    right = [c for a, c, _ in pool if a == article and c != clause][:2] or [rng.choice(pool)[1]]
    options = [clause, *right]
    wrong = [w for w in (_twist(c) for _, c, _ in rng.sample(pool, 6)) if w][: 4 - len(options)]
    options += wrong
    if len(options) < 4 or len(set(options)) != 4:
        return None
    truth = {o: o not in wrong for o in options}
    rng.shuffle(options)
    answer = "".join(letter for letter, o in zip("ABCD", options, strict=True) if truth[o])
    if len(answer) < 2:
        return None
    frame = f"{name}{where}规定“{clause[:14]}……”。根据{name}关于{heading}的规定，下列说法正确的有（　）。"
    return QuestionRecord(topic, qtype, frame, tuple(options), answer, explanation, cite, difficulty, tags)


def bank_xlsx(records: list[QuestionRecord]) -> bytes:
    """The questions as a trainer's .xlsx: the app's own columns, 难度 as 易/中/难."""
    rows = rows_of(records)
    level = rows[0].index("难度")
    for row in rows[1:]:
        row[level] = LEVELS[row[level]]
    return write_xlsx({"题库": rows})


def as_excel_saves(data: bytes) -> bytes:
    """The same workbook as Excel or WPS saves it, a trainer's file: the text in a shared string
    table and the sheet's size in <dimension>. openpyxl (our template and export) writes each
    cell's text inline and no size, which costs its reader nearly twice the time."""
    book = zipfile.ZipFile(io.BytesIO(data))
    sheet = next(n for n in book.namelist() if n.startswith("xl/worksheets/sheet"))
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        number = strings.setdefault(match.group(2), len(strings))
        return f'<c{match.group(1)} t="s"><v>{number}</v></c>'

    xml = re.sub(r'<c([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared,
                 book.read(sheet).decode("utf-8"), flags=re.S)
    xml = xml.replace("<sheetData>", f'<dimension ref="A1:R{xml.count("<row ")}"/><sheetData>', 1)
    table = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)  # still escaped
    parts = {sheet: xml.encode("utf-8"),
             "xl/sharedStrings.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" '
                                      f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>').encode(),
             "[Content_Types].xml": book.read("[Content_Types].xml").replace(
                 b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'.encode()),
             "xl/_rels/workbook.xml.rels": book.read("xl/_rels/workbook.xml.rels").replace(
                 b"</Relationships>", f'<Relationship Id="rIdSst" Type="{SST_REL}" Target="sharedStrings.xml"/>'
                                      "</Relationships>".encode())}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as saved:
        for name in book.namelist():
            saved.writestr(name, parts.pop(name, None) or book.read(name))
        for name, body in parts.items():
            saved.writestr(name, body)
    return out.getvalue()


@contextlib.contextmanager
def database(postgres: bool, tmp: str) -> Iterator[str]:
    """BENCH_DATABASE_URL (an empty database), a throwaway PostgreSQL, or SQLite in `tmp`."""
    if url := os.environ.get("BENCH_DATABASE_URL"):
        yield url
        return
    if not postgres:
        yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    from tests.pg_server import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        sys.exit("no PostgreSQL binaries found (apt-get install postgresql, or PG_BINDIR)")
    server = PgServer(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


def fresh_app(url: str, shipped_bank: bool = True):
    """The app on a migrated database holding the shipped bank; refuses a database with questions."""
    app = create_app(DATABASE_URL=url, SECRET_KEY="bench", WTF_CSRF_ENABLED=False)
    upgrade(app)
    with app.app_context(), read_scope(app) as s:
        if s.scalar(select(func.count()).select_from(Question)):
            sys.exit("the database already has questions: give the bench an empty one")
    if shipped_bank:
        with app.app_context(), session_scope(app) as s:
            import_bank_path(s, ROOT / "question_bank", NOW)
    return app


def show(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<46} {seconds:6.2f} s  {note}", flush=True)


def import_once(app, data: bytes, name: str) -> dict[str, float]:
    """read -> plan -> apply + commit in one write transaction, as the browser's confirm does.
    Wall time and this process's CPU time (the machine's load inflates the first, barely the
    second; on PostgreSQL the server's own work is not in it)."""
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    read = read_sources([(name, data)], None)
    wall["read"], cpu["read"] = time.perf_counter() - started, time.process_time() - cpu_started
    with app.app_context(), session_scope(app) as s:
        mark, cpu_mark = time.perf_counter(), time.process_time()
        plan = plan_import(s, read)
        wall["plan"], cpu["plan"] = time.perf_counter() - mark, time.process_time() - cpu_mark
        assert plan.accepted, plan.problems[:5]
        mark, cpu_mark = time.perf_counter(), time.process_time()
        summary = apply_import(s, plan, NOW)
    # the commit is in: session_scope commits on leaving
    wall["apply"], cpu["apply"] = time.perf_counter() - mark, time.process_time() - cpu_mark
    wall["total"], cpu["total"] = time.perf_counter() - started, time.process_time() - cpu_started
    counts = {k: v for k, v in plan.summary().items() if k != "problems"}
    show("read_sources (open the .xlsx, read every row)", wall["read"],
         f"cpu {cpu['read']:5.2f} s  {len(read.questions)} questions")
    show("plan_import (check, compare, duplicates)", wall["plan"],
         f"cpu {cpu['plan']:5.2f} s  {json.dumps(counts, ensure_ascii=False)}")
    show("apply_import + commit", wall["apply"], f"cpu {cpu['apply']:5.2f} s  {summary}")
    show("total", wall["total"], f"cpu {cpu['total']:5.2f} s")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL for the run")
    parser.add_argument("--no-shipped-bank", action="store_true", help="import into an empty bank")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.postgres, tmp) as url:
        print(f"database: {url.split('@')[-1]}   load: {os.getloadavg()[0]:.2f}")
        app = fresh_app(url, not args.no_shipped_bank)
        started = time.perf_counter()
        records = generate_records(args.questions)
        exported = bank_xlsx(records)
        data = as_excel_saves(exported)
        path = Path(tmp) / f"题库{args.questions}.xlsx"
        path.write_bytes(data)
        cited = sum(1 for r in records if any("law" in b for b in r.basis))
        print(f"generated {len(records)} questions ({cited} with a citation) in {time.perf_counter() - started:.1f} s,"
              f" {len(data) / 1024 / 1024:.1f} MB .xlsx as Excel saves it")

        env = {"SECRET_KEY": "bench", **os.environ, "DATABASE_URL": url}  # PostgreSQL wants a SECRET_KEY
        started = time.perf_counter()
        done = subprocess.run([str(QUIZAPP), "bank", "import", str(path), "--dry-run", "--json"], env=env,
                              capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"quizapp bank import failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        summary = json.loads(done.stdout)
        summary["problems"] = len(summary["problems"])
        print("quizapp bank import FILE --dry-run --json (a process: start-up, read, plan)")
        show("wall time", elapsed, json.dumps(summary, ensure_ascii=False))

        print(f"first import of {len(records)} questions (all new)")
        import_once(app, data, path.name)
        print("second import of the same file (all unchanged)")
        import_once(app, data, path.name)
        started, cpu = time.perf_counter(), time.process_time()
        read_sources([(path.name, exported)], None)
        print("the same questions as openpyxl writes them (our template and export: inline text, no size)")
        show("read_sources", time.perf_counter() - started, f"cpu {time.process_time() - cpu:.2f} s")
        print(f"load after the run: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
