"""The question bank: idempotent import by id, versions on change, and what exams can draw."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.paper import Candidate, PoolKey
from ..formats.bank_yaml import BankQuestion
from ..models import Question, QuestionVersion, Topic
from .audit import record


@dataclass(frozen=True)
class ImportSummary:
    created: int
    new_versions: int
    unchanged: int

    def __str__(self) -> str:
        return f"新增 {self.created} 题，更新 {self.new_versions} 题（生成新版本），未变 {self.unchanged} 题"


def content_hash(question: BankQuestion) -> str:
    payload = json.dumps(question.content(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _topic(session: Session, name: str, cache: dict[str, Topic]) -> Topic:
    if name not in cache:
        topic = session.scalar(select(Topic).where(Topic.name == name))
        if topic is None:
            topic = Topic(name=name)
            session.add(topic)
        cache[name] = topic
    return cache[name]


def import_questions(session: Session, questions: Sequence[BankQuestion], now: datetime,
                     user_id: int | None = None) -> ImportSummary:
    """Questions must already be validated (formats.bank_yaml). Re-importing is a no-op."""
    topics: dict[str, Topic] = {}
    existing = {
        q.code: q for q in session.scalars(
            select(Question).where(Question.code.in_([bq.code for bq in questions]))
        )
    }
    latest_hash = dict(
        session.execute(
            select(Question.code, QuestionVersion.content_hash)
            .join(QuestionVersion, QuestionVersion.question_id == Question.id)
            .where(QuestionVersion.version_no == Question.latest_version)
            .where(Question.code.in_(list(existing)))
        ).all()
    )
    created = changed = same = 0
    for bq in questions:
        digest = content_hash(bq)
        question = existing.get(bq.code)
        if question is None:
            question = Question(code=bq.code, topic=_topic(session, bq.topic, topics),
                                latest_version=1)
            session.add(question)
            version_no = 1
            created += 1
        elif latest_hash.get(bq.code) == digest:
            same += 1
            continue
        else:
            question.latest_version += 1
            question.topic = _topic(session, bq.topic, topics)
            question.retired = False
            version_no = question.latest_version
            changed += 1
        session.add(QuestionVersion(
            question=question, version_no=version_no, qtype=bq.qtype, stem=bq.stem,
            options=bq.options, answer=bq.answer, explanation=bq.explanation, basis=bq.basis,
            difficulty=bq.difficulty, tags=bq.tags, content_hash=digest, created_at=now,
        ))
    session.flush()
    summary = ImportSummary(created, changed, same)
    record(session, "bank.import", now, user_id, created=created, new_versions=changed,
           unchanged=same)
    return summary


def _current_versions():  # type: ignore[no-untyped-def]
    return (
        select(QuestionVersion, Question)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.version_no == Question.latest_version)
        .where(Question.retired.is_(False))
    )


def available_counts(session: Session) -> dict[PoolKey, int]:
    """How many current questions each topic × type holds."""
    rows = session.execute(
        select(Question.topic_id, QuestionVersion.qtype, func.count())
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.version_no == Question.latest_version)
        .where(Question.retired.is_(False))
        .group_by(Question.topic_id, QuestionVersion.qtype)
    ).all()
    return {(topic_id, qtype): n for topic_id, qtype, n in rows}


def candidate_pool(session: Session, keys: Sequence[PoolKey]) -> dict[PoolKey, list[Candidate]]:
    """Current versions for the given topic × type pairs, in bank (code) order."""
    topic_ids = {k[0] for k in keys}
    pool: dict[PoolKey, list[Candidate]] = {k: [] for k in keys}
    rows = session.execute(
        _current_versions().where(Question.topic_id.in_(topic_ids)).order_by(Question.code)
    ).all()
    for version, question in rows:
        key = (question.topic_id, version.qtype)
        if key in pool:
            pool[key].append(Candidate(version.id, version.qtype, len(version.options)))
    return pool


def current_version(session: Session, question: Question) -> QuestionVersion:
    version = session.scalar(
        select(QuestionVersion).where(
            QuestionVersion.question_id == question.id,
            QuestionVersion.version_no == question.latest_version,
        )
    )
    assert version is not None, "every question has its latest version"
    return version


def list_topics(session: Session) -> list[Topic]:
    return list(session.scalars(select(Topic).order_by(Topic.id)))


def topics_with_counts(session: Session) -> list[tuple[Topic, dict[str, int]]]:
    counts = available_counts(session)
    topics = list_topics(session)
    return [
        (t, {qtype: n for (tid, qtype), n in counts.items() if tid == t.id}) for t in topics
    ]


def list_questions(session: Session, topic_id: int | None, qtype: str | None,
                   page: int, per_page: int = 50) -> tuple[list[tuple[QuestionVersion, Question]], int]:
    query = _current_versions()
    if topic_id:
        query = query.where(Question.topic_id == topic_id)
    if qtype:
        query = query.where(QuestionVersion.qtype == qtype)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(Question.code).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return [(v, q) for v, q in rows], total
