import random

import pytest
from sqlalchemy import select

from quizapp.errors import InvalidInput
from quizapp.models import Question, QuestionVersion
from quizapp.services import practice as svc
from quizapp.services.bank import current_version


def version_of(db, code: str) -> QuestionVersion:
    return current_version(db, db.scalar(select(Question).where(Question.code == code)))


def test_wrong_answer_goes_to_the_wrong_book_and_leaves_when_right(db, world, clock) -> None:
    v = version_of(db, "TXF-0001")  # key A
    feedback = svc.answer_question(db, world.cadre, v.id, [1], clock())
    assert (feedback.correct, feedback.answer, feedback.wrong_book_size) == (False, [0], 1)
    assert "根本制度" in feedback.explanation and feedback.basis[0]["article"] == 1
    again = svc.next_question(db, world.cadre, topic_id=None, qtype=None, wrong_book=True)
    assert again is not None and again.id == v.id
    svc.answer_question(db, world.cadre, v.id, [1], clock())
    assert svc.wrong_book_size(db, world.cadre) == 1
    assert svc.answer_question(db, world.cadre, v.id, [0], clock()).wrong_book_size == 0
    assert svc.next_question(db, world.cadre, topic_id=None, qtype=None, wrong_book=True) is None
    assert svc.practice_totals(db, world.cadre) == (3, 1)


def test_practice_by_topic_and_type(db, world, clock) -> None:
    xf = db.scalar(select(Question.topic_id).where(Question.code == "TXF-0001"))
    seen = {svc.next_question(db, world.cadre, topic_id=xf, qtype="true_false", wrong_book=False,
                              rng=random.Random(s)).question.code for s in range(20)}
    assert seen == {"TXF-0007", "TXF-0008"}


def test_practice_does_not_repeat_the_question_just_answered(db, world, clock) -> None:
    xf = db.scalar(select(Question.topic_id).where(Question.code == "TXF-0001"))
    first = svc.next_question(db, world.cadre, topic_id=xf, qtype="true_false", wrong_book=False)
    for _ in range(10):
        nxt = svc.next_question(db, world.cadre, topic_id=xf, qtype="true_false", wrong_book=False,
                                avoid_version_id=first.id)
        assert nxt.id != first.id


def test_practice_needs_an_answer(db, world, clock) -> None:
    with pytest.raises(InvalidInput, match="请先作答"):
        svc.answer_question(db, world.cadre, version_of(db, "TXF-0005").id, [], clock())


def test_practice_pauses_while_an_exam_is_being_taken(db, world, clock) -> None:
    from quizapp.errors import Conflict
    from quizapp.services.attempts import start_attempt, submit_attempt

    attempt = start_attempt(db, world.exam.id, world.cadre, clock())
    with pytest.raises(Conflict, match="交卷后才能继续练习"):
        svc.answer_question(db, world.cadre, version_of(db, "TXF-0001").id, [0], clock())
    submit_attempt(db, attempt, clock())
    assert svc.answer_question(db, world.cadre, version_of(db, "TXF-0001").id, [0], clock()).correct


def test_only_current_versions_can_be_practised(db, world, clock) -> None:
    from quizapp.errors import NotFound

    version = version_of(db, "TXF-0002")
    version.question.latest_version = 2  # as if re-imported with a change
    db.flush()
    with pytest.raises(NotFound, match="已更新或停用"):
        svc.answer_question(db, world.cadre, version.id, [0], clock())


def test_practice_counts_and_the_wrong_book_leave_out_exam_only_questions(db, world, clock) -> None:
    counts = dict((topic.name, c) for topic, c in svc.topic_counts(db))
    assert counts["宪法"]["true_false"] == 2
    svc.answer_question(db, world.cadre, version_of(db, "TXF-0007").id, False, clock())  # both wrong
    assert svc.answer_question(db, world.cadre, version_of(db, "TXF-0001").id, [1], clock()).wrong_book_size == 2
    db.scalar(select(Question).where(Question.code == "TXF-0007")).exam_only = True  # 考试专用 now
    db.flush()
    counts = dict((topic.name, c) for topic, c in svc.topic_counts(db))
    assert counts["宪法"]["true_false"] == 1
    assert svc.wrong_book_size(db, world.cadre) == 1
    drawn = {svc.next_question(db, world.cadre, topic_id=None, qtype=None, wrong_book=True,
                               rng=random.Random(s)).question.code for s in range(10)}
    assert drawn == {"TXF-0001"}
    for question in db.scalars(select(Question).where(Question.code.like("TMF-%"))):
        question.exam_only = True  # every 民法典 question: the topic has nothing left to practise
    db.flush()
    assert "民法典" not in [topic.name for topic, _ in svc.topic_counts(db)]
