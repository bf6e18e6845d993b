"""What every response says about itself: a Content-Security-Policy with no inline script,
no framing, no sniffing, no referrer to other sites, and never a cached page of a logged-in
user (result pages show answers). Idle sessions end; behind nginx, the client's own address."""
from __future__ import annotations

from flask import Flask, Response, flash, jsonify, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from ..clock import now
from ..errors import InvalidInput

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap draws its icons as data: SVG
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SEEN = "seen"  # the session's last request, in whole seconds since the epoch (UTC)


def init_security(app: Flask) -> None:
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    @app.before_request
    def _refuse_nul_bytes() -> None:
        """A NUL byte is never meant, and PostgreSQL refuses it in text: a clear 400, not a 500."""
        sources = (request.args, request.form) if request.method == "POST" else (request.args,)
        for values in sources:
            for key, value in values.items(multi=True):
                # A multipart part without a name comes through with the key None.
                if "\x00" in (key or "") or "\x00" in (value or ""):
                    raise InvalidInput("请求中含有无法保存的空字符（\\0），请删除后重试")

    @app.before_request
    def _end_idle_sessions() -> ResponseReturnValue | None:
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        stamp = int(now().timestamp())
        seen = session.get(SEEN)
        if isinstance(seen, int) and stamp - seen > app.config["SESSION_IDLE_MINUTES"] * 60:
            logout_user()
            session.pop(SEEN, None)
            message = "长时间没有操作，已自动退出，请重新登录"
            if request.path.startswith("/api/") or request.is_json:
                return jsonify(error=message, code="login"), 401
            flash(message, "warning")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))
        if not isinstance(seen, int) or stamp - seen >= 60:  # rewrite the cookie at most once a minute
            session[SEEN] = stamp
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static" and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        return response


def record_refusal(action: str, **detail: object) -> None:
    """Audit a refused request: the request's own work is rolled back (a refused action changes
    nothing), but the refusal itself is written after that rollback and stays on record."""
    from ..db import keep_after_rollback
    from ..services.audit import record

    user_id = current_user.id if current_user.is_authenticated else None
    at, facts = now(), dict(method=request.method, path=request.path[:200], **detail)
    keep_after_rollback(lambda session: record(session, action, at, user_id, **facts))
