"""Where an examinee stands on one exam: the status shown in 我的考试, and which attempt counts."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .timing import window_phase
from .vocab import CountedAttempt

STATUS_LABELS = {
    "upcoming": "未开放",
    "ready": "开放中",
    "in_progress": "进行中",
    "done": "已完成",
    "missed": "已截止",
}


@dataclass(frozen=True)
class AttemptSummary:
    status: str  # in_progress | submitted | expired
    score: Decimal | None
    passed: bool | None


@dataclass(frozen=True)
class Standing:
    code: str  # upcoming | ready | in_progress | done | missed
    best_score: Decimal | None  # the score that counts (best or last, as the exam says)
    passed: bool | None
    attempts_used: int
    can_start: bool
    counted: int | None = None  # index in the attempts given of the one that counts

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


def counted_attempt(attempts: Sequence[AttemptSummary], rule: str = CountedAttempt.BEST) -> int | None:
    """Index of the finished attempt whose score counts: the best (the earliest of equal ones),
    or the last finished one; None before any is graded."""
    finished = [i for i, a in enumerate(attempts) if a.status != "in_progress" and a.score is not None]
    if not finished:
        return None
    if rule == CountedAttempt.LAST:
        return finished[-1]
    return max(finished, key=lambda i: (attempts[i].score, -i))


def examinee_standing(
    opens_at: datetime,
    closes_at: datetime,
    max_attempts: int,
    attempts: Sequence[AttemptSummary],
    now: datetime,
    rule: str = CountedAttempt.BEST,
) -> Standing:
    """Attempts in the order they were made, already finalized if overdue."""
    phase = window_phase(opens_at, closes_at, now)
    counted = counted_attempt(attempts, rule)
    best = attempts[counted] if counted is not None else None
    open_attempt = any(a.status == "in_progress" for a in attempts)
    can_start = phase == "open" and not open_attempt and len(attempts) < max_attempts
    if open_attempt:
        code = "in_progress"
    elif best is not None:
        code = "done"
    elif phase == "upcoming":
        code = "upcoming"
    elif phase == "closed":
        code = "missed"
    else:
        code = "ready"
    return Standing(
        code=code,
        best_score=best.score if best else None,
        passed=best.passed if best else None,
        attempts_used=len(attempts),
        can_start=can_start,
        counted=counted,
    )
