"""The unit tree: adding, renaming, moving a subtree, deactivating, and reading paths back."""
import pytest
from sqlalchemy import select

from quizapp.errors import Conflict, InvalidInput, NotAllowed, NotFound
from quizapp.models import AuditEvent, OrgUnit, User
from quizapp.services import units as svc
from quizapp.services.people import deactivate_person


def label(db, unit_id: int) -> str:
    return svc.unit_label(db.get(OrgUnit, unit_id), svc.names_by_id(db))


def test_a_new_unit_sits_under_its_parent_with_its_kind(db, world, clock) -> None:
    team = svc.create_unit(db, " 驻村工作队 ", world.township, "work_team", world.township_admin, clock())
    assert (team.name, team.kind, team.kind_label, team.active) == ("驻村工作队", "work_team", "驻村工作队", True)
    assert team.path == f"{world.township.path}{team.id}/"
    assert label(db, team.id) == "示例县 / 示例乡 / 驻村工作队"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create"))
    assert (event.user_id, event.detail["name"], event.detail["parent_id"]) == (
        world.township_admin.id, "驻村工作队", world.township.id)


@pytest.mark.parametrize(("name", "kind", "message"), [
    ("", "village", "请填写单位名称"),
    ("东风村委会", "village", "同一上级单位下已有名为“东风村委会”的单位"),
    ("东风/西风", "village", "单位名称不超过 100 字，且不能含“/”"),
    ("新村", "castle", "单位类型无效"),
])
def test_bad_units_are_refused_with_a_reason(db, world, clock, name, kind, message) -> None:
    with pytest.raises(InvalidInput) as caught:
        svc.create_unit(db, name, world.township, kind, world.township_admin, clock())
    assert caught.value.message == message


def test_moving_a_unit_moves_its_whole_subtree(db, world, clock) -> None:
    group = svc.create_unit(db, "第一村民小组", world.village, "other", world.admin, clock())
    svc.move_unit(db, db.get(OrgUnit, world.village.id), db.get(OrgUnit, world.other_township.id),
                  world.admin, clock())
    village, group = db.get(OrgUnit, world.village.id), db.get(OrgUnit, group.id)
    assert village.path == f"{world.other_township.path}{village.id}/"
    assert group.path == f"{village.path}{group.id}/"
    assert label(db, group.id) == "示例县 / 邻近镇 / 东风村委会 / 第一村民小组"
    # cadre2 stays in 东风村委会, which is now in 邻近镇.
    assert world.other_township.contains(db.get(User, world.cadre2.id).org_unit)


def test_a_unit_cannot_move_under_itself_or_out_of_scope(db, world, clock) -> None:
    group = svc.create_unit(db, "第一村民小组", world.village, "other", world.admin, clock())
    with pytest.raises(InvalidInput) as caught:
        svc.move_unit(db, world.village, group, world.admin, clock())
    assert caught.value.message == "不能移到自己或自己的下级单位之下"
    with pytest.raises(InvalidInput) as outside:
        svc.move_unit(db, world.village, world.other_township, world.township_admin, clock())
    assert outside.value.message == "只能移到本单位及下级单位之下"
    with pytest.raises(NotAllowed):
        svc.move_unit(db, world.township, world.other_township, world.township_admin, clock())


def test_a_unit_with_people_cannot_be_deactivated(db, world, clock) -> None:
    with pytest.raises(Conflict) as caught:
        svc.set_unit_active(db, world.village2, False, world.township_admin, clock())
    assert caught.value.message == "该单位（含下级单位）还有 1 名在职人员，请先将他们调到其他单位或办理离职"


def test_deactivating_takes_the_subunits_along_and_keeps_them(db, world, clock) -> None:
    deactivate_person(db, db.get(User, world.cadre4.id), "transferred", clock().date(), world.admin, clock())
    group = svc.create_unit(db, "村民小组", world.village2, "other", world.admin, clock())
    assert svc.set_unit_active(db, db.get(OrgUnit, world.village2.id), False, world.township_admin, clock()) == 2
    assert [db.get(OrgUnit, i).active for i in (world.village2.id, group.id)] == [False, False]
    assert world.village2.id not in {r.id for r in svc.unit_rows(db, world.township, active_only=True)}
    assert world.village2.id in {r.id for r in svc.unit_rows(db, world.township)}  # kept for history
    with pytest.raises(InvalidInput) as caught:
        svc.create_unit(db, "新组", db.get(OrgUnit, world.village2.id), "other", world.admin, clock())
    assert caught.value.message == "上级单位已停用"
    svc.set_unit_active(db, db.get(OrgUnit, world.village2.id), True, world.township_admin, clock())
    assert db.get(OrgUnit, world.village2.id).active


def test_unit_rows_give_paths_in_tree_order(db, world, clock) -> None:
    rows = svc.unit_rows(db, world.township)
    assert [(r.path, r.depth) for r in rows] == [
        ("示例县/示例乡", 0), ("示例县/示例乡/乡直机关", 1), ("示例县/示例乡/东风村委会", 1),
        ("示例县/示例乡/河口村委会", 1)]


@pytest.mark.parametrize(("text", "found", "why"), [
    ("示例乡/东风村委会", "示例县/示例乡/东风村委会", ""),
    ("示例县/示例乡/东风村委会", "示例县/示例乡/东风村委会", ""),
    (" 东风村委会 ", "示例县/示例乡/东风村委会", ""),
    ("西山村委会", "示例县/邻近镇/西山村委会", ""),
    ("南山村委会", None, "找不到单位“南山村委会”"),
])
def test_a_unit_typed_by_a_person_is_found_by_path_or_unique_name(db, world, text, found, why) -> None:
    unit, reason = svc.find_unit_by_path(svc.unit_rows(db), text)
    assert (unit.path if unit else None, reason) == (found, why)


def test_a_name_two_units_share_needs_its_parent(db, world, clock) -> None:
    svc.create_unit(db, "东风村委会", world.other_township, "village", world.admin, clock())
    unit, reason = svc.find_unit_by_path(svc.unit_rows(db), "东风村委会")
    assert unit is None and reason.startswith("单位“东风村委会”有 2 个同名单位，请写出上级单位")
    assert svc.find_unit_by_path(svc.unit_rows(db), "邻近镇/东风村委会")[0].path == "示例县/邻近镇/东风村委会"


def test_units_outside_the_admins_subtree_are_not_found(db, world) -> None:
    with pytest.raises(NotFound):
        svc.scoped_unit(db, world.other_village.id, world.township_admin)
    assert svc.scoped_unit(db, world.village.id, world.township_admin).id == world.village.id
