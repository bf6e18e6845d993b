"""The admin's pages: units, people, passwords, roster import, and who may do what."""
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.db import session_scope
from quizapp.models import OrgUnit, User

from ..conftest import csrf_from, login

ROSTER = "姓名,账号,单位,职务,人员类别,是否领导干部\n孙丽,sunli,示例乡/东风村委会,村委会委员,村（社区）干部,否\n"


def user(app, username: str) -> User | None:
    with app.app_context(), session_scope(app) as s:
        return s.scalar(select(User).where(User.username == username))


def issued_password(html: str) -> str:
    return re.search(r'id="issued-password">([^<]+)<', html).group(1)


def test_an_admin_adds_a_person_who_must_change_the_password(app, client, world) -> None:
    token = login(client, "sadmin")
    page = client.post("/admin/people/new", data={
        "csrf_token": token, "full_name": "孙丽", "username": "sunli", "phone": "13912345678",
        "unit_id": str(world.village.id), "position": "村委会委员", "category": "village_cadre",
        "role": "cadre"})
    assert page.status_code == 200 and "初始密码只显示这一次" in page.text
    password = issued_password(page.text)
    newcomer = app.test_client()
    assert newcomer.post("/login", data={"username": "sunli", "password": password,
                                         "csrf_token": csrf_from(newcomer.get("/login").text)}).location == "/password"
    assert newcomer.get("/exams").location == "/password"


def test_form_errors_are_shown_beside_the_fields(client, world) -> None:
    token = login(client, "sadmin")
    page = client.post("/admin/people/new", data={
        "csrf_token": token, "full_name": "孙丽", "username": "cadre1", "phone": "123",
        "unit_id": str(world.other_village.id), "category": "village_cadre", "role": "cadre"})
    assert page.status_code == 200
    messages = re.findall(r'invalid-feedback d-block">([^<]+)<', page.text)
    assert "手机号“123”不是 11 位手机号码" in messages and "请选择本单位或下级单位" in messages


def test_a_reset_password_ends_the_users_other_sessions(app, client, world) -> None:
    cadre = app.test_client()
    login(cadre, "cadre1")
    assert cadre.get("/exams").status_code == 200
    token = login(client, "trainer")  # trainers reset cadres' passwords too
    page = client.post(f"/admin/people/{world.cadre.id}/password", data={"csrf_token": token})
    assert "已重置密码：用户cadre1" in page.text
    assert cadre.get("/exams").location.startswith("/login")  # the old session is gone
    fresh = app.test_client()
    login_page = csrf_from(fresh.get("/login").text)
    response = fresh.post("/login", data={"username": "cadre1", "password": issued_password(page.text),
                                          "csrf_token": login_page})
    assert response.location == "/password"


def test_a_trainer_resets_only_cadres(client, world) -> None:
    token = login(client, "trainer")
    response = client.post(f"/admin/people/{world.township_admin.id}/password", data={"csrf_token": token})
    assert response.status_code == 403 and "培训管理员只能重置考生的密码" in response.text
    assert client.post(f"/admin/people/{world.outsider.id}/password", data={"csrf_token": token}).status_code == 404


def test_admins_act_only_inside_their_own_subtree(client, world) -> None:
    token = login(client, "oadmin")  # 邻近镇's admin
    assert client.get(f"/admin/people/{world.cadre.id}").status_code == 404
    assert client.get(f"/admin/units/{world.village.id}").status_code == 404
    assert client.post(f"/admin/people/{world.cadre.id}/leave", data={
        "csrf_token": token, "reason": "retired", "on": "2026-03-01"}).status_code == 404
    page = client.get("/admin/people").text
    assert "用户outsider" in page and "用户cadre1" not in page


def test_leaving_and_returning_in_the_browser(app, client, world) -> None:
    token = login(client, "sadmin")
    response = client.post(f"/admin/people/{world.cadre.id}/leave", data={
        "csrf_token": token, "reason": "retired", "on": "2026-02-28"})
    assert response.location == f"/admin/people/{world.cadre.id}"
    page = client.get(response.location).text
    assert "已办理离职（退休）" in page and "恢复在职" in page
    assert user(app, "cadre1").active is False
    listed = client.get("/admin/people?status=inactive").text
    assert "离职（退休 2026-02-28）" in listed
    client.post(f"/admin/people/{world.cadre.id}/return", data={"csrf_token": token})
    assert user(app, "cadre1").active is True


def test_a_refused_action_comes_back_with_the_reason(client, world) -> None:
    token = login(client, "sadmin")
    response = client.post(f"/admin/people/{world.leader.id}/delete", data={"csrf_token": token})
    assert response.location == f"/admin/people/{world.leader.id}"
    assert "不能删除" in client.get(response.location).text


