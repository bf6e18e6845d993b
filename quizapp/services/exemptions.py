"""免考 and 缓考: a person taken out of one exam's 应考, with the reason and who approved it."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..db import dialect_insert, rowcount
from ..domain.vocab import ExemptionKind, ExemptionReason
from ..errors import Conflict, InvalidInput
from ..models import Attempt, Exam, Exemption, User
from .audit import record
from .examinees import roster


def _names(session: Session, user_ids: Sequence[int]) -> str:
    return "、".join(session.scalars(select(User.full_name).where(User.id.in_(user_ids))))


def set_exemptions(session: Session, exam: Exam, user_ids: Sequence[int], kind: str, reason: str,
                   note: str, approved_by: str, actor: User, now: datetime) -> int:
    """Mark several people at once; a person already marked gets the new kind and reason."""
    problems: dict[str, list[str]] = {}
    if kind not in ExemptionKind.labels():
        problems["kind"] = ["请选择免考或缓考"]
    if reason not in ExemptionReason.labels():
        problems["reason"] = ["请选择原因"]
    if not approved_by.strip():
        problems["approved_by"] = ["请填写批准人"]
    elif len(approved_by.strip()) > 64 or len(note.strip()) > 200:
        problems["approved_by"] = ["批准人不超过 64 字，说明不超过 200 字"]
    if not user_ids:
        problems["user_ids"] = ["请至少选择一人"]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    listed = {e.user.id for e in roster(session, exam)}
    outside = [uid for uid in user_ids if uid not in listed]
    if outside:
        raise InvalidInput("所选人员不在本次考试的应考名单中", {"user_ids": ["所选人员不在应考名单中"]})
    tried = list(session.scalars(select(Attempt.user_id).where(
        Attempt.exam_id == exam.id, Attempt.user_id.in_(user_ids)).distinct()))
    if tried:
        raise Conflict(f"已参加考试的人员不能设为免考或缓考：{_names(session, tried)}")
    values = dict(kind=kind, reason=reason, note=note.strip(), approved_by=approved_by.strip(),
                  recorded_by_id=actor.id, recorded_at=now)
    insert = dialect_insert(session)(Exemption)
    for user_id in user_ids:
        stmt = insert.values(exam_id=exam.id, user_id=user_id, **values)
        session.execute(stmt.on_conflict_do_update(index_elements=[Exemption.exam_id, Exemption.user_id],
                                                   set_=values))
    record(session, "exam.exempt", now, actor.id, exam_id=exam.id, user_ids=list(user_ids), kind=kind,
           reason=reason, approved_by=values["approved_by"])
    return len(user_ids)


def clear_exemptions(session: Session, exam: Exam, user_ids: Sequence[int], actor: User,
                     now: datetime) -> int:
    """Put people back on the 应考 list."""
    cleared = rowcount(session.execute(delete(Exemption).where(
        Exemption.exam_id == exam.id, Exemption.user_id.in_(user_ids))))
    if cleared:
        record(session, "exam.unexempt", now, actor.id, exam_id=exam.id, user_ids=list(user_ids))
    return cleared
