"""The admin's audit log: what was done, by whom, within their part of the tree."""
from sqlalchemy import select

from quizapp.models import AuditEvent

from ..conftest import login


def test_logins_refusals_and_exports_are_on_record(app, client, world, db) -> None:
    intruder = app.test_client()
    page = intruder.get("/login").text
    from ..conftest import csrf_from

    intruder.post("/login", data={"username": "cadre1", "password": "wrong-guess1", "csrf_token": csrf_from(page)})
    token = login(intruder, "cadre1")
    assert intruder.get("/bank/").status_code == 403  # a cadre trying the bank
    assert intruder.post("/admin/people/new", data={"csrf_token": token}).status_code == 403
    trainer = app.test_client()
    login(trainer, "trainer")
    trainer.get("/bank/export/download?format=csv")
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-6:] == ["auth.login_failed", "auth.login", "access.denied", "access.denied", "auth.login",
                            "bank.export"]
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert [(e.user_id, e.detail["method"], e.detail["path"]) for e in denied[-2:]] == [
        (world.cadre.id, "GET", "/bank/"), (world.cadre.id, "POST", "/admin/people/new")]


def test_the_page_filters_by_kind_person_and_day(client, world) -> None:
    login(client, "admin")
    page = client.get("/admin/audit?group=auth&user=admin").text
    assert "登录" in page and "用户admin（admin）" in page and "共 1 条" in page
    assert "共 0 条" in client.get("/admin/audit?group=auth&user=admin&since=2030-01-01").text
    assert "共 1 条" in client.get("/admin/audit?group=auth&user=admin&since=2026-03-02&until=2026-03-02").text
    assert client.get("/admin/audit?since=0001-01-01&until=garbage&page=-3&group=nonsense").status_code == 200


def test_an_admin_sees_only_their_own_part_of_the_tree(app, client, world) -> None:
    stranger = app.test_client()
    login(stranger, "outsider")  # a cadre of the neighbouring township
    login(client, "sadmin")  # the township's admin
    assert "用户outsider" not in client.get("/admin/audit?group=auth").text
    county = app.test_client()
    login(county, "admin")
    assert "用户outsider" in county.get("/admin/audit?group=auth").text
    cadre = app.test_client()
    login(cadre, "cadre1")
    assert cadre.get("/admin/audit").status_code == 403
