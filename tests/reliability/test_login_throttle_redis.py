"""Login throttling shared by every server through Redis, and a login that still works when
Redis is down (the counts then fall back to each process's memory)."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.config import TestConfig

from ..conftest import IN_CI, csrf_from
from .conftest import add_cohort
from .servers import Examinee, free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if not os.path.exists(REDIS_SERVER):
        if IN_CI:
            pytest.fail("CI 中必须有 redis-server（.ci/run 会安装 redis-server）")
        pytest.skip("没有 redis-server（apt-get install redis-server）")
    port = free_port()
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    import redis

    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.05)
    yield url
    proc.kill()
    proc.wait(5)


def wrong_login(base: str, username: str) -> int:
    who = Examinee(base, username, "wrong-guess1")
    page = who.request("GET", "/login")
    return who.request("POST", "/login", form={"username": username, "password": "wrong-guess1",
                                               "csrf_token": csrf_from(page.text)}).status


def test_five_wrong_passwords_on_one_server_lock_the_account_on_the_other(
        live_app, servers, redis_url, monkeypatch) -> None:
    cohort = add_cohort(live_app, 2, "锁定")
    monkeypatch.setenv("REDIS_URL", redis_url)  # both servers count in the same Redis
    first, second = servers("first"), servers("second")
    target, other = cohort.usernames
    assert [wrong_login(first.url, target) for _ in range(5)] == [200] * 5
    locked = Examinee(second.url, target, "secret123")
    page = locked.request("GET", "/login")
    reply = locked.request("POST", "/login", form={"username": target, "password": "secret123",
                                                   "csrf_token": csrf_from(page.text)})
    assert reply.status == 429 and "登录失败次数过多" in reply.text
    Examinee(second.url, other, "secret123").log_in()  # another account is not locked


def test_a_login_works_while_redis_is_down(app, world) -> None:
    dead = create_app(TestConfig, DATABASE_URL=app.config["DATABASE_URL"],
                      REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    try:
        client = dead.test_client()
        token = csrf_from(client.get("/login").text)
        reply = client.post("/login", data={"username": "cadre1", "password": "secret123", "csrf_token": token})
        assert reply.status_code == 302
        client = dead.test_client()
        for _ in range(5):
            token = csrf_from(client.get("/login").text)
            assert client.post("/login", data={"username": "cadre2", "password": "nope-nope1",
                                               "csrf_token": token}).status_code == 200
        token = csrf_from(client.get("/login").text)
        reply = client.post("/login", data={"username": "cadre2", "password": "secret123", "csrf_token": token})
        assert reply.status_code == 429  # still counted, in this process's memory
    finally:
        dead.extensions["quizapp.engine"].dispose()
        # The limiter is one per process (Flask-Limiter's pattern), bound to the last app made:
        # bind it back to memory counts for the tests that follow.
        create_app(TestConfig, DATABASE_URL=app.config["DATABASE_URL"]).extensions["quizapp.engine"].dispose()
