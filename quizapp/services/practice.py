"""Practice (学法): instant feedback, a history, and the 错题本 that empties as you get it right."""
from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from ..db import dialect_insert
from ..domain import grading
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Attempt, Exam, PracticeAnswer, Question, QuestionVersion, Topic, User, WrongBookEntry

_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


def _current(query: _Query) -> _Query:
    """Current versions of questions in use, 考试专用 ones left out: practice shows the key."""
    return (query.join(Question, Question.id == QuestionVersion.question_id)
            .where(QuestionVersion.version_no == Question.latest_version,
                   Question.retired.is_(False), Question.exam_only.is_(False)))


def exam_in_progress(session: Session, user: User) -> Exam | None:
    """The exam the user is taking right now, if any: practice pauses until it is handed in."""
    return session.scalar(
        select(Exam).join(Attempt, Attempt.exam_id == Exam.id)
        .where(Attempt.user_id == user.id, Attempt.status == "in_progress").limit(1))


def next_question(session: Session, user: User, *, topic_id: int | None, qtype: str | None,
                  wrong_book: bool, rng: random.Random | None = None,
                  avoid_version_id: int | None = None) -> QuestionVersion | None:
    """A random current question of the topic/type, or from the user's 错题本; None if none left."""
    query = _current(select(QuestionVersion.id))
    if topic_id:
        query = query.where(Question.topic_id == topic_id)
    if qtype:
        query = query.where(QuestionVersion.qtype == qtype)
    if wrong_book:
        query = query.join(WrongBookEntry, WrongBookEntry.question_id == Question.id).where(
            WrongBookEntry.user_id == user.id)
    ids = list(session.scalars(query))
    if avoid_version_id in ids and len(ids) > 1:  # do not ask the same question twice in a row
        ids.remove(avoid_version_id)
    if not ids:
        return None
    return session.get(QuestionVersion, (rng or random).choice(ids))


def question_by_code(session: Session, code: str) -> QuestionVersion | None:
    """The current version of one question, when practice may show it (in use, not 考试专用)."""
    return session.scalar(_current(select(QuestionVersion)).where(Question.code == code))


@dataclass(frozen=True)
class Feedback:
    correct: bool
    answer: object  # displayed form: list of option indexes or a bool
    explanation: str
    basis: list[dict[str, Any]]
    wrong_book_size: int


def answer_question(session: Session, user: User, version_id: int, chosen: object,
                    now: datetime) -> Feedback:
    """Grade a practice answer; a wrong one goes into the 错题本, a right one takes it out."""
    if exam_in_progress(session, user) is not None:
        # Practice reveals keys; the same bank feeds the exam being taken.
        raise Conflict("您有正在进行的考试，交卷后才能继续练习")
    version = session.get(QuestionVersion, version_id)
    if version is None:
        raise NotFound("题目不存在")
    if version.question.exam_only:
        raise NotFound("题目不存在")  # 考试专用: its key never reaches practice
    if version.question.retired or version.version_no != version.question.latest_version:
        raise NotFound("该题已更新或停用，请换一题")
    identity = list(range(len(version.options)))  # practice shows options in bank order
    try:
        response = grading.response_from_displayed(version.qtype, identity, chosen)
    except grading.BadResponse as exc:
        raise InvalidInput(str(exc)) from None
    if not response:
        raise InvalidInput("请先作答再提交")
    correct = grading.is_correct(version.answer, response)
    session.add(PracticeAnswer(user_id=user.id, question_version_id=version.id, response=response,
                               correct=correct, answered_at=now))
    if correct:
        session.execute(delete(WrongBookEntry).where(
            WrongBookEntry.user_id == user.id, WrongBookEntry.question_id == version.question_id))
    else:  # an upsert: a double tap on 提交答案 must not collide on the unique key
        stmt = dialect_insert(session)(WrongBookEntry).values(user_id=user.id, question_id=version.question_id,
                                             wrong_count=1, last_wrong_at=now)
        session.execute(stmt.on_conflict_do_update(
            index_elements=[WrongBookEntry.user_id, WrongBookEntry.question_id],
            set_={"wrong_count": WrongBookEntry.wrong_count + 1, "last_wrong_at": now},
        ))
    session.flush()
    return Feedback(
        correct=correct,
        answer=grading.displayed_from_response(version.qtype, identity, version.answer),
        explanation=version.explanation,
        basis=version.basis,
        wrong_book_size=wrong_book_size(session, user),
    )


def topic_counts(session: Session) -> list[tuple[Topic, dict[str, int]]]:
    """Each topic practice can draw from, with how many questions of each type it offers."""
    rows = session.execute(_current(select(Question.topic_id, QuestionVersion.qtype, func.count())
                                    .select_from(QuestionVersion))
                           .group_by(Question.topic_id, QuestionVersion.qtype)).all()
    counts: dict[int, dict[str, int]] = {}
    for topic_id, qtype, n in rows:
        counts.setdefault(topic_id, {})[qtype] = n
    topics: Iterable[Topic] = session.scalars(select(Topic).where(Topic.id.in_(list(counts))).order_by(Topic.id)) if counts else []
    return [(topic, counts[topic.id]) for topic in topics]


def wrong_book_size(session: Session, user: User) -> int:
    """The questions of the 错题本 practice can still ask (not retired, not 考试专用)."""
    return session.scalar(_current(
        select(func.count()).select_from(WrongBookEntry)
        .join(QuestionVersion, QuestionVersion.question_id == WrongBookEntry.question_id))
        .where(WrongBookEntry.user_id == user.id)) or 0


def practice_totals(session: Session, user: User) -> tuple[int, int]:
    """(answered, answered correctly) over all practice."""
    answered = session.scalar(select(func.count()).select_from(PracticeAnswer)
                              .where(PracticeAnswer.user_id == user.id)) or 0
    right = session.scalar(select(func.count()).select_from(PracticeAnswer)
                           .where(PracticeAnswer.user_id == user.id,
                                  PracticeAnswer.correct.is_(True))) or 0
    return answered, right
