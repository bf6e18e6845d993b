"""Finalizing attempts whose browser went away, lazily, when someone looks at them."""
from __future__ import annotations

from flask import current_app

from ..clock import now
from ..db import read_scope, release_transaction, session_scope
from ..services import attempts as attempt_service


def finalize_overdue_first(exam_id: int | None = None, user_id: int | None = None) -> None:
    """Grade overdue attempts in a short write transaction of their own, then read afresh.

    A page that only reads must not turn into a writer half-way: on SQLite its read snapshot
    may be stale by then and the upgrade fails at once. The grading is the server's own,
    idempotent bookkeeping (the same as `quizapp attempts finalize`), so it commits by itself.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    at = now()
    with read_scope(app) as session:
        if not attempt_service.has_overdue(session, at, exam_id=exam_id, user_id=user_id):
            return
    with session_scope(app) as session:
        attempt_service.finalize_overdue(session, at, exam_id=exam_id, user_id=user_id)
    release_transaction()  # the request's own snapshot may predate the grading


def prepare_statistics() -> None:
    """Before figures are read: grade overdue attempts and take the lists of exams that have
    opened, in a short write of their own (the same bookkeeping `quizapp attempts finalize` does)."""
    from ..services import examinees

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    at = now()
    with read_scope(app) as session:
        due = examinees.has_due_rosters(session, at) or attempt_service.has_overdue(session, at)
    if not due:
        return
    with session_scope(app) as session:
        attempt_service.finalize_overdue(session, at)
        examinees.freeze_due_rosters(session, at)
    release_transaction()
