import random
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from quizapp.errors import AttemptClosed, Conflict, InvalidInput, NotAllowed, NotFound
from quizapp.models import Answer, Attempt
from quizapp.services import attempts as svc
from quizapp.services.exams import create_exam
from quizapp.services.exemptions import set_exemptions

from ..factories import exam_draft


def right_answer(item):
    """What the examinee would click to be right, in the shown order."""
    from quizapp.domain.grading import displayed_from_response

    return displayed_from_response(item.version.qtype, item.option_order, item.version.answer)


def test_start_freezes_a_paper_and_sets_the_deadline(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock(), random.Random(1))
    items = svc.load_paper(db, attempt)
    assert len(items) == 9
    assert [i.version.qtype for i in items] == ["single"] * 5 + ["multiple"] * 2 + ["true_false"] * 2
    assert attempt.deadline == clock() + timedelta(minutes=60)
    assert sum(i.points for i in items) == Decimal(20)
    # Starting again resumes the same attempt instead of drawing another paper.
    assert svc.start_attempt(db, world.exam.id, world.cadre, clock()).id == attempt.id


def test_full_marks_and_pass(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    for item in svc.load_paper(db, attempt):
        svc.save_answer(db, attempt, item.id, right_answer(item), clock())
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.status, attempt.score, attempt.passed) == ("submitted", Decimal(20), True)


def test_resaving_replaces_the_answer(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    item = svc.load_paper(db, attempt)[0]
    svc.save_answer(db, attempt, item.id, [0], clock())
    svc.save_answer(db, attempt, item.id, [2], clock())
    assert db.scalar(select(func.count()).select_from(Answer).where(Answer.attempt_item_id == item.id)) == 1
    assert svc.attempt_state(db, attempt, clock()).answers == {item.id: [2]}
    svc.save_answer(db, attempt, item.id, [], clock())
    assert svc.attempt_state(db, attempt, clock()).answers == {}


def test_answer_after_deadline_is_refused(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    item = svc.load_paper(db, attempt)[0]
    clock.advance(minutes=60)
    with pytest.raises(AttemptClosed, match="考试时间已到"):
        svc.save_answer(db, attempt, item.id, [0], clock())


def test_double_submit_grades_once(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    item = svc.load_paper(db, attempt)[0]
    svc.save_answer(db, attempt, item.id, right_answer(item), clock())
    svc.submit_attempt(db, attempt, clock())
    first = (attempt.score, attempt.finished_at)
    clock.advance(minutes=1)
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.score, attempt.finished_at) == first == (Decimal(2), clock() - timedelta(minutes=1))
    with pytest.raises(AttemptClosed, match="已交卷"):
        svc.save_answer(db, attempt, item.id, [1], clock())


def test_abandoned_attempt_is_finalized_with_what_was_saved(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    items = svc.load_paper(db, attempt)
    svc.save_answer(db, attempt, items[0].id, right_answer(items[0]), clock())
    clock.advance(minutes=59)
    assert svc.finalize_overdue(db, clock()) == 0
    clock.advance(minutes=5)
    # cadre1's and the five attempts colleagues of both townships left open at 09:00
    assert svc.finalize_overdue(db, clock()) == 6
    db.refresh(attempt)
    assert (attempt.status, attempt.score, attempt.finished_at) == ("expired", Decimal(2), attempt.deadline)
    assert svc.finalize_overdue(db, clock()) == 0


def test_attempt_limit_and_window(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    svc.submit_attempt(db, attempt, clock())
    with pytest.raises(Conflict, match="最多可作答 1 次"):
        svc.start_attempt(db, world.exam.id, world.cadre, clock())
    clock.advance(days=8)
    with pytest.raises(AttemptClosed, match="考试已截止"):
        svc.start_attempt(db, world.exam.id, world.cadre2, clock())


def test_exam_not_yet_open(db, world, clock) -> None:
    later = create_exam(db, exam_draft(db, clock(), [world.township], opens_at=clock() + timedelta(days=1)),
                        world.trainer, clock())
    with pytest.raises(Conflict, match="尚未开始"):
        svc.start_attempt(db, later.id, world.cadre, clock())


def test_only_assigned_and_not_exempt_cadres_may_start(db, world, clock) -> None:
    with pytest.raises(NotAllowed):
        svc.start_attempt(db, world.exam.id, world.outsider, clock())
    with pytest.raises(NotAllowed):
        svc.start_attempt(db, world.exam.id, world.trainer, clock())
    set_exemptions(db, world.exam, [world.cadre2.id], "exempt", "sick_leave", "", "乡长", world.trainer, clock())
    db.flush()
    with pytest.raises(NotAllowed):
        svc.start_attempt(db, world.exam.id, world.cadre2, clock())


def test_someone_elses_attempt_is_not_found(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    with pytest.raises(NotFound):
        svc.get_own_attempt(db, attempt.id, world.cadre2)


def test_malformed_answers_are_invalid_input(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    single = svc.load_paper(db, attempt)[0]
    with pytest.raises(InvalidInput, match="单选题只能选择一个选项"):
        svc.save_answer(db, attempt, single.id, [0, 1], clock())
    with pytest.raises(NotFound):
        svc.save_answer(db, attempt, 999_999, [0], clock())


def test_partial_credit_exam(db, world, clock) -> None:
    exam = create_exam(db, exam_draft(db, clock(), [world.township], multiple_scoring="partial"),
                       world.trainer, clock())
    attempt = svc.start_attempt(db, exam.id, world.cadre, clock())
    multiples = [i for i in svc.load_paper(db, attempt) if i.version.qtype == "multiple"]
    for item in multiples:
        svc.save_answer(db, attempt, item.id, right_answer(item)[:1], clock())
    svc.submit_attempt(db, attempt, clock())
    expected = sum(Decimal(3) / len(i.version.answer) for i in multiples)
    assert attempt.score == expected.quantize(Decimal("0.01"))


def test_one_open_attempt_is_enforced_by_the_database(db, world, clock) -> None:
    from sqlalchemy.exc import IntegrityError

    first = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    twin = Attempt(exam_id=world.exam.id, user_id=world.cadre.id, attempt_no=2,
                   started_at=clock(), deadline=first.deadline, status="in_progress")
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(twin)


def test_the_pages_own_time_up_submit_counts_as_finalized(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    clock.advance(minutes=59, seconds=59)  # the browser's countdown ran out a moment early
    svc.submit_attempt(db, attempt, clock(), time_up=True)
    assert attempt.status == "expired"
