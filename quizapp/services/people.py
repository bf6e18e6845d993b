"""The roster: people in units, added, edited, moved, deactivated and reactivated, never deleted
once they have a history. Every change that moves someone in or out of an exam's units runs
inside examinees.roster_change, so frozen 应考 lists stay as they were.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from ..domain.roster import PersonRecord, person_problems
from ..domain.vocab import Category, LeaveReason, Role
from ..errors import Conflict, InvalidInput, NotAllowed, NotFound
from ..models import (
    Attempt,
    AuditEvent,
    Exam,
    ExamExaminee,
    Exemption,
    OrgUnit,
    PracticeAnswer,
    User,
)
from . import accounts
from .audit import record
from .examinees import roster_change

FIELD_LABELS = {"full_name": "姓名", "username": "账号", "phone": "手机号", "org_unit_id": "单位",
                "position": "职务", "category": "人员类别", "is_leader": "领导干部", "role": "角色"}


@dataclass
class PersonForm:
    """What an admin types for one person (unit by id: the form offers only their subtree)."""

    full_name: str
    username: str
    phone: str
    unit_id: int
    position: str
    category: str
    is_leader: bool
    role: str = Role.CADRE


def _validate(session: Session, form: PersonForm, actor: User) -> OrgUnit:
    record_ = PersonRecord(form.full_name.strip(), form.username.strip(), form.phone.strip(), "",
                           form.position.strip(), form.category, form.is_leader)
    problems = {k: [v] for k, v in person_problems(record_).items()}
    if form.role not in Role.labels():
        problems["role"] = ["角色无效"]
    elif form.role == Role.ADMIN and actor.role != Role.ADMIN:
        problems["role"] = ["只有系统管理员可以设置管理员"]
    unit = session.get(OrgUnit, form.unit_id)
    if unit is None or not actor.org_unit.contains(unit):
        problems["unit_id"] = ["请选择本单位或下级单位"]
    elif not unit.active:
        problems["unit_id"] = ["该单位已停用"]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    assert unit is not None
    return unit


def _username_taken(session: Session, username: str, other_than: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.username) == username.lower())
    if other_than is not None:
        query = query.where(User.id != other_than)
    return session.scalar(query.limit(1)) is not None


def create_person(session: Session, form: PersonForm, password_hash: str, actor: User,
                  now: datetime) -> User:
    """A new person with a one-time password (hashed by the caller, outside the write lock)."""
    unit = _validate(session, form, actor)
    if _username_taken(session, form.username.strip()):
        raise InvalidInput(f"账号“{form.username.strip()}”已存在", {"username": ["账号已存在"]})
    with roster_change(session, now):
        user = accounts.create_user(
            session, username=form.username.strip(), password_hash=password_hash,
            full_name=form.full_name.strip(), unit=unit, role=form.role, now=now,
            position=form.position.strip(), category=form.category, is_leader=form.is_leader,
            phone=form.phone.strip(), must_change_password=True)
    record(session, "person.create", now, actor.id, person_id=user.id, username=user.username,
           unit_id=unit.id)
    return user


def person_in_scope(session: Session, user_id: int, actor: User) -> User:
    """A person the actor manages: in the actor's unit or below; NotFound otherwise."""
    user = session.get(User, user_id)
    if user is None or not actor.org_unit.contains(user.org_unit):
        raise NotFound("人员不存在或不在您的管理范围内")
    return user


def _snapshot(user: User) -> dict[str, object]:
    return {"full_name": user.full_name, "username": user.username, "phone": user.phone,
            "org_unit_id": user.org_unit_id, "position": user.position, "category": user.category,
            "is_leader": user.is_leader, "role": user.role}


def update_person(session: Session, user: User, form: PersonForm, actor: User,
                  now: datetime) -> dict[str, list[object]]:
    """Save an edit (a new unit is a move); the changed fields as {field: [before, after]}."""
    unit = _validate(session, form, actor)
    if user.id == actor.id and form.role != user.role:
        raise NotAllowed("不能修改自己的角色")
    if _username_taken(session, form.username.strip(), other_than=user.id):
        raise InvalidInput(f"账号“{form.username.strip()}”已存在", {"username": ["账号已存在"]})
    before = _snapshot(user)
    with roster_change(session, now, [user.id]):
        user.full_name, user.username = form.full_name.strip(), form.username.strip()
        user.phone, user.position = form.phone.strip(), form.position.strip()
        user.category, user.is_leader, user.role = form.category, form.is_leader, form.role
        user.org_unit = unit
    after = _snapshot(user)
    diff = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if diff:
        record(session, "person.update", now, actor.id, person_id=user.id, diff=diff)
    return diff