def test_units_are_added_and_moved_in_the_browser(app, client, world) -> None:
    token = login(client, "sadmin")
    client.post("/admin/units", data={"csrf_token": token, "name": "驻村工作队", "kind": "work_team",
                                      "parent_id": str(world.township.id)})
    page = client.get("/admin/units").text
    assert "示例县/示例乡/驻村工作队" in page.replace(" / ", "/")
    with app.app_context(), session_scope(app) as s:
        team = s.scalar(select(OrgUnit).where(OrgUnit.name == "驻村工作队"))
    client.post(f"/admin/units/{team.id}", data={"csrf_token": token, "name": "驻村工作队（东风村）",
                                                  "kind": "work_team", "parent_id": str(world.village.id)})
    with app.app_context(), session_scope(app) as s:
        moved = s.get(OrgUnit, team.id)
        assert (moved.name, moved.parent_id) == ("驻村工作队（东风村）", world.village.id)
    refused = client.post(f"/admin/units/{world.village2.id}/active", data={"csrf_token": token, "active": "0"})
    assert "还有 1 名在职人员" in client.get(refused.location).text


def test_importing_a_roster_previews_then_writes_and_hands_out_passwords(app, client, world) -> None:
    token = login(client, "sadmin")
    preview = client.post("/admin/people/import", data={
        "csrf_token": token, "file": (io.BytesIO(ROSTER.encode("gbk")), "名单.csv")},
        content_type="multipart/form-data")
    assert preview.status_code == 200 and 'id="count-new">1<' in preview.text
    assert user(app, "sunli") is None  # nothing written before the confirmation
    stash = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    done = client.post("/admin/people/import/confirm", data={"csrf_token": token, "token": stash})
    assert "新增 1 人，更新 0 人，未变 0 人" in done.text
    password = re.search(r"<code>([^<]+)</code>", done.text).group(1)
    download = re.search(r'href="(/admin/people/import/passwords/[^"]+)"', done.text).group(1)
    sheet = load_workbook(io.BytesIO(client.get(download).data))["初始密码表"]
    assert list(sheet.iter_rows(values_only=True))[1] == ("孙丽", "示例县/示例乡/东风村委会", "sunli", password)
    assert client.get(download).status_code == 404  # a one-time download
    assert client.post("/admin/people/import/confirm", data={"csrf_token": token, "token": stash}).status_code == 404
    assert user(app, "sunli").must_change_password


def test_a_roster_file_with_one_bad_row_writes_nothing_and_names_it(app, client, world) -> None:
    token = login(client, "sadmin")
    bad = ROSTER + "周全,zhouquan,示例乡/南山村委会,科员,公务员,否\n"
    page = client.post("/admin/people/import", data={
        "csrf_token": token, "file": (io.BytesIO(bad.encode()), "名单.csv")}, content_type="multipart/form-data")
    assert "发现 1 处问题，整批未导入" in page.text
    assert re.search(r"<td[^>]*>第 3 行</td><td[^>]*>单位</td><td[^>]*>找不到单位“示例乡/南山村委会”", page.text)
    assert "确认导入" not in page.text and user(app, "sunli") is None


def test_a_file_that_is_not_a_spreadsheet_gets_a_message(client, world) -> None:
    token = login(client, "sadmin")
    page = client.post("/admin/people/import", data={
        "csrf_token": token, "file": (io.BytesIO(b"\x89PNG\r\n" + b"\x00" * 64), "photo.xlsx")},
        content_type="multipart/form-data")
    assert page.status_code == 200 and "文件不是有效的 .xlsx 文件" in page.text
    wrong_type = client.post("/admin/people/import", data={
        "csrf_token": token, "file": (io.BytesIO(b"x"), "notes.docx")}, content_type="multipart/form-data")
    assert "只能导入 .xlsx 或 .csv 文件" in wrong_type.text


def test_the_import_template_downloads(client, world) -> None:
    login(client, "sadmin")
    response = client.get("/admin/people/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["人员名单", "填写说明"]
    assert next(book["人员名单"].iter_rows(values_only=True)) == (
        "姓名", "账号", "手机号", "单位", "职务", "人员类别", "是否领导干部")


def test_people_filters_in_the_browser(client, world) -> None:
    login(client, "sadmin")
    page = client.get(f"/admin/people?unit={world.village.id}&sub=0&leader=1").text
    assert "共 1 人" in page and "用户cadre2" in page
    assert "共 2 人" in client.get("/admin/people?category=village_cadre").text
