"""Blueprints, login, CSRF, template helpers and the Chinese error pages."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask, g, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import bindparam, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from ..clock import format_local
from ..db import get_session
from ..domain.citation import basis_label
from ..errors import QuizError
from ..models import User
from .assets import init_assets
from .citations import LONG_ARTICLE, article_text, law_url, mark_quote, quoted_paragraph
from .limits import init_limits
from .params import MAX_ID
from .security import init_security, record_refusal

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录"
login_manager.login_message_category = "warning"

HTTP_MESSAGES = {
    400: "请求格式不正确",
    403: "您没有权限访问此页面",
    404: "页面不存在或已被删除",
    405: "不支持该操作方式",
    409: "操作与当前状态冲突",
    413: "上传的文件太大",
    422: "提交的内容有误",
    500: "服务器内部错误，请稍后重试；如持续出现请联系系统管理员",
}


@login_manager.unauthorized_handler
def _unauthorized() -> ResponseReturnValue:
    # The exam page's fetch would silently follow a redirect to the login form and take it
    # for a saved answer; JSON callers get a 401 they can act on instead.
    if _wants_json():
        return jsonify(error="登录已失效，请重新登录", code="login"), 401
    # After logging in again the browser GETs `next`: a form's POST-only target would be a 405.
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))


# Every request of a logged-in user runs this: a statement built once costs half of what
# session.get() costs (it builds its statement anew each time; bench/profile_save.py).
_USER_BY_ID = select(User).where(User.id == bindparam("id"))


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a session cookie ("id.version"); None once their sessions were ended."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > MAX_ID:
        return None
    user = get_session().scalars(_USER_BY_ID, {"id": int(user_id)}).first()
    if user is None or user.session_version != int(version):
        return None
    return user


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def _error_response(status: int, message: str, code: str = "error") -> tuple[Response | str, int]:
    if status == 403:
        record_refusal("access.denied")
    if _wants_json():
        return jsonify(error=message, code=code), status
    return render_template("error.html", status=status, message=message), status


def _format_score(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")


def _minutes_seconds(seconds: int) -> str:
    """Time left as the exam page's countdown shows it: 59:07, or 1:05:00."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` bounded to what an integer column holds: a huge id is a 404, not a 500."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_web(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .bank import bp as bank_bp
    from .exams import bp as exams_bp
    from .laws import bp as laws_bp
    from .manage import bp as manage_bp
    from .practice import bp as practice_bp
    from .stats import bp as stats_bp

    app.url_map.converters["int"] = DatabaseIdConverter
    csrf.init_app(app)
    login_manager.init_app(app)
    init_limits(app)
    init_security(app)
    init_assets(app)
    for bp in (auth_bp, exams_bp, practice_bp, laws_bp, manage_bp, bank_bp, admin_bp, api_bp, stats_bp):
        app.register_blueprint(bp)

    @app.route("/sw.js")
    def offline_worker() -> Response:
        """The exam page's service worker, served from the root so that it may cover /attempts/."""
        response = send_from_directory(app.static_folder or "static", "js/sw.js", max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.jinja_env.filters["local"] = format_local
    app.jinja_env.filters["score"] = _format_score
    app.jinja_env.filters["basis_label"] = basis_label
    app.jinja_env.filters["article_text"] = article_text
    app.jinja_env.filters["mark_quote"] = mark_quote
    app.jinja_env.filters["law_url"] = law_url
    app.jinja_env.filters["quoted_paragraph"] = quoted_paragraph
    app.jinja_env.globals["LONG_ARTICLE"] = LONG_ARTICLE
    app.jinja_env.filters["mmss"] = _minutes_seconds

    @app.before_request
    def _force_password_change() -> ResponseReturnValue | None:
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in ("auth.change_password", "auth.logout", "static")):
            if _wants_json():
                return jsonify(error="请先修改初始密码", code="password"), 403
            return redirect(url_for("auth.change_password"))
        return None

    @app.errorhandler(QuizError)
    def _quiz_error(exc: QuizError) -> tuple[Response | str, int]:
        return _error_response(exc.status_code, exc.message, exc.code)

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError) -> tuple[Response | str, int]:
        return _error_response(400, "安全校验失败（页面可能已过期），请刷新页面后重试", "csrf")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[Response | str, int]:
        status = exc.code or 500
        return _error_response(status, HTTP_MESSAGES.get(status, f"请求出错（HTTP {status}）"), "http")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response | str, int]:
        app.logger.exception("unhandled error", exc_info=exc)
        session = g.get("db_session")
        if session is not None:  # leave a usable session for rendering the error page
            session.rollback()
        return _error_response(500, HTTP_MESSAGES[500], "server")