def deactivate_person(session: Session, user: User, reason: str, on: date, actor: User,
                      now: datetime) -> None:
    """调离 / 退休 / 其他 from a date: the account stops working, the history stays."""
    if user.id == actor.id:
        raise NotAllowed("不能停用自己的账号")
    if reason not in LeaveReason.labels():
        raise InvalidInput("离职原因无效", {"reason": ["离职原因无效"]})
    if not user.active:
        raise Conflict("该人员已是离职状态")
    with roster_change(session, now, [user.id]):
        user.active, user.left_reason, user.left_on = False, reason, on
        user.session_version += 1  # ends every session at once
    record(session, "person.deactivate", now, actor.id, person_id=user.id, reason=reason,
           on=on.isoformat())


def reactivate_person(session: Session, user: User, actor: User, now: datetime) -> None:
    if user.active:
        raise Conflict("该人员已在职")
    if not user.org_unit.active:
        raise Conflict("该人员所在单位已停用，请先把人员调到其他单位")
    with roster_change(session, now, [user.id]):
        user.active, user.left_reason, user.left_on = True, None, None
    record(session, "person.reactivate", now, actor.id, person_id=user.id)


def has_history(session: Session, user: User) -> bool:
    """Attempts, practice, a place on an exam's list from its opening, exemptions, exams made,
    or anything they did in the audit log. (A row added because someone was entered during an
    open exam is not history: deleting a person entered by mistake takes it along.)"""
    checks = [
        exists().where(Attempt.user_id == user.id),
        exists().where(PracticeAnswer.user_id == user.id),
        exists().where(ExamExaminee.user_id == user.id, ExamExaminee.joined_during_window.is_(False)),
        exists().where(or_(Exemption.user_id == user.id, Exemption.recorded_by_id == user.id)),
        exists().where(Exam.created_by_id == user.id),
        exists().where(AuditEvent.user_id == user.id),
    ]
    return any(session.scalar(select(check)) for check in checks)


def delete_person(session: Session, user: User, actor: User, now: datetime) -> None:
    """Only a person entered by mistake, with no history at all."""
    if user.id == actor.id:
        raise NotAllowed("不能删除自己的账号")
    if has_history(session, user):
        raise Conflict("该人员已有考试、练习或操作记录，不能删除；如已调离或退休，请办理离职")
    username = user.username
    session.execute(delete(ExamExaminee).where(ExamExaminee.user_id == user.id))
    session.delete(user)
    session.flush()
    record(session, "person.delete", now, actor.id, username=username)


def reset_password(session: Session, user: User, password_hash: str, actor: User, now: datetime) -> None:
    """Trainers may reset cadres' passwords, admins anyone's in their subtree but their own."""
    if user.id == actor.id:
        raise NotAllowed("请在“修改密码”中修改自己的密码")
    if actor.role != Role.ADMIN and user.role != Role.CADRE:
        raise NotAllowed("培训管理员只能重置考生的密码")
    accounts.reset_password(session, user, password_hash, actor.id, now)


# ---- searching -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PeopleFilter:
    text: str = ""  # name, account, phone or 职务
    unit_id: int | None = None
    with_subunits: bool = True
    category: str | None = None
    leader: bool | None = None
    status: str = "active"  # active | inactive | all
    role: str | None = None


def search_people(session: Session, actor: User, f: PeopleFilter, page: int,
                  per_page: int = 50) -> tuple[list[User], int]:
    """People in the actor's subtree matching the filter, in unit order; and how many in all."""
    unit = session.get(OrgUnit, f.unit_id) if f.unit_id else None
    if unit is None or not actor.org_unit.contains(unit):
        unit = actor.org_unit
    query = select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
    query = query.where(OrgUnit.path.startswith(unit.path) if f.with_subunits else User.org_unit_id == unit.id)
    if f.text.strip():
        like = f"%{f.text.strip()}%"
        query = query.where(or_(User.full_name.like(like), User.username.like(like),
                                User.phone.like(like), User.position.like(like)))
    if f.category in Category.labels():
        query = query.where(User.category == f.category)
    if f.leader is not None:
        query = query.where(User.is_leader.is_(f.leader))
    if f.status in ("active", "inactive"):
        query = query.where(User.active.is_(f.status == "active"))
    if f.role in Role.labels():
        query = query.where(User.role == f.role)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    people = session.scalars(query.options(joinedload(User.org_unit))
                             .order_by(OrgUnit.path, User.username)
                             .offset((page - 1) * per_page).limit(per_page)).all()
    return list(people), total


def get_person(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("人员不存在")
    return user
