"""An exam after it is made: edits before and after the first start, closing, reopening, copying,
deleting, and 补考."""
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from quizapp.errors import Conflict, InvalidInput, NotAllowed
from quizapp.models import Attempt, AuditEvent, Exam
from quizapp.services import attempts as attempt_service
from quizapp.services import exam_changes as svc
from quizapp.services.examinees import exams_for, roster

from ..factories import exam_draft


def test_before_anyone_starts_everything_can_change(db, world, clock) -> None:
    exam = world.upcoming_exam
    draft = replace(svc.draft_of(exam), pass_mark=Decimal(15), duration_minutes=45, paper_mode="fixed",
                    fixed_codes=["TXF-0001", "TXF-0002"], fixed_points=Decimal(10), title="宪法宣誓测试")
    changes = svc.update_exam(db, exam, draft, world.trainer, clock())
    assert set(changes) == {"title", "pass_mark", "duration_minutes", "paper_mode", "paper"}
    assert (exam.title, exam.total_points, [f.question.code for f in exam.fixed_questions]) == (
        "宪法宣誓测试", Decimal(20), ["TXF-0001", "TXF-0002"])
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "exam.update"))
    assert event.user_id == world.trainer.id and event.detail["diff"]["pass_mark"] == ["12", "15"]


def test_an_unchanged_form_changes_nothing(db, world, clock) -> None:
    assert svc.update_exam(db, world.exam, svc.draft_of(world.exam), world.trainer, clock()) == {}


def test_once_started_only_what_cannot_change_a_result_may_change(db, world, clock) -> None:
    exam = world.exam  # cadre3 and cadre4 are answering
    loose = replace(svc.draft_of(exam), title="2026年度学法用法考试（补充说明）", description="带好身份证",
                    closes_at=exam.closes_at + timedelta(days=3), review_policy="immediate",
                    unit_ids=[world.township.id, world.other_township.id])
    with pytest.raises(InvalidInput) as outside:
        svc.update_exam(db, exam, loose, world.trainer, clock())
    assert outside.value.field_errors == {"unit_ids": ["只能选择本单位及下级单位"]}
    loose.unit_ids = [world.township.id, world.village.id]
    assert set(svc.update_exam(db, exam, loose, world.trainer, clock())) == {
        "title", "description", "closes_at", "unit_ids"}
    assert exam.closes_at == world.exam.opens_at + timedelta(hours=1, days=10)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"pass_mark": Decimal(10)}, "pass_mark", "已有考生开始作答，不能再修改：及格分"),
    ({"duration_minutes": 90, "max_attempts": 2}, "duration_minutes", "已有考生开始作答，不能再修改：考试时长、允许作答次数"),
    ({"closes_at": "earlier"}, "closes_at", "已有考生开始作答，截止时间只能推后；如需立即结束请用“提前截止”"),
    ({"review_policy": "never"}, "review_policy", "已有考生开始作答，答案公布方式只能放宽，不能收紧"),
    ({"unit_ids": []}, "unit_ids", "已有考生开始作答，参考单位只能增加，不能减少"),
])
def test_a_change_that_could_alter_a_result_is_refused(db, world, clock, changes, field, message) -> None:
    if changes.get("closes_at") == "earlier":
        changes["closes_at"] = world.exam.closes_at - timedelta(days=1)
    with pytest.raises(InvalidInput) as caught:
        svc.update_exam(db, world.exam, replace(svc.draft_of(world.exam), **changes), world.trainer, clock())
    assert caught.value.field_errors[field] == [message]


def test_closing_early_ends_and_grades_the_open_attempts(db, world, clock) -> None:
    clock.advance(minutes=10)
    graded = svc.close_early(db, world.exam, world.trainer, clock())
    assert graded == 2 and world.exam.closes_at == clock()
    attempts = db.scalars(select(Attempt).where(Attempt.exam_id == world.exam.id)).all()
    assert {a.status for a in attempts} == {"submitted", "expired"}
    assert {a.finished_at for a in attempts if a.status == "expired"} == {clock()}
    with pytest.raises(Conflict) as again:
        svc.close_early(db, world.exam, world.trainer, clock())
    assert again.value.message == "考试已经截止"
    with pytest.raises(Conflict) as upcoming:
        svc.close_early(db, world.upcoming_exam, world.trainer, clock())
    assert upcoming.value.message == "考试尚未开放，不需要提前截止；可以修改开放时间或删除考试"


def test_a_closed_exam_reopens_until_a_new_close_and_keeps_its_list(db, world, clock) -> None:
    clock.advance(days=8)
    with pytest.raises(InvalidInput):
        svc.reopen(db, world.exam, clock() - timedelta(minutes=1), world.trainer, clock())
    svc.reopen(db, world.exam, clock() + timedelta(days=2), world.trainer, clock())
    assert world.exam.closes_at == clock() + timedelta(days=2)
    attempt = attempt_service.start_attempt(db, world.exam.id, world.cadre, clock())
    assert attempt.deadline == clock() + timedelta(minutes=60)
    with pytest.raises(Conflict):
        svc.reopen(db, world.exam, clock() + timedelta(days=3), world.trainer, clock())


