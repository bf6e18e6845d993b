"""题目纠错: a cadre reports a problem with a question from a review or practice page; trainers
read the reports, answer and resolve them. The cadre sees the answer on the same page.

A trainer reads and answers the reports of people in their own unit and below: a township's
trainer never sees what a cadre of the next township wrote."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, joinedload

from ..errors import Conflict, InvalidInput, NotFound
from ..models import Attempt, AttemptItem, OrgUnit, Question, QuestionReport, QuestionVersion, User
from .audit import record

MAX_MESSAGE = 1000


def create_report(session: Session, version_id: int, reporter: User, message: str, now: datetime) -> QuestionReport:
    message = message.strip()
    if not 4 <= len(message) <= MAX_MESSAGE:
        raise InvalidInput(f"请写明题目哪里有问题（4 到 {MAX_MESSAGE} 字）", {"message": ["请写明题目哪里有问题"]})
    version = session.get(QuestionVersion, version_id)
    if version is None or not _may_see(session, version, reporter):
        raise NotFound("题目不存在")
    report = QuestionReport(question_id=version.question_id, version_id=version.id, reporter_id=reporter.id,
                            message=message, status="open", reply="", created_at=now)
    session.add(report)
    session.flush()
    record(session, "question.report", now, reporter.id, report_id=report.id, question_id=version.question_id)
    return report


def _may_see(session: Session, version: QuestionVersion, user: User) -> bool:
    """Anyone may report what practice shows; a 考试专用 question only whoever met it in an exam."""
    if user.is_staff or not version.question.exam_only:
        return True
    return session.scalar(select(AttemptItem.id).join(Attempt, Attempt.id == AttemptItem.attempt_id).where(
        Attempt.user_id == user.id, AttemptItem.question_version_id == version.id).limit(1)) is not None


def _within(scope: OrgUnit) -> ColumnElement[bool]:
    """Reports by people whose unit is the scope or lies below it."""
    return QuestionReport.reporter_id.in_(
        select(User.id).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(OrgUnit.path.startswith(scope.path, autoescape=True)))


def open_count(session: Session, scope: OrgUnit) -> int:
    return session.scalar(select(func.count()).select_from(QuestionReport)
                          .where(QuestionReport.status == "open", _within(scope))) or 0


def list_reports(session: Session, scope: OrgUnit, status: str | None = "open") -> list[QuestionReport]:
    """The reports of people in `scope`'s subtree, newest first."""
    query = select(QuestionReport).options(joinedload(QuestionReport.question), joinedload(QuestionReport.reporter),
                                           joinedload(QuestionReport.version)).where(_within(scope))
    if status in ("open", "resolved"):
        query = query.where(QuestionReport.status == status)
    return list(session.scalars(query.order_by(QuestionReport.created_at.desc())))


def of_question(session: Session, question: Question, scope: OrgUnit) -> list[QuestionReport]:
    """The question's reports by people in `scope`'s subtree, with the version each was about."""
    return list(session.scalars(select(QuestionReport).options(joinedload(QuestionReport.reporter),
                                                               joinedload(QuestionReport.version))
                                .where(QuestionReport.question_id == question.id, _within(scope))
                                .order_by(QuestionReport.created_at.desc())))


def mine_by_version(session: Session, user: User, version_ids: list[int]) -> dict[int, list[QuestionReport]]:
    """The user's own reports on these versions: their answers show on the page they came from."""
    found: dict[int, list[QuestionReport]] = {}
    if not version_ids:
        return found
    for report in session.scalars(select(QuestionReport).where(
            QuestionReport.reporter_id == user.id, QuestionReport.version_id.in_(version_ids))
            .order_by(QuestionReport.created_at)):
        found.setdefault(report.version_id, []).append(report)
    return found


def answer(session: Session, report_id: int, actor: User, reply: str, resolve: bool, now: datetime) -> QuestionReport:
    report = session.get(QuestionReport, report_id)
    if report is None or not actor.org_unit.contains(report.reporter.org_unit):
        raise NotFound("纠错记录不存在或不在您的管理范围内")
    if report.status == "resolved" and resolve:
        raise Conflict("这条纠错已经处理过了")
    reply = reply.strip()
    if resolve and not reply:
        raise InvalidInput("请写下处理意见，提出纠错的干部会看到", {"reply": ["请写下处理意见"]})
    report.reply, report.replied_by_id, report.replied_at = reply[:MAX_MESSAGE], actor.id, now
    if resolve:
        report.status = "resolved"
    record(session, "question.report_answered", now, actor.id, report_id=report.id, resolved=resolve)
    return report
