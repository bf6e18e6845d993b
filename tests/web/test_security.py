"""No open door: login throttling, sessions that end when they should, headers, file modes."""
import re
import sqlite3
import types
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.config import TestConfig

from ..conftest import csrf_from, login


class FrozenTime:
    """The throttle's clock (limits' in-memory storage reads time.time()), moved by hand."""

    def __init__(self, start: float) -> None:
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def throttle_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenTime:
    import limits.storage.memory as memory

    frozen = FrozenTime(1_800_000_000.0)
    monkeypatch.setattr(memory, "time", types.SimpleNamespace(time=frozen.time))
    return frozen


def try_login(client, username: str, password: str):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_an_account_is_locked_for_a_while_after_five_wrong_passwords(client, world, throttle_clock) -> None:
    for _ in range(5):
        assert try_login(client, "cadre1", "wrong-guess1").status_code == 200
    locked = try_login(client, "cadre1", "secret123")  # even the right password, for now
    assert locked.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in locked.text
    assert try_login(client, "cadre2", "secret123").status_code == 302  # another account is not locked
    throttle_clock.now += 15 * 60 + 1
    assert try_login(client.application.test_client(), "cadre1", "secret123").status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(client, world, throttle_clock) -> None:
    for n in range(30):
        assert try_login(client, f"nobody{n}", "wrong-guess1").status_code == 200
    assert try_login(client, "cadre3", "secret123").status_code == 429


def test_successful_logins_are_not_counted(client, world, throttle_clock) -> None:
    for _ in range(8):
        other = client.application.test_client()
        assert try_login(other, "cadre1", "secret123").status_code == 302


def test_logout_ends_every_session_of_the_user(app, world) -> None:
    phone, desk = app.test_client(), app.test_client()
    token = login(phone, "cadre1")
    login(desk, "cadre1")
    copied = app.test_client()
    copied.set_cookie("session", phone.get_cookie("session").value)  # a cookie taken before logout
    assert copied.get("/exams").status_code == 200
    phone.post("/logout", data={"csrf_token": token})
    for client in (phone, desk, copied):
        response = client.get("/exams")
        assert response.status_code == 302 and "/login" in response.location


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, world) -> None:
    phone, desk = app.test_client(), app.test_client()
    token = login(phone, "cadre1")
    login(desk, "cadre1")
    changed = phone.post("/password", data={"csrf_token": token, "current": "secret123", "new": "newpass123",
                                             "confirm": "newpass123"}, follow_redirects=True)
    assert "密码已修改，其他设备上的登录已退出" in changed.text
    assert phone.get("/exams").status_code == 200
    assert desk.get("/exams").status_code == 302


def test_an_idle_session_ends(app, world, clock) -> None:
    app.config["SESSION_IDLE_MINUTES"] = 480
    client = app.test_client()
    login(client, "cadre1")
    for _ in range(3):  # used now and then, a session lasts the whole day
        clock.advance(minutes=470)
        assert client.get("/exams").status_code == 200
    clock.advance(minutes=481)
    response = client.get("/exams", follow_redirects=True)
    assert "长时间没有操作，已自动退出，请重新登录" in response.text and response.request.path == "/login"
    api = app.test_client()
    login(api, "cadre1")
    clock.advance(minutes=481)
    assert api.get("/api/attempts/1/state").json["code"] == "login"


def test_security_headers_on_every_page_and_no_cached_logged_in_page(client, world) -> None:
    anonymous = client.get("/login")
    assert "script-src 'self'" in anonymous.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in anonymous.headers["Content-Security-Policy"]
    assert anonymous.headers["X-Frame-Options"] == "DENY"
    assert anonymous.headers["X-Content-Type-Options"] == "nosniff"
    assert anonymous.headers["Referrer-Policy"] == "same-origin"
    login(client, "cadre1")
    for path in ("/exams", "/practice/", "/laws/", "/api/practice/nothing"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    assert client.get("/static/css/app.css").headers.get("Cache-Control") != "no-store"


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"|\son[a-z]+=\"", re.I)


@pytest.mark.parametrize(("username", "paths"), [
    ("cadre1", ["/exams", "/practice/", "/practice/question", "/laws/", "/laws/宪法", "/password"]),
    ("trainer", ["/manage/exams", "/manage/exams/new", "/bank/", "/bank/questions/new", "/bank/questions/TXF-0001",
                 "/bank/import", "/bank/topics", "/stats/", "/admin/people"]),
    ("admin", ["/admin/units", "/admin/people/new", "/stats/report"]),
])
def test_no_page_needs_inline_script_or_style(client, world, username, paths) -> None:
    login(client, username)
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        assert not INLINE.search(page.text), (path, INLINE.search(page.text))


def test_a_nul_byte_in_a_username_is_a_400_not_a_500(client, world) -> None:
    response = try_login(client, "cadre\x001", "secret123")
    assert response.status_code == 400 and "请求中含有无法保存的空字符" in response.text


def test_the_sqlite_database_is_the_owners_alone(tmp_path: Path) -> None:
    database = tmp_path / "quizapp.sqlite3"
    sqlite3.connect(database).close()
    database.chmod(0o644)
    app = create_app(TestConfig, DATABASE_URL=f"sqlite:///{database}")
    with app.extensions["quizapp.engine"].connect():
        pass
    assert database.stat().st_mode & 0o777 == 0o600
    app.extensions["quizapp.engine"].dispose()


@pytest.mark.parametrize(("path", "data"), [
    ("/manage/exams/new", {"title": "学法\x00考试"}),
    ("/admin/people/new", {"full_name": "张\x00三"}),
    ("/bank/questions/new", {"stem": "题干\x00"}),
])
def test_nul_bytes_anywhere_are_a_clear_400(client, world, path, data) -> None:
    token = login(client, "admin")
    response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code == 400 and "请求中含有无法保存的空字符" in response.text
    assert client.get("/bank/?q=%00").status_code == 400


def test_the_requests_that_answered_500_before(client, world) -> None:
    token = login(client, "cadre1")
    deep = "[" * 100_000 + "]" * 100_000
    nested = client.post("/api/practice/answer", data=deep, headers={"X-CSRFToken": token,
                                                                      "Content-Type": "application/json"})
    assert nested.status_code == 400 and nested.json["error"] == "请求内容不是有效的 JSON 对象"
    other = client.application.test_client()
    page = other.get("/login").text
    crlf = other.post("/login?next=/%0D%0ASet-Cookie:%20x=1", data={
        "username": "cadre2", "password": "secret123", "csrf_token": csrf_from(page)})
    assert crlf.status_code == 302 and "\n" not in crlf.location and crlf.location.endswith("/exams")


def test_exam_form_numbers_and_dates_that_are_not_numbers_or_dates(client, world) -> None:
    token = login(client, "trainer")
    page = client.post("/manage/exams/new", data={
        "csrf_token": token, "title": "测试", "kind": "law_study", "opens_at": "0001-01-01T00:00",
        "closes_at": "2026-03-20T18:00", "duration_minutes": "30", "pass_mark": "sNaN", "max_attempts": "1",
        "review_policy": "immediate", "multiple_scoring": "partial", "paper_mode": "random",
        "unit_ids": [str(2**63)], "rules-0-topic_id": str(2**63), "rules-0-qtype": "single",
        "rules-0-count": "1", "rules-0-points": "Infinity"})
    assert page.status_code == 200
    assert "日期应在 2000 年至 2100 年之间" in page.text and "请输入数字" in page.text
