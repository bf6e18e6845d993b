"""Login throttling: a temporary lockout per account and per address after repeated failures.

Counts live in Redis when REDIS_URL is set (shared by every worker and server), in memory
otherwise (per process: with several workers each keeps its own count, which still bounds a
guessing run; docs/deploy.md says to set REDIS_URL in production).
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

# A Redis that is down must not lock everyone out of an exam: the limits then count in this
# process's memory until Redis answers again.
limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=False, in_memory_fallback_enabled=True)


@limiter.request_filter
def _not_a_login() -> bool:
    """Only the login is limited: every other request (an autosave every few seconds from each
    examinee) skips the limiter's per-request bookkeeping."""
    return request.endpoint != "auth.login"


def init_limits(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> tuple[Response | str, int]:
        minutes = max(1, -(-exc.limit.limit.get_expiry() // 60))
        message = f"登录失败次数过多，请 {minutes} 分钟后再试；忘记密码请联系本单位管理员重置"
        from .security import record_refusal

        record_refusal("auth.throttled", username=request.form.get("username", "")[:64])
        if request.path.startswith("/api/") or request.is_json:
            return jsonify(error=message, code="throttled"), 429
        from .auth.forms import LoginForm

        form = LoginForm()
        form.password.errors = [message]
        return render_template("auth/login.html", form=form, throttled=True), 429
