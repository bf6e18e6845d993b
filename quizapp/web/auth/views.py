from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ...clock import now
from ...db import get_session, release_transaction
from ...errors import InvalidInput
from ...models import User
from ...services import accounts
from ..forms import required
from ..limits import limiter
from ..params import safe_next
from . import bp
from .forms import ChangePasswordForm, LoginForm


def home_for(user: User) -> str:
    return url_for("manage.exams") if user.is_staff else url_for("exams.index")


def _failed(response: Response) -> bool:
    """Only a refused login counts towards the lockout; a successful one redirects."""
    return request.method == "POST" and response.status_code != 302


def _account_key() -> str:
    return "login-account:" + request.form.get("username", "").strip().lower()[:64]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"],
               deduct_when=_failed, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_failed,
               scope="login-ip")
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        username = required(form.username.data)
        candidate = accounts.login_candidate(session, username)
        release_transaction()  # hash checks are slow; hold no lock across them
        ok = accounts.password_matches(candidate[1] if candidate else None, required(form.password.data))
        user = accounts.record_login(session, candidate[0] if candidate else None, username, ok, now())
        if user is None:
            form.password.errors = [*form.password.errors, "账号或密码不正确，或账号已停用"]
        else:
            login_user(user)
            if user.must_change_password:
                flash("首次登录，请先修改初始密码", "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        accounts.end_sessions(get_session(), current_user.id, now())
    logout_user()
    flash("您已安全退出", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user_id, stored_hash = current_user.id, current_user.password_hash
        username = current_user.username
        release_transaction()  # hashing the new password is slow; hold no lock across it
        try:
            new_hash = accounts.new_password_hash(stored_hash, username, required(form.current.data),
                                                  required(form.new.data))
            accounts.store_password(get_session(), user_id, new_hash, now())
        except InvalidInput as exc:
            for name, messages in exc.field_errors.items():
                getattr(form, name).errors.extend(messages)
        else:
            login_user(current_user._get_current_object())  # this session goes on; every other one ends
            flash("密码已修改，其他设备上的登录已退出", "success")
            return redirect(home_for(current_user))
    return render_template("auth/password.html", form=form,
                           min_length=accounts.MIN_PASSWORD_LENGTH)
