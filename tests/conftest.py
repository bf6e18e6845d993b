"""Fixtures: every database test runs on SQLite and on PostgreSQL, inside a rolled-back transaction.

The county of factories.py is built once per database and committed. Each test then runs on one
connection inside a transaction that is rolled back at its end; every session the app opens
(one per request, the CLI's, the test's own) joins that transaction through a savepoint, so a
request's commit is real to the rest of the test and gone for the next one.

Tests that need real concurrency (threads, a live server for the browser) use `live_app`
instead: a second database of their own, rebuilt for each test.

PostgreSQL comes from TEST_DATABASE_URL, or a throwaway cluster started from the machine's
binaries. In CI (CI=true) a missing PostgreSQL fails the run instead of skipping it.
QUIZAPP_TEST_BACKENDS=sqlite narrows the run to one database (the mutation runs use it).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from quizapp import create_app
from quizapp.config import TestConfig
from quizapp.db import Base, session_scope
from quizapp.migrate import upgrade

from .factories import WORLD_TIME, World, WorldIds, build_world, load_world
from .pg_server import PgServer, find_bindir

IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = [b for b in os.environ.get("QUIZAPP_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
DATA = Path(__file__).parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    from .tally import register

    register(config)  # in the main process too, which sums what xdist's workers counted


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ is a browser test: `make test-fast` leaves them out."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


class FakeClock:
    """Injected time: tests move it; nothing sleeps."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    from quizapp.services import accounts

    accounts.PASSWORD_METHOD = "pbkdf2:sha256:1000"
    yield


@pytest.fixture(autouse=True)
def _fresh_login_counts() -> Iterator[None]:
    """Each test starts with no refused logins counted (the throttle's memory is per process)."""
    from quizapp.web.limits import limiter

    yield
    if limiter._storage is not None:  # None until an app was made in this process
        limiter.reset()


@pytest.fixture(scope="session")
def pg_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    if "postgresql" not in BACKENDS:
        yield None
        return
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    bindir = find_bindir()
    if bindir is None:
        if IN_CI:
            pytest.fail("CI 中必须有 PostgreSQL（.ci/run 会安装 postgresql）")
        yield None
        return
    server = PgServer(bindir)
    try:
        url = server.start()
    except Exception as exc:  # report why, then fail or skip below
        server.stop()
        if IN_CI:
            pytest.fail(f"无法启动 PostgreSQL：{exc}")
        yield None
        return
    yield url
    server.stop()


def _migrated(url: str) -> None:
    app = create_app(TestConfig, DATABASE_URL=url)
    upgrade(app)
    app.extensions["quizapp.engine"].dispose()


def _live_url(url: str) -> str:
    """A second database beside `url` for the tests that commit for real."""
    if url.startswith("sqlite:///"):
        return url.removesuffix(".sqlite3") + "-live.sqlite3"
    parsed = make_url(url)
    live_name = f"{parsed.database}_live"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": live_name}):
            conn.execute(text(f'CREATE DATABASE "{live_name}"'))
    admin.dispose()
    return parsed.set(database=live_name).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Backend:
    name: str
    url: str  # the county is committed here; tests roll back on top of it
    live_url: str  # empty between tests; live tests build and wipe their own county
    world: WorldIds


@pytest.fixture(scope="session")
def backends(pg_url: str | None, tmp_path_factory: pytest.TempPathFactory,
             _cheap_password_hashing: None) -> dict[str, Backend | None]:
    """Each database, migrated once, with the county built and committed once."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    found: dict[str, Backend | None] = {}
    for name, url in (("sqlite", sqlite_url), ("postgresql", pg_url)):
        if name not in BACKENDS or url is None:
            found[name] = None
            continue
        _migrated(url)
        live_url = _live_url(url)
        _migrated(live_url)
        app = create_app(TestConfig, DATABASE_URL=url)
        _wipe(app)
        with app.app_context(), session_scope(app) as session:
            ids = build_world(session, WORLD_TIME).ids()
        app.extensions["quizapp.engine"].dispose()
        found[name] = Backend(name, url, live_url, ids)
    return found


def _wipe(app: Flask) -> None:
    engine = app.extensions["quizapp.engine"]
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(text(f"DELETE FROM {name}"))


def _backend(request: pytest.FixtureRequest, backends: dict[str, Backend | None]) -> Backend:
    backend = backends[request.param]
    if backend is None:
        pytest.skip("本机没有 PostgreSQL（设置 TEST_DATABASE_URL 或安装 postgresql）")
    return backend


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WORLD_TIME)  # 09:00 in China, when the county's exams are running


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, backends: dict[str, Backend | None],
        clock: FakeClock) -> Iterator[Flask]:
    """The app on one connection whose transaction is rolled back after the test."""
    backend = _backend(request, backends)
    app = create_app(TestConfig, DATABASE_URL=backend.url, CLOCK=clock)
    engine = app.extensions["quizapp.engine"]
    connection = engine.connect()
    outer = connection.begin()
    app.extensions["quizapp.sessionmaker"] = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    app.extensions["quizapp.test_world"] = backend.world
    yield app
    outer.rollback()
    connection.close()
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def live_app(request: pytest.FixtureRequest, backends: dict[str, Backend | None],
             clock: Callable[[], datetime]) -> Iterator[Flask]:
    """An app that commits for real (threads, a live server), with a county built at clock()."""
    backend = _backend(request, backends)
    app = create_app(TestConfig, DATABASE_URL=backend.live_url, CLOCK=clock)
    _wipe(app)
    with app.app_context(), session_scope(app) as session:
        app.extensions["quizapp.test_world"] = build_world(session, clock()).ids()
    yield app
    _wipe(app)
    app.extensions["quizapp.engine"].dispose()


@pytest.fixture
def live_world(live_app: Flask) -> World:
    """The live county's objects, loaded and let go: ids and plain values only."""
    session: Session = live_app.extensions["quizapp.sessionmaker"]()
    try:
        world = load_world(session, live_app.extensions["quizapp.test_world"])
        session.commit()
    finally:
        session.close()
    return world


@pytest.fixture
def blank(app: Flask) -> Flask:
    """The app with an empty database (inside the test's transaction): a fresh install."""
    with app.app_context(), session_scope(app) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
    return app


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session for arranging and asserting outside requests; committed on exit.

    No app context is held open: requests made meanwhile must get their own `g`.
    """
    with session_scope(app) as session:
        yield session


@pytest.fixture
def world(app: Flask, db: Session) -> World:
    """The county, its objects loaded in the test's `db` session."""
    return load_world(db, app.extensions["quizapp.test_world"])


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@contextmanager
def recorded_statements(app: Flask, selects_only: bool = False) -> Iterator[list[str]]:
    """The SQL the app runs inside the block, for counting queries (no N+1): the savepoints of
    the test's own transaction left out, or only the SELECTs."""
    statements: list[str] = []
    engine = app.extensions["quizapp.engine"]

    def record(conn, cursor, statement: str, *args) -> None:  # type: ignore[no-untyped-def]
        head = statement.lstrip().upper()
        if head.startswith("SELECT") if selects_only else not head.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "page carries a CSRF token"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = "secret123") -> str:
    """Log in through the form; returns the CSRF token for later posts."""
    page = client.get("/login")
    response = client.post("/login", data={
        "username": username, "password": password, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 302, response.text
    return csrf_from(client.get("/password").text)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI nothing may be skipped silently: a skipped test fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and exitstatus == 0:
        reporter.write_line(f"CI：有 {skipped} 个测试被跳过，CI 中不允许跳过任何测试", red=True)
        session.exitstatus = 1
