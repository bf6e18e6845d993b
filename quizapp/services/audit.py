"""Recording audit events inside the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..models import AuditEvent


def record(session: Session, action: str, now: datetime, user_id: int | None = None,
           **detail: Any) -> None:
    session.add(AuditEvent(at=now, user_id=user_id, action=action, detail=detail))
