"""The roster: people added, edited, moved, leaving and returning, passwords reset, found by filters."""
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from quizapp.errors import Conflict, InvalidInput, NotAllowed, NotFound
from quizapp.models import AuditEvent, User
from quizapp.services import accounts
from quizapp.services import people as svc
from quizapp.services.people import PeopleFilter, PersonForm


def form(world, **changes) -> PersonForm:
    values = dict(full_name="赵新", username="zhaoxin", phone="13800138000", unit_id=world.village.id,
                  position="村委会委员", category="village_cadre", is_leader=False, role="cadre")
    values.update(changes)
    return PersonForm(**values)


def test_a_new_person_must_change_the_one_time_password(db, world, clock) -> None:
    password = accounts.generate_initial_password()
    person = svc.create_person(db, form(world), accounts.initial_password_hash(password),
                               world.township_admin, clock())
    assert (person.full_name, person.org_unit_id, person.category_label, person.must_change_password) == (
        "赵新", world.village.id, "村（社区）干部", True)
    assert check_password_hash(person.password_hash, password) and len(password) == 12
    assert accounts.password_problems(password, person.username) == []


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"full_name": " "}, "full_name", "姓名不能为空"),
    ({"username": "张三"}, "username", "账号须为 2 到 32 位字母、数字或 _ . @ -，以字母或数字开头"),
    ({"phone": "1380013800"}, "phone", "手机号“1380013800”不是 11 位手机号码"),
    ({"category": "farmer"}, "category", "人员类别无效"),
    ({"username": "CADRE1"}, "username", "账号“CADRE1”已存在"),
    ({"role": "overlord"}, "role", "角色无效"),
])
def test_bad_person_data_gets_a_message_by_field(db, world, clock, changes, field, message) -> None:
    with pytest.raises(InvalidInput) as caught:
        svc.create_person(db, form(world, **changes), "x", world.township_admin, clock())
    assert caught.value.message == message and field in caught.value.field_errors


def test_people_go_only_into_units_of_the_admins_subtree(db, world, clock) -> None:
    with pytest.raises(InvalidInput) as caught:
        svc.create_person(db, form(world, unit_id=world.other_village.id), "x", world.township_admin, clock())
    assert caught.value.field_errors == {"unit_id": ["请选择本单位或下级单位"]}
    with pytest.raises(NotFound):
        svc.person_in_scope(db, world.outsider.id, world.township_admin)
    assert svc.person_in_scope(db, world.outsider.id, world.admin).id == world.outsider.id


def test_an_edit_moves_the_person_and_records_what_changed(db, world, clock) -> None:
    person = db.get(User, world.cadre2.id)
    diff = svc.update_person(db, person, form(world, full_name="用户cadre2", username="cadre2", phone="",
                                              unit_id=world.village2.id, position="村委会主任", is_leader=True),
                             world.township_admin, clock())
    assert diff == {"org_unit_id": [world.village.id, world.village2.id]}
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "person.update"))
    assert (event.user_id, event.detail) == (world.township_admin.id,
                                             {"person_id": person.id, "diff": {"org_unit_id": [world.village.id, world.village2.id]}})


def test_leaving_stops_the_account_and_ends_its_sessions(db, world, clock) -> None:
    person = db.get(User, world.cadre.id)
    svc.deactivate_person(db, person, "retired", date(2026, 2, 28), world.township_admin, clock())
    assert (person.active, person.left_reason_label, person.left_on, person.session_version) == (
        False, "退休", date(2026, 2, 28), 1)
    with pytest.raises(Conflict):
        svc.deactivate_person(db, person, "retired", date(2026, 2, 28), world.township_admin, clock())
    svc.reactivate_person(db, person, world.township_admin, clock())
    assert (person.active, person.left_reason, person.left_on) == (True, None, None)


def test_nobody_stops_or_deletes_their_own_account(db, world, clock) -> None:
    with pytest.raises(NotAllowed):
        svc.deactivate_person(db, world.township_admin, "other", clock().date(), world.township_admin, clock())
    with pytest.raises(NotAllowed):
        svc.delete_person(db, world.township_admin, world.township_admin, clock())


def test_a_person_with_history_is_never_deleted(db, world, clock) -> None:
    with pytest.raises(Conflict) as caught:
        svc.delete_person(db, db.get(User, world.leader.id), world.admin, clock())
    assert caught.value.message == "该人员已有考试、练习或操作记录，不能删除；如已调离或退休，请办理离职"
    typo = svc.create_person(db, form(world, username="typo"), "x", world.admin, clock())
    assert svc.has_history(db, typo) is False
    svc.delete_person(db, typo, world.admin, clock())
    assert db.scalar(select(User).where(User.username == "typo")) is None


def test_a_reset_password_must_be_changed_and_ends_every_session(db, world, clock) -> None:
    person = db.get(User, world.cadre.id)
    before = person.get_id()
    svc.reset_password(db, person, accounts.initial_password_hash("Abc12345xyz9"), world.trainer, clock())
    assert person.must_change_password and person.get_id() != before
    assert check_password_hash(person.password_hash, "Abc12345xyz9")
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "auth.password_reset"))
    assert (event.user_id, event.detail["person_id"]) == (world.trainer.id, person.id)


def test_trainers_reset_only_cadres(db, world, clock) -> None:
    with pytest.raises(NotAllowed) as caught:
        svc.reset_password(db, world.township_admin, "x", world.trainer, clock())
    assert caught.value.message == "培训管理员只能重置考生的密码"
    with pytest.raises(NotAllowed):
        svc.reset_password(db, world.trainer, "x", world.trainer, clock())


@pytest.mark.parametrize(("filters", "expected"), [
    (PeopleFilter(), {"cadre1", "cadre2", "cadre3", "cadre4", "leader", "trainer", "vtrainer", "sadmin"}),
    (PeopleFilter(role="cadre", leader=True), {"cadre2", "leader"}),
    (PeopleFilter(category="village_cadre"), {"cadre2", "cadre4"}),
    (PeopleFilter(text="cadre1"), {"cadre1"}),
    (PeopleFilter(text="副乡长"), {"leader"}),
    (PeopleFilter(unit_id="village", with_subunits=False), {"cadre2", "vtrainer"}),
    (PeopleFilter(unit_id="other_township"), {"cadre1", "cadre2", "cadre3", "cadre4", "leader", "trainer",
                                              "vtrainer", "sadmin"}),  # outside the scope: the scope
    (PeopleFilter(status="inactive"), set()),
])
def test_search_filters(db, world, filters, expected) -> None:
    if isinstance(filters.unit_id, str):
        filters = PeopleFilter(unit_id=getattr(world, filters.unit_id).id, with_subunits=filters.with_subunits)
    found, total = svc.search_people(db, world.township_admin, filters, 1)
    assert {p.username for p in found} == expected and total == len(expected)


def test_search_finds_people_who_left_by_status(db, world, clock) -> None:
    svc.deactivate_person(db, db.get(User, world.cadre4.id), "transferred", clock().date(), world.admin, clock())
    found, _ = svc.search_people(db, world.township_admin, PeopleFilter(status="inactive"), 1)
    assert [p.username for p in found] == ["cadre4"]
    assert "cadre4" not in {p.username for p in svc.search_people(db, world.township_admin, PeopleFilter(), 1)[0]}
