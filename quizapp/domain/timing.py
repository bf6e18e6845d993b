"""Exam windows and attempt deadlines, as functions of an injected `now` (naive UTC)."""
from __future__ import annotations

from datetime import datetime, timedelta


def attempt_deadline(started_at: datetime, duration_minutes: int, closes_at: datetime) -> datetime:
    """An attempt ends at its duration or when the exam closes, whichever comes first."""
    return min(started_at + timedelta(minutes=duration_minutes), closes_at)


def seconds_left(deadline: datetime, now: datetime) -> int:
    return max(0, int((deadline - now).total_seconds()))


def is_overdue(deadline: datetime, now: datetime) -> bool:
    return now >= deadline


def window_phase(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """'upcoming', 'open' or 'closed'."""
    if now < opens_at:
        return "upcoming"
    if now >= closes_at:
        return "closed"
    return "open"


def review_allowed(policy: str, closes_at: datetime, now: datetime,
                   may_try_again: bool = False) -> bool:
    """Whether a finished attempt may show the key, explanations and articles.

    While the examinee may still start (or is taking) another attempt, the key stays hidden
    even under 'immediate': otherwise attempt 1's review answers attempt 2.
    """
    if policy == "never":
        return False
    if now >= closes_at:
        return True
    return policy == "immediate" and not may_try_again
