"""What exams and practice can draw from the bank: current versions of questions in use."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..domain.paper import Candidate, PoolKey
from ..models import Question, QuestionVersion, Topic


def _current_versions() -> Select[QuestionVersion, Question]:
    return (
        select(QuestionVersion, Question)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.version_no == Question.latest_version)
        .where(Question.retired.is_(False))
    )


def available_counts(session: Session, exam_only: bool = False) -> dict[PoolKey, int]:
    """How many current questions each topic × type holds (only 考试专用 ones if asked)."""
    query = (select(Question.topic_id, QuestionVersion.qtype, func.count())
             .join(Question, Question.id == QuestionVersion.question_id)
             .where(QuestionVersion.version_no == Question.latest_version)
             .where(Question.retired.is_(False))
             .group_by(Question.topic_id, QuestionVersion.qtype))
    if exam_only:
        query = query.where(Question.exam_only.is_(True))
    rows = session.execute(query).all()
    return {(topic_id, qtype): n for topic_id, qtype, n in rows}


def candidate_pool(session: Session, keys: Sequence[PoolKey], exam_only: bool = False) -> dict[PoolKey, list[Candidate]]:
    """Current versions for the given topic × type pairs, in bank (code) order."""
    topic_ids = {k[0] for k in keys}
    pool: dict[PoolKey, list[Candidate]] = {k: [] for k in keys}
    query = _current_versions().where(Question.topic_id.in_(topic_ids)).order_by(Question.code)
    if exam_only:
        query = query.where(Question.exam_only.is_(True))
    rows = session.execute(query).all()
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


def retired_counts(session: Session) -> dict[int, int]:
    """Topic -> how many of its questions are retired."""
    return dict(session.execute(select(Question.topic_id, func.count()).where(Question.retired.is_(True))
                                .group_by(Question.topic_id)).all())
