"""Accounts and org units: authentication, password changes, the unit tree and scopes."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
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


def login_candidate(session: Session, username: str) -> tuple[int, str] | None:
    """(id, password hash) of the account with this name, active or not."""
    row = session.execute(
        select(User.id, User.password_hash).where(User.username == username.strip())
    ).first()
    return (row[0], row[1]) if row else None


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Slow on purpose (scrypt); also for unknown accounts, so timing does not tell."""
    return check_password_hash(stored_hash or _DUMMY_HASH, password) and stored_hash is not None


def record_login(session: Session, user_id: int | None, username: str, password_ok: bool,
                 now: datetime) -> User | None:
    """Audit a login attempt; the active user when it succeeded, else None."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not password_ok or not user.active:
        record(session, "auth.login_failed", now, user.id if user else None,
               username=username[:64])
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


def new_password_hash(stored_hash: str, username: str, current: str, new: str) -> str:
    """Check the current password and the new one's strength; the new hash. No database."""
    if not check_password_hash(stored_hash, current):
        raise InvalidInput("当前密码不正确", {"current": ["当前密码不正确"]})
    problems = password_problems(new, username)
    if current == new:
        problems.append("新密码不能与当前密码相同")
    if problems:
        raise InvalidInput(problems[0], {"new": problems})
    return generate_password_hash(new, method=PASSWORD_METHOD)


def store_password(session: Session, user_id: int, password_hash: str, now: datetime) -> None:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("账号不存在")
    user.password_hash = password_hash
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
    user = User(
        username=username, password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        full_name=full_name,
        org_unit=unit, role=role, position=position, category=category, is_leader=is_leader,
        active=True, must_change_password=must_change_password, created_at=now,
    )
    try:
        with session.begin_nested():  # the unique index decides, also between two admins
            session.add(user)
    except IntegrityError:
        raise InvalidInput(f"账号“{username}”已存在", {"username": ["账号已存在"]}) from None
    return user


def users_in_scope(session: Session, actor: User) -> list[User]:
    """Every account in the actor's unit and the units below it."""
    return list(session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(OrgUnit.path.startswith(actor.org_unit.path))
        .order_by(OrgUnit.path, User.username)
    ))


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
