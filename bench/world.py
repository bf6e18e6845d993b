"""What the load benches share: a database (SQLite file or a throwaway PostgreSQL with fsync on),
the demo township plus as many extra cadres as a bench needs, gunicorn servers, and an HTTP
client that logs a cadre in and starts an exam the way the browser does.

Not a test and not part of the app; bench/autosave_wrk.py and bench/storm.py use it.
"""
from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "demo2026"
# Every bench client says the same (wrk too): Flask-Login ties a session to its user agent.
USER_AGENT = "quizapp-bench"

from tests.pg_server import PgServer, find_bindir  # noqa: E402


@contextlib.contextmanager
def databases(kind: str, tmp: Path) -> Iterator[tuple[str, str]]:
    """(quizapp's URL, the baseline's URL) on `kind` ("sqlite" or "postgres")."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'quizapp.sqlite3'}", f"sqlite:///{tmp / 'baseline.sqlite3'}"
        return
    bindir = find_bindir()
    if bindir is None:
        sys.exit("no PostgreSQL binaries found (apt-get install postgresql, or PG_BINDIR)")
    # Durable like a real server: a bench of durable saves must not run with fsync off.
    server = PgServer(bindir, durable=True, max_connections=300)
    try:
        server.start()
        yield server.createdb("quizapp_bench"), server.createdb("baseline")
    finally:
        server.stop()


# A 集中测试 paper of 50 questions, 100 points (bench/storm.py).
STORM_RULES = (("宪法", "single", 10, 2), ("民法典", "single", 10, 2), ("行政处罚法", "single", 10, 2),
               ("宪法", "multiple", 5, 2), ("民法典", "multiple", 5, 2),
               ("宪法", "true_false", 5, 2), ("民法典", "true_false", 5, 2))
STORM_TITLE = "集中测试（压测）"


def prepare_quizapp(url: str, extra_cadres: int = 0, storm_exam: bool = False) -> list[str]:
    """Migrate, load the demo township, add `extra_cadres` (bc0001…) to it before any exam's
    roster is frozen; returns every cadre's username. The demo's three exams are open for 30
    days; `storm_exam` adds a 50-question 集中测试 of 60 minutes, open for a day."""
    from werkzeug.security import generate_password_hash

    from quizapp import create_app
    from quizapp.clock import utcnow
    from quizapp.db import session_scope
    from quizapp.migrate import upgrade
    from quizapp.models import OrgUnit, User
    from quizapp.services import demo
    from quizapp.services.accounts import PASSWORD_METHOD, create_user

    app = create_app(DATABASE_URL=url, SECRET_KEY="bench")
    upgrade(app)
    with app.app_context():
        with session_scope(app) as session:
            demo.load_demo(session, ROOT / "question_bank", utcnow())
        # One scrypt hash for every extra cadre: hashing 5,000 of them would take ten minutes.
        hashed = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
        with session_scope(app) as session:
            from sqlalchemy import select

            township = session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
            for n in range(1, extra_cadres + 1):
                create_user(session, username=f"bc{n:04d}", full_name=f"压测干部{n}", unit=township,
                            role="cadre", now=utcnow() - timedelta(days=1), password_hash=hashed,
                            must_change_password=False)
        if storm_exam:
            from quizapp.services.exams import create_exam

            with session_scope(app) as session:
                township = session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
                trainer = session.scalar(select(User).where(User.username == "trainer"))
                at = utcnow()
                create_exam(session, demo._draft(  # the demo's own helpers
                    STORM_TITLE, "law_study", 60, "immediate", demo._rules(session, STORM_RULES),
                    "", at - timedelta(minutes=5), at + timedelta(days=1), [township.id], attempts=1), trainer, at)
        with session_scope(app) as session:
            names = session.scalars(select(User.username).where(User.role == "cadre")
                                    .order_by(User.username)).all()
    app.extensions["quizapp.engine"].dispose()
    return [n for n in names if n.startswith(("gb", "bc"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 2, threads: int = 4,
             check_path: str = "/login") -> Iterator[str]:
    """`app` under gunicorn on loopback as the Makefile serves it; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--backlog", "2048", app],
        env={**os.environ, **env}, cwd=ROOT, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + check_path, timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(20)


@dataclass
class Browser:
    """A cadre's browser: cookies, the page's CSRF token, the attempt and its items."""

    base: str
    username: str
    token: str = ""
    attempt_id: int = 0
    items: list[tuple[int, str]] = field(default_factory=list)  # (item id, qtype)
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        req = urllib.request.Request(self.base + path, data=data,
                                     headers={"User-Agent": USER_AGENT, **(headers or {})})
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.geturl(), resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, path, exc.read().decode("utf-8", "replace")

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(fields).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self) -> None:
        _, _, page = self.request("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        status, url, _ = self.form("/login", {"username": self.username, "password": PASSWORD,
                                              "csrf_token": token})
        if "/login" in url:
            raise RuntimeError(f"login of {self.username} failed ({status})")

    def start(self, exam_id: int) -> None:
        _, _, page = self.request(f"/exams/{exam_id}")
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        status, url, page = self.form(f"/exams/{exam_id}/start", {"csrf_token": self.token})
        found = re.search(r"/attempts/(\d+)", url)
        if found is None:
            raise RuntimeError(f"{self.username} could not start exam {exam_id}: {status} {url}")
        self.attempt_id = int(found.group(1))
        self.items = [(int(i), q) for i, q in re.findall(r'data-item-id="(\d+)" data-qtype="(\w+)"', page)]

    def save(self, item_id: int, answer: object) -> tuple[int, str]:
        import json

        status, _, text = self.request(
            f"/api/attempts/{self.attempt_id}/answers",
            json.dumps({"item_id": item_id, "answer": answer}).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": self.token})
        return status, text

    def submit(self) -> tuple[int, str]:
        status, url, _ = self.form(f"/attempts/{self.attempt_id}/submit", {"csrf_token": self.token})
        return status, url

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def open_exam_ids(url: str) -> list[int]:
    """The demo's exams whose window is open now, by id."""
    from sqlalchemy import create_engine, text

    from quizapp.clock import utcnow

    engine = create_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM exams WHERE opens_at <= :now AND closes_at > :now "
                                "ORDER BY id"), {"now": utcnow()}).scalars().all()
    engine.dispose()
    return list(ids)
