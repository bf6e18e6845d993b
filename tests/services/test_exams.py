from datetime import timedelta
from decimal import Decimal

import pytest

from quizapp.errors import InvalidInput
from quizapp.models import User
from quizapp.services import exams as svc
from quizapp.services.examinees import exams_for, roster
from quizapp.services.exams import RuleDraft
from quizapp.services.exemptions import set_exemptions
from quizapp.services.people import deactivate_person

from ..factories import exam_draft, topic_id


def expected(db, exam) -> set[str]:
    return {e.user.username for e in roster(db, exam) if e.expected}


def field_errors(db, world, clock, **changes):
    with pytest.raises(InvalidInput) as caught:
        svc.create_exam(db, exam_draft(db, clock(), [world.township], **changes), world.trainer, clock())
    return caught.value.field_errors


def test_close_before_open(db, world, clock) -> None:
    errors = field_errors(db, world, clock, closes_at=clock() - timedelta(hours=2))
    assert errors["closes_at"] == ["截止时间必须晚于开始时间"]


def test_not_enough_questions_for_a_rule(db, world, clock) -> None:
    rules = [RuleDraft(topic_id(db, "民法典"), "multiple", 3, Decimal(5))]
    errors = field_errors(db, world, clock, rules=rules)
    assert errors["rules"] == ["专题“民法典”的多选题只有 0 道，规则需要 3 道，题库题目不足"]


def test_pass_mark_above_total(db, world, clock) -> None:
    errors = field_errors(db, world, clock, pass_mark=Decimal(21))
    assert errors["pass_mark"] == ["及格分 21 超过了试卷总分 20"]


def test_units_outside_the_trainers_subtree(db, world, clock) -> None:
    errors = field_errors(db, world, clock, unit_ids=[world.other_township.id])
    assert errors["unit_ids"] == ["只能选择本单位及下级单位"]


def test_every_problem_at_once(db, world, clock) -> None:
    errors = field_errors(db, world, clock, title=" ", duration_minutes=0, unit_ids=[], rules=[])
    assert set(errors) == {"title", "duration_minutes", "unit_ids", "rules"}


def test_fixed_paper_lists_unknown_codes(db, world, clock) -> None:
    errors = field_errors(db, world, clock, paper_mode="fixed",
                          fixed_codes=["TXF-0001", "NOPE-1", "txf-0001"], fixed_points=Decimal(10))
    assert errors["fixed_codes"] == ["题号重复：TXF-0001", "题库中没有这些题号（或已停用）：NOPE-1"]


def test_fixed_paper(db, world, clock) -> None:
    exam = svc.create_exam(db, exam_draft(db, clock(), [world.township], paper_mode="fixed",
                                          fixed_codes=["TXF-0001", "TMF-0004"],
                                          fixed_points=Decimal(50), pass_mark=Decimal(60)),
                           world.trainer, clock())
    assert exam.total_points == Decimal(100)
    assert [f.question.code for f in exam.fixed_questions] == ["TXF-0001", "TMF-0004"]


def test_expected_examinees_are_active_cadres_in_the_subtree_minus_exemptions(db, world, clock) -> None:
    township = {"cadre1", "cadre2", "cadre3", "cadre4", "leader"}
    assert expected(db, world.exam) == township
    assert expected(db, world.other_exam) == {"outsider", "outsider2"}
    set_exemptions(db, world.exam, [world.cadre2.id], "exempt", "seconded", "", "乡长", world.trainer, clock())
    deactivate_person(db, db.get(User, world.cadre.id), "retired", clock().date(), world.admin, clock())
    # The exam opened an hour ago and keeps its list: cadre1's row stays, marked as gone.
    assert expected(db, world.exam) == township - {"cadre1", "cadre2"}
    assert "cadre1" in {e.user.username for e in roster(db, world.exam)}
    # The exemption is for this exam only.
    assert "cadre2" in expected(db, world.fixed_exam)


def test_progress_counts_best_finished_attempt(db, world, clock) -> None:
    from quizapp.services.attempts import start_attempt, submit_attempt

    attempt = start_attempt(db, world.exam.id, world.cadre, clock())
    submit_attempt(db, attempt, clock())
    start_attempt(db, world.exam.id, world.cadre2, clock())
    progress, rows = svc.exam_progress(db, world.exam)
    # 5 examinees: leader finished at 09:00 (8 分), cadre1 just handed in a blank paper,
    # cadre2 has just started, cadre3 and cadre4 have been answering since 09:00.
    assert (progress.expected, progress.finished, progress.passed, progress.in_progress) == (5, 2, 0, 3)
    assert progress.participation_rate == 0.4
    assert {e.user.username: (a.score if a else None) for e, a in rows} == {
        "cadre1": Decimal(0), "cadre2": None, "cadre3": None, "cadre4": None, "leader": Decimal(8)}


def test_assignment_reaches_units_below(db, world, clock) -> None:
    township_exams = {world.exam.id, world.fixed_exam.id, world.retake_exam.id, world.upcoming_exam.id}
    assert {e.id for e in exams_for(db, world.cadre2)} == township_exams
    assert {e.id for e in exams_for(db, world.outsider)} == {world.other_exam.id}
