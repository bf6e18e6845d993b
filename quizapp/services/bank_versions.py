"""A question's life: every change a new version (who, when, what changed), an edit on a stale
version refused, retire and restore instead of delete, 考试专用 and 待核对 marks.

Attempts point at the version they showed, so nothing here ever changes a past score.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.questions import QuestionRecord, citations, content_digest, diff, search_text
from ..errors import Conflict, NotFound
from ..models import Attempt, AttemptItem, ExamFixedQuestion, Question, QuestionVersion, Topic, User
from .audit import record as audit

FALLBACK_PREFIX = "QB"
CODE_TRIES = 5


def topic_named(session: Session, name: str, cache: dict[str, Topic] | None = None) -> Topic:
    cache = {} if cache is None else cache
    if name not in cache:
        topic = session.scalar(select(Topic).where(Topic.name == name))
        if topic is None:
            topic = Topic(name=name)
            session.add(topic)
            session.flush()
        cache[name] = topic
    return cache[name]


def next_codes(session: Session, topic: Topic, count: int, taken: set[str] | None = None) -> list[str]:
    """Fresh codes for new questions of a topic: its own prefix (XF-0201, …), or QB-00001 for a
    topic that has none yet."""
    codes = session.scalars(select(Question.code).where(Question.topic_id == topic.id)).all()
    prefixes = [c.split("-")[0] for c in codes]
    prefix = max(set(prefixes), key=prefixes.count) if prefixes else FALLBACK_PREFIX
    pattern = f"{prefix}-%"
    numbers = [int(c.split("-")[1]) for c in session.scalars(select(Question.code).where(Question.code.like(pattern)))
               if re.fullmatch(rf"{prefix}-\d+", c)]
    taken = taken or set()
    width = 4 if prefix != FALLBACK_PREFIX else 5
    found: list[str] = []
    n = max(numbers, default=0)
    while len(found) < count:
        n += 1
        code = f"{prefix}-{n:0{width}d}"
        if code not in taken:
            found.append(code)
    return found


def new_version(question: Question, record: QuestionRecord, version_no: int, now: datetime,
                author_id: int | None) -> QuestionVersion:
    content = record.content()
    return QuestionVersion(
        question=question, version_no=version_no, qtype=record.qtype, stem=record.stem,
        options=list(record.options), answer=record.answer, explanation=record.explanation,
        basis=[dict(b) for b in record.basis], difficulty=record.difficulty, tags=list(record.tags),
        content_hash=content_digest(content), created_at=now, author_id=author_id,
        search_text=search_text(content, question.code), citations=citations(record.basis))


def mark_review(question: Question, warnings: list[str]) -> None:
    question.needs_review = bool(warnings)
    question.review_note = "；".join(warnings)[:200]


def create_question(session: Session, record: QuestionRecord, code: str, now: datetime, author_id: int | None,
                    warnings: list[str], exam_only: bool = False, topics: dict[str, Topic] | None = None) -> Question:
    question = Question(code=code, topic=topic_named(session, record.topic, topics), latest_version=1, retired=False,
                        exam_only=exam_only)
    mark_review(question, warnings)
    session.add(question)
    session.add(new_version(question, record, 1, now, author_id))
    return question


def change_question(session: Session, question: Question, record: QuestionRecord, now: datetime,
                    author_id: int | None, warnings: list[str], topics: dict[str, Topic] | None = None) -> QuestionVersion:
    """A new version with this content (its retirement, if any, stays as it is)."""
    question.latest_version += 1
    question.topic = topic_named(session, record.topic, topics)
    mark_review(question, warnings)
    version = new_version(question, record, question.latest_version, now, author_id)
    session.add(version)
    return version


def get_question(session: Session, code_or_id: str | int) -> Question:
    query = select(Question).where(Question.id == code_or_id if isinstance(code_or_id, int) else Question.code == code_or_id)
    question = session.scalar(query)
    if question is None:
        raise NotFound("题目不存在")
    return question


def latest(session: Session, question: Question) -> QuestionVersion:
    version = session.scalar(select(QuestionVersion).where(
        QuestionVersion.question_id == question.id, QuestionVersion.version_no == question.latest_version))
    assert version is not None, "every question has its latest version"
    return version


class StaleVersion(Conflict):
    """Someone saved another version since the editor's form was opened."""

    def __init__(self, current: int, base: int):
        super().__init__(f"这道题已被他人修改（现为第 {current} 版，您编辑的是第 {base} 版），请刷新后在最新版本上修改")
        self.current, self.base = current, base


