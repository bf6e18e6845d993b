"""The 法规库: which questions cite which article, for readers of the shipped law texts."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..domain.laws import PREAMBLE
from ..models import Question, QuestionVersion


@dataclass(frozen=True)
class CitingQuestion:
    code: str
    stem: str
    exam_only: bool


def _cited_keys(citations: str, law: str) -> list[int | str]:
    keys: list[int | str] = []
    for cite in citations.strip("|").split("|"):
        name, _, key = cite.partition("#")
        if name == law and key:
            keys.append(int(key) if key.isdigit() else PREAMBLE)
    return keys


def _current(with_exam_only: bool) -> Select[str, bool, str, str]:
    query = (select(Question.code, Question.exam_only, QuestionVersion.stem, QuestionVersion.citations)
             .join(QuestionVersion, QuestionVersion.question_id == Question.id)
             .where(QuestionVersion.version_no == Question.latest_version, Question.retired.is_(False)))
    return query if with_exam_only else query.where(Question.exam_only.is_(False))


def citing_questions(session: Session, law: str, with_exam_only: bool) -> dict[int | str, list[CitingQuestion]]:
    """Article -> the questions in use that cite it (考试专用 ones only for trainers)."""
    found: dict[int | str, list[CitingQuestion]] = defaultdict(list)
    rows = session.execute(_current(with_exam_only).where(QuestionVersion.citations.contains(f"|{law}#", autoescape=True))
                           .order_by(Question.code))
    for code, exam_only, stem, citations in rows:
        for key in _cited_keys(citations, law):
            found[key].append(CitingQuestion(code, stem, exam_only))
    return found


def questions_per_law(session: Session, with_exam_only: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    for *_, citations in session.execute(_current(with_exam_only).where(QuestionVersion.citations != "")):
        counts.update({cite.partition("#")[0] for cite in citations.strip("|").split("|")})
    return counts
