"""A cadre's 学法档案 for a year: every exam with its attempts and the result that counts, and
what they practised."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.standing import AttemptSummary, counted_attempt
from ..models import Attempt, Exam, ExamExaminee, Exemption, PracticeAnswer, QuestionVersion, User
from .statistics import LOCAL, year_bounds


@dataclass(frozen=True)
class ExamRecord:
    exam: Exam
    attempts: list[Attempt]
    counted: Attempt | None
    exemption: Exemption | None
    listed: bool  # on the exam's 应考 list

    @property
    def passed(self) -> bool | None:
        return self.counted.passed if self.counted else None


@dataclass(frozen=True)
class PracticeRecord:
    answered: int  # practice answers given
    questions: int  # different questions practised
    active_days: int  # days (local) with practice
    cleared: int  # questions once wrong, later answered right (out of the 错题本)


@dataclass(frozen=True)
class CadreRecord:
    user: User
    year: int
    exams: list[ExamRecord]
    practice: PracticeRecord


def cadre_record(session: Session, user: User, year: int) -> CadreRecord:
    start, end = year_bounds(year)
    listed = set(session.scalars(select(ExamExaminee.exam_id).where(ExamExaminee.user_id == user.id)))
    tried: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in session.scalars(select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.attempt_no)):
        tried[attempt.exam_id].append(attempt)
    exams = session.scalars(select(Exam).where(
        or_(Exam.id.in_(listed | set(tried))), Exam.opens_at >= start, Exam.opens_at < end)
        .order_by(Exam.opens_at)).all()
    excused = {e.exam_id: e for e in session.scalars(select(Exemption).where(Exemption.user_id == user.id))}
    records = []
    for exam in exams:
        attempts = tried.get(exam.id, [])
        which = counted_attempt([AttemptSummary(a.status, a.score, a.passed) for a in attempts], exam.counted_attempt)
        records.append(ExamRecord(exam, attempts, attempts[which] if which is not None else None,
                                  excused.get(exam.id), exam.id in listed))
    return CadreRecord(user, year, records, practice_record(session, user, start, end))


def practice_record(session: Session, user: User, start: datetime, end: datetime) -> PracticeRecord:
    rows = session.execute(
        select(QuestionVersion.question_id, PracticeAnswer.correct, PracticeAnswer.answered_at)
        .join(QuestionVersion, QuestionVersion.id == PracticeAnswer.question_version_id)
        .where(PracticeAnswer.user_id == user.id, PracticeAnswer.answered_at >= start,
               PracticeAnswer.answered_at < end)
        .order_by(PracticeAnswer.answered_at, PracticeAnswer.id)).all()
    wrong_before: set[int] = set()
    cleared: set[int] = set()
    for question_id, correct, _ in rows:
        if not correct:
            wrong_before.add(question_id)
        elif question_id in wrong_before:
            cleared.add(question_id)
    days = {(at + LOCAL).date() for _, _, at in rows}
    return PracticeRecord(len(rows), len({q for q, _, _ in rows}), len(days), len(cleared))


@dataclass(frozen=True)
class Certificate:
    """合格证明: who passed which exam, with the score that counts and when."""

    full_name: str
    unit: str
    position: str
    exam_title: str
    score: object
    full_marks: object
    passed_at: datetime
    issuer: str


def certificate(session: Session, exam: Exam, user: User) -> Certificate:
    from ..errors import NotFound
    from ..models import OrgUnit
    from .units import unit_label

    attempts = list(session.scalars(select(Attempt).where(Attempt.exam_id == exam.id, Attempt.user_id == user.id)
                                    .order_by(Attempt.attempt_no)))
    which = counted_attempt([AttemptSummary(a.status, a.score, a.passed) for a in attempts], exam.counted_attempt)
    counted = attempts[which] if which is not None else None
    if counted is None or not counted.passed or counted.finished_at is None:
        raise NotFound("本次考试尚未合格，没有合格证明")
    issuer = session.get(OrgUnit, exam.owner_unit_id)
    return Certificate(user.full_name, unit_label(user.org_unit), user.position, exam.title, counted.score,
                       exam.total_points, counted.finished_at, issuer.name if issuer else "")
