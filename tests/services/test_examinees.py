"""应考 is explicit and reproducible: each exam keeps the list it had when it opened."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from quizapp.errors import Conflict, InvalidInput, NotAllowed
from quizapp.models import Attempt, OrgUnit, User
from quizapp.services import accounts, people, units
from quizapp.services import attempts as attempt_service
from quizapp.services import exams as exam_service
from quizapp.services.examinees import exams_for, may_take, roster, summarize
from quizapp.services.exemptions import clear_exemptions, set_exemptions

TOWNSHIP = {"cadre1", "cadre2", "cadre3", "cadre4", "leader"}


def rows(db, exam) -> dict[str, object]:
    return {e.user.username: e for e in roster(db, exam)}


def expected(db, exam) -> set[str]:
    return {e.user.username for e in roster(db, exam) if e.expected}


def edit(world, person: User, **changes) -> people.PersonForm:
    values = dict(full_name=person.full_name, username=person.username, phone=person.phone,
                  unit_id=person.org_unit_id, position=person.position, category=person.category,
                  is_leader=person.is_leader, role=person.role)
    values.update(changes)
    return people.PersonForm(**values)


def test_the_list_is_taken_when_the_exam_opens(db, world) -> None:
    assert world.exam.roster_frozen_at == world.exam.opens_at
    listed = rows(db, world.exam)
    assert set(listed) == TOWNSHIP
    assert (listed["cadre2"].unit_id, listed["cadre2"].category, listed["cadre2"].is_leader) == (
        world.village.id, "village_cadre", True)
    assert world.upcoming_exam.roster_frozen_at is None


def test_moving_a_cadre_after_an_exam_leaves_their_row_and_score_where_they_were_earned(db, world, clock) -> None:
    clock.advance(days=8)  # the exam closed yesterday
    leader = db.get(User, world.leader.id)
    people.update_person(db, leader, edit(world, leader, unit_id=world.other_office.id, is_leader=False,
                                          category="public_institution"), world.admin, clock())
    row = rows(db, world.exam)["leader"]
    assert (row.unit_id, row.category, row.is_leader, row.left_at, row.expected) == (
        world.office.id, "civil_servant", True, None, True)
    progress, entries = exam_service.exam_progress(db, world.exam)
    assert {e.user.username: (a.score if a else None) for e, a in entries}["leader"] == Decimal(8)
    assert (progress.expected, progress.finished) == (5, 1)
    # The closed exam of the other township did not gain them, and they still see their own.
    assert "leader" not in rows(db, world.other_exam)
    assert world.exam.id in {e.id for e in exams_for(db, leader)}


def test_deactivating_after_the_exam_changes_nothing(db, world, clock) -> None:
    clock.advance(days=8)
    people.deactivate_person(db, db.get(User, world.cadre.id), "retired", clock().date(), world.admin, clock())
    assert expected(db, world.exam) == TOWNSHIP


def test_someone_who_joins_while_the_exam_is_open_is_added(db, world, clock) -> None:
    clock.advance(hours=2)
    newcomer = people.create_person(db, people.PersonForm(
        "孙新", "sunxin", "", world.village.id, "村委会委员", "village_cadre", False),
        accounts.initial_password_hash("Abc12345xyz9"), world.township_admin, clock())
    row = rows(db, world.exam)["sunxin"]
    assert (row.joined_during_window, row.unit_id, row.expected) == (True, world.village.id, True)
    assert may_take(db, world.exam, newcomer)
    assert summarize(roster(db, world.exam)).joined == 1
    # An exam that has not opened yet works from today's roster; a closed one is untouched.
    assert "sunxin" in rows(db, world.upcoming_exam)


def test_someone_who_leaves_while_the_exam_is_open_keeps_a_marked_row(db, world, clock) -> None:
    clock.advance(hours=2)
    people.deactivate_person(db, db.get(User, world.cadre.id), "transferred", clock().date(), world.admin, clock())
    cadre4 = db.get(User, world.cadre4.id)
    people.update_person(db, cadre4, edit(world, cadre4, unit_id=world.other_village.id), world.admin, clock())
    listed = rows(db, world.exam)
    assert listed["cadre1"].left_at == clock() and listed["cadre4"].left_at == clock()
    assert expected(db, world.exam) == TOWNSHIP - {"cadre1", "cadre4"}
    summary = summarize(roster(db, world.exam))
    assert (summary.listed, summary.expected, summary.left) == (5, 3, 2)
    # cadre4 moved to 西山村委会: 邻近镇's open exam now expects them, 示例乡's no longer does.
    assert rows(db, world.other_exam)["cadre4"].joined_during_window
    assert not may_take(db, world.exam, cadre4) and may_take(db, world.other_exam, cadre4)
    with pytest.raises(NotAllowed):
        attempt_service.start_attempt(db, world.exam.id, cadre4, clock())


def test_coming_back_within_the_window_clears_the_mark(db, world, clock) -> None:
    clock.advance(hours=2)
    person = db.get(User, world.cadre.id)
    people.deactivate_person(db, person, "other", clock().date(), world.admin, clock())
    people.reactivate_person(db, person, world.admin, clock())
    assert rows(db, world.exam)["cadre1"].left_at is None and "cadre1" in expected(db, world.exam)


def test_a_unit_moved_out_takes_its_people_out_of_open_lists(db, world, clock) -> None:
    clock.advance(hours=2)
    units.move_unit(db, db.get(OrgUnit, world.village2.id), db.get(OrgUnit, world.other_township.id),
                    world.admin, clock())
    assert rows(db, world.exam)["cadre4"].left_at == clock()
    assert rows(db, world.other_exam)["cadre4"].unit_id == world.village2.id


def test_a_change_before_an_exam_opens_counts_and_the_list_is_taken_as_it_stood_at_the_opening(db, world, clock) -> None:
    cadre4 = db.get(User, world.cadre4.id)
    people.update_person(db, cadre4, edit(world, cadre4, unit_id=world.other_village.id), world.admin, clock())
    assert "cadre4" not in rows(db, world.upcoming_exam)
    # Nothing reads the upcoming exam until two days after it opened; then cadre2 leaves.
    clock.current = world.upcoming_exam.opens_at + timedelta(days=2)
    people.deactivate_person(db, db.get(User, world.cadre2.id), "retired", clock().date(), world.admin, clock())
    exam = db.get(type(world.upcoming_exam), world.upcoming_exam.id)
    assert exam.roster_frozen_at == exam.opens_at
    listed = rows(db, exam)
    assert set(listed) == TOWNSHIP - {"cadre4"}
    assert listed["cadre2"].left_at == clock()  # taken at the opening, then marked as gone


# ---- 免考 and 缓考 -----------------------------------------------------------------------

def test_several_people_are_excused_at_once_with_reason_and_approver(db, world, clock) -> None:
    count = set_exemptions(db, world.exam, [world.cadre.id, world.cadre2.id], "exempt", "sick_leave",
                           "住院", "李乡长", world.trainer, clock())
    listed = rows(db, world.exam)
    assert count == 2 and listed["cadre1"].exemption.label == "免考：长期病假（住院）"
    assert listed["cadre1"].exemption.approved_by == "李乡长"
    assert expected(db, world.exam) == TOWNSHIP - {"cadre1", "cadre2"}
    assert world.exam.id not in {e.id for e in exams_for(db, world.cadre)}
    with pytest.raises(NotAllowed):
        attempt_service.start_attempt(db, world.exam.id, world.cadre, clock())
    set_exemptions(db, world.exam, [world.cadre.id], "deferred", "seconded", "", "李乡长", world.trainer, clock())
    assert rows(db, world.exam)["cadre1"].exemption.label == "缓考：借调"
    assert clear_exemptions(db, world.exam, [world.cadre.id, world.cadre2.id], world.trainer, clock()) == 2
    assert expected(db, world.exam) == TOWNSHIP


def test_someone_who_took_the_exam_cannot_be_excused(db, world, clock) -> None:
    with pytest.raises(Conflict) as caught:
        set_exemptions(db, world.exam, [world.cadre.id, world.leader.id], "exempt", "other", "", "乡长",
                       world.trainer, clock())
    assert caught.value.message == "已参加考试的人员不能设为免考或缓考：用户leader"


@pytest.mark.parametrize(("kind", "reason", "approved_by", "message"), [
    ("holiday", "other", "乡长", "请选择免考或缓考"),
    ("exempt", "bored", "乡长", "请选择原因"),
    ("exempt", "other", " ", "请填写批准人"),
])
def test_an_exemption_needs_kind_reason_and_approver(db, world, clock, kind, reason, approved_by, message) -> None:
    with pytest.raises(InvalidInput) as caught:
        set_exemptions(db, world.exam, [world.cadre.id], kind, reason, "", approved_by, world.trainer, clock())
    assert caught.value.message == message


def test_only_people_on_the_list_can_be_excused(db, world, clock) -> None:
    with pytest.raises(InvalidInput):
        set_exemptions(db, world.exam, [world.outsider.id], "exempt", "other", "", "乡长", world.trainer, clock())
    assert db.scalar(select(Attempt.id).where(Attempt.user_id == world.outsider.id, Attempt.exam_id == world.exam.id)) is None
