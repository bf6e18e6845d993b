"""Role checks for views."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_login import current_user, login_required

from ..errors import NotAllowed

View = Callable[..., Any]


def roles_required(*roles: str) -> Callable[[View], View]:
    """Only logged-in users with one of these roles; others get a Chinese 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                raise NotAllowed("您的账号没有使用此功能的权限")
            return view(*args, **kwargs)

        return wrapped

    return decorator