def edit_question(session: Session, question: Question, record: QuestionRecord, base_version: int, actor: User,
                  now: datetime, warnings: list[str], exam_only: bool) -> QuestionVersion | None:
    """Save the editor's form: a new version when the content changed (None when it did not);
    the topic and 考试专用 mark change in place. Refused when someone saved another version
    since the form was opened."""
    # The row lock makes a second editor saving at the same moment wait for the first and then
    # see its version (PostgreSQL; SQLite's write lock already serialises the two).
    session.refresh(question, with_for_update=True)
    if base_version != question.latest_version:
        raise StaleVersion(question.latest_version, base_version)
    if exam_only != question.exam_only:
        question.exam_only = exam_only
        audit(session, "question.mark", now, actor.id, code=question.code, exam_only=exam_only)
    if record.topic != question.topic.name:
        move_question(session, question, record.topic, actor, now)
    current = latest(session, question)
    mark_review(question, warnings)
    if current.content_hash == record.digest():
        return None
    before = version_content(current)
    version = change_question(session, question, record, now, actor.id, warnings)
    session.flush()
    audit(session, "question.edit", now, actor.id, code=question.code, version=version.version_no,
          changes=[label for label, _, _ in diff(before, record.content())])
    return version


def move_question(session: Session, question: Question, topic_name: str, actor: User | None, now: datetime,
                  topics: dict[str, Topic] | None = None) -> None:
    """File a question under another topic; its versions, and every attempt, stay as they are."""
    before = question.topic.name
    question.topic = topic_named(session, topic_name, topics)
    audit(session, "question.move", now, actor.id if actor else None, code=question.code, before=before,
          after=topic_name)


def set_retired(session: Session, question: Question, retired: bool, actor: User, now: datetime) -> None:
    """Retire (kept, never offered again) or restore; a question is never deleted once used."""
    if question.retired == retired:
        raise Conflict("题目已经停用" if retired else "题目没有停用")
    question.retired = retired
    audit(session, "question.retire" if retired else "question.restore", now, actor.id, code=question.code)


def version_content(version: QuestionVersion) -> dict[str, object]:
    return {"qtype": version.qtype, "stem": version.stem,
            "options": list(version.options), "answer": version.answer, "explanation": version.explanation,
            "basis": list(version.basis), "difficulty": version.difficulty, "tags": list(version.tags)}


def record_of(version: QuestionVersion) -> QuestionRecord:
    return QuestionRecord(version.question.topic.name, version.qtype, version.stem, tuple(version.options), version.answer,
                          version.explanation, tuple(dict(b) for b in version.basis), version.difficulty,
                          tuple(version.tags), version.question.code)


@dataclass(frozen=True)
class HistoryEntry:
    version: QuestionVersion
    author: str
    changes: list[tuple[str, str, str]]  # (field, before, after)


def history(session: Session, question: Question) -> list[HistoryEntry]:
    """Every version, newest first, with who made it and what it changed from the one before."""
    versions = list(session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id)
                                    .order_by(QuestionVersion.version_no)))
    authors = {v.author_id for v in versions if v.author_id}
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(authors))).all()) if authors else {}
    entries: list[HistoryEntry] = []
    before: dict[str, Any] | None = None
    for version in versions:
        content = version_content(version)
        changes = diff(before, content) if before is not None else []
        entries.append(HistoryEntry(version, names.get(version.author_id, "文件导入") if version.author_id else "文件导入",
                                    changes))
        before = content
    return list(reversed(entries))


@dataclass(frozen=True)
class Usage:
    exams: list[str]  # fixed papers listing it
    attempts: int  # finished attempts that showed it
    correct_rate: float | None


def usage(session: Session, question: Question) -> Usage:
    exams = list(session.scalars(select(ExamFixedQuestion.exam_id).where(ExamFixedQuestion.question_id == question.id)))
    from ..models import Exam

    titles = list(session.scalars(select(Exam.title).where(Exam.id.in_(exams)))) if exams else []
    row = session.execute(
        select(func.count(), func.sum(AttemptItem.earned), func.sum(AttemptItem.points))
        .select_from(AttemptItem).join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(QuestionVersion.question_id == question.id, Attempt.status != "in_progress")).one()
    count, earned, points = row
    return Usage(titles, count or 0, float(earned / points * 100) if points and earned is not None else None)


def add_question(session: Session, record: QuestionRecord, actor: User, now: datetime, warnings: list[str],
                 exam_only: bool) -> Question:
    """A question written in the editor: the next code of its topic, version 1. Two trainers
    adding to one topic at once may be given the same code; the second then takes the next one."""
    topic = topic_named(session, record.topic)
    for attempt in range(CODE_TRIES):
        try:
            with session.begin_nested():
                question = create_question(session, record, next_codes(session, topic, 1)[0], now, actor.id,
                                           warnings, exam_only)
                session.flush()
            break
        except IntegrityError:
            if attempt == CODE_TRIES - 1:
                raise Conflict("题号分配冲突，请稍后再保存一次") from None
    audit(session, "question.create", now, actor.id, code=question.code)
    return question
