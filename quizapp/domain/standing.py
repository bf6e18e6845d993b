"""Where an examinee stands on one exam: the status shown in 我的考试."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .timing import window_phase

STATUS_LABELS = {
    "upcoming": "未开始",
    "ready": "未开始",
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
    best_score: Decimal | None
    passed: bool | None
    attempts_used: int
    can_start: bool

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


def examinee_standing(
    opens_at: datetime,
    closes_at: datetime,
    max_attempts: int,
    attempts: Sequence[AttemptSummary],
    now: datetime,
) -> Standing:
    """Attempts must already be finalized if overdue; the best finished score counts."""
    phase = window_phase(opens_at, closes_at, now)
    finished = [a for a in attempts if a.status != "in_progress" and a.score is not None]
    best = max(finished, key=lambda a: a.score or 0, default=None)
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
    )
