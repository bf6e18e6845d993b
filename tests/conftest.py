"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL, or a throwaway cluster started from the machine's
binaries. In CI (CI=true) a missing PostgreSQL fails the run instead of skipping it.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from quizapp import create_app
from quizapp.config import TestConfig
from quizapp.db import Base, session_scope
from quizapp.migrate import upgrade

from .pg_server import PgServer, find_bindir

IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"]
DATA = Path(__file__).parent / "data"


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


@pytest.fixture(scope="session")
def pg_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
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
    except Exception as exc:  # noqa: BLE001 - report why, then fail or skip below
        server.stop()
        if IN_CI:
            pytest.fail(f"无法启动 PostgreSQL：{exc}")
        yield None
        return
    yield url
    server.stop()


@pytest.fixture(scope="session")
def database_urls(pg_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    """Each backend's URL, migrated once to the head revision."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    urls = {"sqlite": sqlite_url, "postgresql": pg_url}
    for url in urls.values():
        if url:
            app = create_app(TestConfig, DATABASE_URL=url)
            upgrade(app)
            app.extensions["quizapp.engine"].dispose()
    return urls


def _wipe(app: Flask) -> None:
    engine = app.extensions["quizapp.engine"]
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 1, 0, 0))  # 09:00 in China


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, database_urls: dict[str, str | None],
        clock: FakeClock) -> Iterator[Flask]:
    url = database_urls[request.param]
    if url is None:
        pytest.skip("本机没有 PostgreSQL（设置 TEST_DATABASE_URL 或安装 postgresql）")
    app = create_app(TestConfig, DATABASE_URL=url, CLOCK=clock)
    _wipe(app)
    yield app
    _wipe(app)
    app.extensions["quizapp.engine"].dispose()


@pytest.fixture
def db(app: Flask):  # type: ignore[no-untyped-def]
    """A session for arranging and asserting outside requests; committed on exit."""
    with app.app_context(), session_scope(app) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


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


@pytest.fixture
def world(app: Flask, clock: FakeClock):  # type: ignore[no-untyped-def]
    from .factories import build_world

    with app.app_context(), session_scope(app) as session:
        return build_world(session, clock())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI nothing may be skipped silently: a skipped test fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and exitstatus == 0:
        reporter.write_line(f"CI：有 {skipped} 个测试被跳过，CI 中不允许跳过任何测试", red=True)
        session.exitstatus = 1