def test_a_copy_is_next_years_exam_with_every_setting(db, world, clock) -> None:
    exam = world.fixed_exam
    exam.title = "2025年度反诈专项测试"
    later = datetime(2027, 2, 1, 1, 0)
    copy = svc.copy_draft(exam, later, 2025, 2027)
    assert copy.title == "2027年度反诈专项测试"
    assert (copy.opens_at, copy.closes_at) == (later, later + (exam.closes_at - exam.opens_at))
    assert (copy.fixed_codes, copy.fixed_points, copy.pass_mark, copy.max_attempts) == (
        ["TXF-0001", "TXF-0005", "TXF-0007", "TMF-0004", "TMF-0001"], Decimal(20), Decimal(60), 2)
    assert svc.copy_draft(world.exam, later, 2027, 2027).title == "2026年度学法用法考试（副本）"


def test_an_exam_nobody_started_can_be_deleted(db, world, clock) -> None:
    exam_id = world.upcoming_exam.id
    svc.delete_exam(db, world.upcoming_exam, world.trainer, clock())
    assert db.get(Exam, exam_id) is None
    with pytest.raises(Conflict) as caught:
        svc.delete_exam(db, world.exam, world.trainer, clock())
    assert caught.value.message == "已有考生作答，不能删除；可以提前截止"


# ---- 补考 ----------------------------------------------------------------------------------

def finish(db, world, clock, who, exam, right: bool) -> None:
    from ..factories import right_answer, wrong_answer

    attempt = attempt_service.start_attempt(db, exam.id, who, clock())
    for item in attempt_service.load_paper(db, attempt):
        attempt_service.save_answer(db, attempt, item.id, right_answer(item) if right else wrong_answer(item), clock())
    attempt_service.submit_attempt(db, attempt, clock())


def test_makeup_candidates_are_those_who_failed_or_never_finished(db, world, clock) -> None:
    finish(db, world, clock, world.cadre, world.exam, right=True)
    assert set(svc.makeup_candidates(db, world.exam)) == {
        world.cadre2.id, world.cadre3.id, world.cadre4.id, world.leader.id}


def test_extra_attempts_for_chosen_people(db, world, clock) -> None:
    assert svc.grant_extra_attempts(db, world.exam, [world.leader.id], 2, world.trainer, clock()) == 1
    assert attempt_service.attempts_allowed(db, world.exam, world.leader) == 3
    retry = attempt_service.start_attempt(db, world.exam.id, world.leader, clock())
    assert retry.attempt_no == 2
    assert attempt_service.attempts_allowed(db, world.exam, world.cadre) == 1
    clock.advance(days=8)
    with pytest.raises(Conflict) as closed:
        svc.grant_extra_attempts(db, world.exam, [world.cadre.id], 1, world.trainer, clock())
    assert closed.value.message.startswith("考试已截止，请先重新开放")


def test_a_makeup_exam_is_for_the_chosen_people_only(db, world, clock) -> None:
    clock.advance(days=8)  # the exam has closed: leader failed, cadre2 never took it
    makeup = svc.create_makeup(db, world.exam, [world.leader.id, world.cadre2.id], clock(),
                               clock() + timedelta(days=3), world.trainer, clock())
    assert (makeup.title, makeup.makeup_of_id, makeup.roster_mode) == ("2026年度学法用法考试（补考）", world.exam.id, "listed")
    listed = {e.user.username: e for e in roster(db, makeup)}
    assert set(listed) == {"leader", "cadre2"} and listed["cadre2"].unit_id == world.village.id
    assert makeup.id in {e.id for e in exams_for(db, world.leader)}
    assert makeup.id not in {e.id for e in exams_for(db, world.cadre)}
    with pytest.raises(NotAllowed):
        attempt_service.start_attempt(db, makeup.id, world.cadre, clock())
    assert attempt_service.start_attempt(db, makeup.id, world.cadre2, clock()).exam_id == makeup.id


def test_a_makeup_needs_people_on_the_list(db, world, clock) -> None:
    with pytest.raises(InvalidInput) as nobody:
        svc.create_makeup(db, world.exam, [], clock(), clock() + timedelta(days=1), world.trainer, clock())
    assert nobody.value.message == "请至少选择一人"
    with pytest.raises(InvalidInput):
        svc.grant_extra_attempts(db, world.exam, [world.outsider.id], 1, world.trainer, clock())
    with pytest.raises(Conflict) as unopened:
        svc.create_makeup(db, world.upcoming_exam, [world.cadre.id], clock(), clock() + timedelta(days=1),
                          world.trainer, clock())
    assert unopened.value.message == "考试开放后才有应考名单，才能安排补考"


def test_which_attempt_counts_follows_the_exam(db, world, clock) -> None:
    exam = db.get(Exam, world.retake_exam.id)
    finish(db, world, clock, world.cadre, exam, right=True)
    finish(db, world, clock, world.cadre, exam, right=False)
    best, tried = attempt_service.standing_on(db, exam, world.cadre, clock())
    assert (best.best_score, best.passed, tried[best.counted].attempt_no) == (Decimal(10), True, 1)
    exam.counted_attempt = "last"
    last, tried = attempt_service.standing_on(db, exam, world.cadre, clock())
    assert (last.best_score, last.passed, tried[last.counted].attempt_no) == (Decimal(0), False, 2)


def test_a_draft_for_an_exam_can_count_the_last_attempt(db, world, clock) -> None:
    from quizapp.services.exams import create_exam

    exam = create_exam(db, exam_draft(db, clock(), [world.township], counted_attempt="last"), world.trainer, clock())
    assert exam.counted_attempt == "last"
    with pytest.raises(InvalidInput) as caught:
        create_exam(db, exam_draft(db, clock(), [world.township], counted_attempt="median"), world.trainer, clock())
    assert caught.value.field_errors == {"counted_attempt": ["成绩计算方式无效"]}
