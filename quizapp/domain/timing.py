"""Exam windows and attempt deadlines, as functions of an injected `now` (naive UTC)."""
from __future__ import annotations

from datetime import datetime, timedelta

# The longest exam there may be (5 hours): sessions idle longer than this end (config).
MAX_EXAM_MINUTES = 300


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


# Why a finished attempt's key is still hidden, as the result page says it ({closes}: the close time).
REVIEW_NOTICES = {
    "never": "本次考试不公布答案与解析。",
    "after_retries": "您还可以再次作答，答案与解析将在您用完作答次数或考试截止（{closes}）后公布。",
    "after_close": "答案与解析将在考试截止（{closes}）后公布。",
}


def review_hidden_because(policy: str, closes_at: datetime, now: datetime, may_try_again: bool = False) -> str | None:
    """None when the review may be shown; else the key of REVIEW_NOTICES that says why not."""
    if review_allowed(policy, closes_at, now, may_try_again):
        return None
    if policy == "never":
        return "never"
    return "after_retries" if policy == "immediate" else "after_close"
