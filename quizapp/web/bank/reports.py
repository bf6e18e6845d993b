"""题目纠错 in the browser: a cadre reports from a review or practice page; trainers answer."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...clock import now
from ...db import get_session
from ...errors import InvalidInput, NotFound
from ...services import reports
from ..access import roles_required
from ..actions import back_to
from ..params import safe_next
from . import bp
from .forms import ReplyForm


@bp.route("/reports/new", methods=["POST"])
@login_required
def report_problem() -> Response:
    """From the page the cadre was reading; back to it with a message either way."""
    target = safe_next(request.form.get("next")) or url_for("practice.index")
    version_id = request.form.get("version_id", type=int)
    if version_id is None or not 0 < version_id < 2**31:
        flash("题目不存在", "danger")
        return redirect(target)
    try:
        reports.create_report(get_session(), version_id, current_user, request.form.get("message", ""), now())
    except (InvalidInput, NotFound) as exc:
        flash(exc.message, "danger")
        return redirect(target)
    flash("已提交纠错，出题老师处理后会在这道题下方答复您。谢谢！", "success")
    return redirect(target)


@bp.route("/reports")
@roles_required("trainer", "admin")
def report_list() -> str:
    status = request.args.get("status", "open")
    status = status if status in ("open", "resolved", "all") else "open"
    found = reports.list_reports(get_session(), current_user.org_unit, None if status == "all" else status)
    return render_template("bank/reports.html", reports=found, status=status, form=ReplyForm())


@bp.route("/reports/<int:report_id>", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("bank.report_list")
def answer_report(report_id: int) -> Response:
    form = ReplyForm()
    if not form.validate_on_submit():
        raise InvalidInput("；".join(e for errors in form.errors.values() for e in errors))
    resolved = reports.answer(get_session(), report_id, current_user, form.reply.data or "", form.resolve.data, now())
    flash("已答复并标为已处理" if resolved.status == "resolved" else "已保存答复", "success")
    return redirect(url_for("bank.report_list"))
