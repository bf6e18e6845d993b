"""Every role's pages, and the Chinese error pages."""
import pytest

from ..conftest import login


@pytest.mark.parametrize(("username", "allowed", "forbidden"), [
    ("cadre1", ["/exams", "/practice/", "/password"], ["/manage/exams", "/bank/", "/admin/people", "/manage/exams/new"]),
    ("trainer", ["/manage/exams", "/manage/exams/new", "/bank/", "/practice/", "/admin/people"], ["/exams", "/admin/units", "/admin/people/new", "/admin/people/import"]),
    ("admin", ["/manage/exams", "/bank/", "/admin/people", "/admin/units", "/admin/people/new", "/admin/people/import", "/practice/"], ["/exams"]),
])
def test_role_pages(client, world, username, allowed, forbidden) -> None:
    login(client, username)
    for path in allowed:
        assert client.get(path).status_code == 200, path
    for path in forbidden:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "没有使用此功能的权限" in response.text


def test_not_found_page_is_chinese(client, world) -> None:
    login(client, "cadre1")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.text and "返回首页" in response.text
    assert client.get("/exams/99999").status_code == 404


def test_server_error_page_is_chinese(app, client, world) -> None:
    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "服务器内部错误" in response.text and "kaboom" not in response.text


def test_admin_sees_only_their_subtree(client, world) -> None:
    login(client, "admin")
    page = client.get("/admin/people").text
    assert "用户outsider" in page  # the admin sits at county level
    trainer_client = client.application.test_client()
    login(trainer_client, "trainer")
    assert "邻近镇" not in trainer_client.get("/manage/exams/new").text


def test_bank_page_lists_questions(client, world) -> None:
    login(client, "trainer")
    page = client.get("/bank/?type=true_false").text
    assert "TXF-0008" in page and "TXF-0001" not in page
    assert "共 4 题" in page
