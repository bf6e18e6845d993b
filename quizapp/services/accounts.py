"""Accounts: authentication, passwords (changed, reset, generated) and creating a user."""
from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache

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
# One-time passwords the system makes (imports, resets) are 12 random characters, about 60 bits:
# a slow hash protects guessable passwords, these are not, and a 2,000-person import must not
# spend four minutes of CPU on scrypt. They must be changed at the first login (then scrypt).
INITIAL_PASSWORD_METHOD = "pbkdf2:sha256:2000"
# No 0/O, 1/l/I: the office reads these out or prints them for people to type on a phone.
_INITIAL_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@cache
def _dummy_hash() -> str:
    """A hash to compare against when the account does not exist, so that timing does not tell.
    Made at the first such login, not at import: every CLI command and worker start paid 0.15 s."""
    return generate_password_hash("not-a-real-password")


def login_candidate(session: Session, username: str) -> tuple[int, str] | None:
    """(id, password hash) of the account with this name, active or not."""
    name = username.strip()
    if "\x00" in name or len(name) > 64:  # no such account; PostgreSQL refuses NUL in a query
        return None
    row = session.execute(select(User.id, User.password_hash).where(User.username == name)).first()
    return (row[0], row[1]) if row else None


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Slow on purpose (scrypt); also for unknown accounts, so timing does not tell."""
    return check_password_hash(stored_hash or _dummy_hash(), password) and stored_hash is not None


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
    user.session_version += 1  # a password changed elsewhere ends the sessions it was meant to end
    record(session, "auth.password_changed", now, user.id)
    session.flush()


def end_sessions(session: Session, user_id: int, now: datetime) -> None:
    """Logging out ends every session of the user: a cookie copied before is worth nothing after."""
    user = session.get(User, user_id)
    if user is not None:
        user.session_version += 1
        record(session, "auth.logout", now, user.id)
        session.flush()


def reset_password(session: Session, user: User, password_hash: str, actor_id: int | None,
                   now: datetime) -> None:
    """A one-time password that must be changed at the next login; every session of the user ends."""
    user.password_hash = password_hash
    user.must_change_password = True
    user.session_version += 1
    record(session, "auth.password_reset", now, actor_id, person_id=user.id, username=user.username)
    session.flush()


def generate_initial_password() -> str:
    """A one-time password with letters and digits, as the password rules ask."""
    while True:
        password = "".join(secrets.choice(_INITIAL_ALPHABET) for _ in range(12))
        if not password_problems(password, ""):
            return password


def initial_password_hash(password: str) -> str:
    return generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)


def create_user(session: Session, *, username: str, full_name: str, unit: OrgUnit, role: str,
                now: datetime, password: str | None = None, password_hash: str | None = None,
                position: str = "", category: str = "other", is_leader: bool = False,
                phone: str = "", must_change_password: bool = True) -> User:
    """A new account; pass a password (hashed here, slowly) or a hash made outside the lock."""
    if password_hash is None:
        assert password is not None, "a password or its hash"
        password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    user = User(
        username=username, password_hash=password_hash, full_name=full_name, phone=phone,
        org_unit=unit, role=role, position=position, category=category, is_leader=is_leader,
        active=True, must_change_password=must_change_password, session_version=0, created_at=now,
    )
    try:
        with session.begin_nested():  # the unique index decides, also between two admins
            session.add(user)
    except IntegrityError:
        raise InvalidInput(f"账号“{username}”已存在", {"username": ["账号已存在"]}) from None
    return user
