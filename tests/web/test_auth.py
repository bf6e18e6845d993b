from sqlalchemy import select

from quizapp.db import session_scope
from quizapp.models import AuditEvent, User
from quizapp.services import accounts

from ..conftest import csrf_from, login


def test_login_lands_on_the_role_home(client, world) -> None:
    login(client, "cadre1")
    assert client.get("/").location.endswith("/exams")
    client2 = client.application.test_client()
    login(client2, "trainer")
    assert client2.get("/").location.endswith("/manage/exams")


def test_wrong_password_gives_a_chinese_message_and_is_audited(app, client, world) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"username": "cadre1", "password": "nope",
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200
    assert "账号或密码不正确" in response.text
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "auth.login_failed"))


def test_deactivated_account_cannot_log_in(app, client, world, clock) -> None:
    with app.app_context(), session_scope(app) as s:
        user = s.get(User, world.cadre.id)
        user.active, user.left_on, user.left_reason = False, clock().date(), "retired"
    page = client.get("/login")
    response = client.post("/login", data={"username": "cadre1", "password": "secret123",
                                           "csrf_token": csrf_from(page.text)})
    assert "账号或密码不正确，或账号已停用" in response.text


def test_first_login_forces_a_password_change(app, client, world, clock) -> None:
    with app.app_context(), session_scope(app) as s:
        accounts.create_user(s, username="newbie", password="initial99", full_name="新同志",
                             unit=s.merge(world.office), role="cadre", now=clock())
    page = client.get("/login")
    response = client.post("/login", data={"username": "newbie", "password": "initial99",
                                           "csrf_token": csrf_from(page.text)})
    assert response.location.endswith("/password")
    assert client.get("/exams").location.endswith("/password")
    assert client.get("/api/attempts/1/state").status_code == 403
    token = csrf_from(client.get("/password").text)
    weak = client.post("/password", data={"current": "initial99", "new": "12345678",
                                          "confirm": "12345678", "csrf_token": token})
    assert "新密码须同时包含字母和数字" in weak.text
    done = client.post("/password", data={"current": "initial99", "new": "newpass2026",
                                          "confirm": "newpass2026", "csrf_token": token})
    assert done.status_code == 302
    assert client.get("/exams").status_code == 200


def test_logout_needs_post_and_ends_the_session(client, world) -> None:
    token = login(client, "cadre1")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/exams").location.startswith("/login")


def test_next_only_goes_to_this_site(client, world) -> None:
    page = client.get("/login")
    response = client.post("/login?next=https://evil.example/x", data={
        "username": "cadre1", "password": "secret123", "csrf_token": csrf_from(page.text)})
    assert response.location == "/exams"


def test_forms_without_csrf_are_refused(client, world) -> None:
    response = client.post("/login", data={"username": "cadre1", "password": "secret123"})
    assert response.status_code == 400
    assert "安全校验失败" in response.text


def test_json_without_csrf_header_is_refused(client, world) -> None:
    login(client, "cadre1")
    response = client.post("/api/practice/answer", json={"version_id": 1, "answer": [0]})
    assert response.status_code == 400
    assert response.json["error"].startswith("安全校验失败")
    assert response.json["code"] == "csrf"  # the exam page keeps the answer and asks for a refresh


def test_json_calls_without_login_get_401_not_a_redirect(client, world) -> None:
    response = client.get("/api/attempts/1/state")
    assert response.status_code == 401
    assert response.json == {"error": "登录已失效，请重新登录", "code": "login"}
