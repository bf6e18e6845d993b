"""Accounts and org units: authentication, password changes, the unit tree and scopes."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import InvalidInput, NotFound
from ..models import OrgUnit, User
from .audit import record

MIN_PASSWORD_LENGTH = 8
# werkzeug's default (scrypt); the test-suite swaps in a cheap method to stay fast.
PASSWORD_METHOD = "scrypt"
# A hash to compare against when the account does not exist, so that timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def authenticate(session: Session, username: str, password: str, now: datetime) -> User | None:
    """The active user with these credentials, or None; failures are audited."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        record(session, "auth.login_failed", now, None, username=username[:64])
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        record(session, "auth.login_failed", now, user.id, username=user.username)
        return None
    record(session, "auth.login", now, user.id)
    return user


def password_problems(new: str, username: str) -> list[str]:
    problems = []
    if len(new) < MIN_PASSWORD_LENGTH:
        problems.append(f"新密码至少 {MIN_PASSWORD_LENGTH} 位")
    if new.isdigit() or new.isalpha():
        problems.append("新密码须同时包含字母和数字")
    if new == username:
        problems.append("新密码不能与账号相同")
    return problems


def change_password(session: Session, user: User, current: str, new: str, now: datetime) -> None:
    if not check_password_hash(user.password_hash, current):
        raise InvalidInput("当前密码不正确", {"current": ["当前密码不正确"]})
    problems = password_problems(new, user.username)
    if current == new:
        problems.append("新密码不能与当前密码相同")
    if problems:
        raise InvalidInput(problems[0], {"new": problems})
    user.password_hash = generate_password_hash(new, method=PASSWORD_METHOD)
    user.must_change_password = False
    record(session, "auth.password_changed", now, user.id)
    session.flush()


def create_unit(session: Session, name: str, parent: OrgUnit | None) -> OrgUnit:
    unit = OrgUnit(name=name, parent=parent, path=f"pending-{uuid.uuid4()}")
    session.add(unit)
    session.flush()  # the id is part of the path
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit


def create_user(session: Session, *, username: str, password: str, full_name: str,
                unit: OrgUnit, role: str, now: datetime, position: str = "",
                category: str = "", is_leader: bool = False,
                must_change_password: bool = True) -> User:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput(f"账号“{username}”已存在", {"username": ["账号已存在"]})
    user = User(
        username=username, password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        full_name=full_name,
        org_unit=unit, role=role, position=position, category=category, is_leader=is_leader,
        active=True, must_change_password=must_change_password, created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def units_in_scope(session: Session, user: User) -> list[OrgUnit]:
    """The user's unit and every unit below it, in tree order."""
    return list(session.scalars(
        select(OrgUnit).where(OrgUnit.path.startswith(user.org_unit.path)).order_by(OrgUnit.path)
    ))


def get_unit(session: Session, unit_id: int) -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("单位不存在")
    return unit


def unit_label(unit: OrgUnit) -> str:
    """“示例乡 / 乡直机关” style names for pickers."""
    names = []
    node: OrgUnit | None = unit
    while node is not None:
        names.append(node.name)
        node = node.parent
    return " / ".join(reversed(names))
