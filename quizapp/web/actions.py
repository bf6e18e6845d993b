"""Buttons that act and come back: a refused action is a message on the page it came from."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash, g, redirect, url_for

from ..errors import Conflict, InvalidInput

View = Callable[..., Any]


def back_to(endpoint: str) -> Callable[[View], View]:
    """On a refused action (bad input, or a conflict with the current state), undo whatever it
    did, flash why, and redirect to `endpoint` with the view's own arguments (exam_id, user_id…).
    A missing or forbidden target stays a 404 or 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except (InvalidInput, Conflict) as exc:
                session = g.get("db_session")
                if session is not None:
                    session.rollback()  # a redirect is a success to the request's commit
                flash(exc.message, "danger")
                return redirect(url_for(endpoint, **kwargs))

        return wrapped

    return decorator
