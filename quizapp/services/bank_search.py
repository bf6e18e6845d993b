"""Finding questions: full-text search, filters, sorting and paging over current versions.

The search looks in each version's lower-cased search text (code, stem, options, explanation,
tags); laws and articles in its citations column ("|民法典#1045|"). One query for the page and
one for the count, whatever the bank's size.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ..domain.questions import TYPES, QuestionRecord, near_duplicates
from ..models import Question, QuestionVersion, Topic
from .bank_versions import record_of

SORTS = {
    "code": (Question.code,),
    "-code": (Question.code.desc(),),
    "difficulty": (QuestionVersion.difficulty, Question.code),
    "-difficulty": (QuestionVersion.difficulty.desc(), Question.code),
    "updated": (QuestionVersion.created_at.desc(), Question.code),
}
SORT_LABELS = {"code": "题号", "-code": "题号（倒序）", "difficulty": "难度（易→难）", "-difficulty": "难度（难→易）",
               "updated": "最近修改"}
STATUS_LABELS = {"active": "使用中", "retired": "已停用", "review": "待核对", "exam_only": "考试专用",
                 "all": "全部"}


@dataclass(frozen=True)
class BankFilter:
    text: str = ""
    topic_id: int | None = None
    topic_name: str | None = None
    qtype: str | None = None
    difficulty: int | None = None
    status: str = "active"  # active | retired | review | exam_only | all
    tag: str = ""
    law: str = ""
    article: int | str | None = None
    codes: frozenset[str] | None = None  # flagged by the item analysis, for instance
    sort: str = "code"


def _query(f: BankFilter) -> Select[QuestionVersion, Question]:
    query = (select(QuestionVersion, Question).join(Question, Question.id == QuestionVersion.question_id)
             .where(QuestionVersion.version_no == Question.latest_version))
    if f.text.strip():
        for word in f.text.lower().split()[:5]:
            query = query.where(QuestionVersion.search_text.contains(word, autoescape=True))
    if f.topic_id:
        query = query.where(Question.topic_id == f.topic_id)
    if f.topic_name:
        query = query.join(Topic, Topic.id == Question.topic_id).where(Topic.name == f.topic_name)
    if f.qtype in TYPES:
        query = query.where(QuestionVersion.qtype == f.qtype)
    if f.difficulty in (1, 2, 3):
        query = query.where(QuestionVersion.difficulty == f.difficulty)
    if f.status == "active":
        query = query.where(Question.retired.is_(False))
    elif f.status == "retired":
        query = query.where(Question.retired.is_(True))
    elif f.status == "review":
        query = query.where(Question.needs_review.is_(True))
    elif f.status == "exam_only":
        query = query.where(Question.exam_only.is_(True))
    if f.tag.strip():
        query = query.where(QuestionVersion.search_text.contains(f.tag.strip().lower(), autoescape=True))
    if f.law:
        cite = f"|{f.law}#{f.article}|" if f.article is not None else f"|{f.law}#"
        query = query.where(QuestionVersion.citations.contains(cite, autoescape=True))
    if f.codes is not None:
        query = query.where(Question.code.in_(sorted(f.codes)))
    return query


def search(session: Session, f: BankFilter, page: int, per_page: int = 50) -> tuple[list[tuple[QuestionVersion, Question]], int]:
    query = _query(f)
    order = SORTS.get(f.sort, SORTS["code"])
    count = select(func.count()).select_from(query.with_only_columns(Question.id).subquery())
    # The page is chosen on the sort keys alone, then only its rows are read whole: sorting
    # 10,000 whole rows (search text, explanation…) to reach a middle page took 0.3 s.
    chosen = query.with_only_columns(QuestionVersion.id).order_by(*order).offset((page - 1) * per_page).limit(per_page)
    if f.text.strip() or f.tag.strip() or f.law:
        # Matching text reads every row whatever the page: count them in that same pass, not a
        # second one (a word found in few questions took twice as long).
        found = session.execute(chosen.add_columns(func.count().over())).all()
        ids = [version_id for version_id, _ in found]
        total = found[0][1] if found else session.scalar(count) or 0
    else:
        ids = list(session.scalars(chosen))
        total = session.scalar(count) or 0
    if not ids:
        return [], total
    rows = session.execute(select(QuestionVersion, Question).join(Question, Question.id == QuestionVersion.question_id)
                           .where(QuestionVersion.id.in_(ids)).options(joinedload(Question.topic)).order_by(*order)).all()
    return [(v, q) for v, q in rows], total


def export_records(session: Session, f: BankFilter) -> list[QuestionRecord]:
    """The filtered bank as records, in topic then code order: what every writer takes."""
    rows = session.execute(_query(f).options(joinedload(Question.topic)).order_by(Question.topic_id, Question.code))
    return [record_of(version) for version, _ in rows]


def similar_questions(session: Session, stem: str, except_code: str | None = None) -> list[str]:
    """Codes of questions in use whose stem is the same or nearly the same as this one."""
    rows = session.execute(select(Question.code, QuestionVersion.stem)
                           .join(Question, Question.id == QuestionVersion.question_id)
                           .where(QuestionVersion.version_no == Question.latest_version, Question.retired.is_(False)))
    return near_duplicates(stem, ((code, other) for code, other in rows if code != except_code))
