"""Injected time. Everything stores naive UTC; tests set app.config['CLOCK']."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def now() -> datetime:
    """The app's notion of now (naive UTC)."""
    clock: Callable[[], datetime] = current_app.config.get("CLOCK", utcnow)
    return clock()


def to_local(value: datetime) -> datetime:
    return value + timedelta(hours=current_app.config["DISPLAY_UTC_OFFSET_HOURS"])


def from_local(value: datetime) -> datetime:
    return value - timedelta(hours=current_app.config["DISPLAY_UTC_OFFSET_HOURS"])


def format_local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(value).strftime(fmt) if value else ""
