"""An exam after it is made: edit (everything before anyone starts), close early, reopen, delete."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import from_local, now, to_local
from ...db import get_session
from ...errors import InvalidInput
from ...models import Exam
from ...services import exam_changes
from ...services import exams as exam_service
from ..access import roles_required
from ..actions import back_to
from ..forms import first_errors, required
from . import bp
from .forms import ExamForm, ExamLimitedForm, ReopenForm
from .views import _fill_choices, draft_from, fill_form, fill_unit_choices, show_errors


@bp.route("/exams/<int:exam_id>/edit", methods=["GET", "POST"])
@roles_required("trainer", "admin")
def edit_exam(exam_id: int) -> Response | str:
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    if exam_changes.has_attempts(session, exam):
        return _edit_started(exam)
    form = ExamForm()
    _fill_choices(form)
    rule_errors: list[str] = []
    if not form.is_submitted():
        fill_form(form, exam_changes.draft_of(exam))
    if form.validate_on_submit():
        try:
            changes = exam_changes.update_exam(session, exam, draft_from(form), current_user, now())
        except InvalidInput as exc:
            rule_errors = show_errors(form, exc)
        else:
            flash("考试已保存" if changes else "没有改动", "success")
            return redirect(url_for("manage.exam_detail", exam_id=exam.id))
    return render_template("manage/exam_form.html", form=form, rule_errors=rule_errors, exam=exam,
                           copying=False)


def _edit_started(exam: Exam) -> Response | str:
    """Once someone has started: only what cannot change a result."""
    form = ExamLimitedForm()
    fill_unit_choices(form)
    if not form.is_submitted():
        form.title.data, form.description.data = exam.title, exam.description
        form.closes_at.data, form.review_policy.data = to_local(exam.closes_at), exam.review_policy
        form.unit_ids.data = [u.id for u in exam.assigned_units]
    if form.validate_on_submit():
        draft = exam_changes.draft_of(exam)
        draft.title, draft.description = form.title.data or "", form.description.data or ""
        draft.closes_at, draft.review_policy = from_local(required(form.closes_at.data)), form.review_policy.data
        draft.unit_ids = list(form.unit_ids.data or [])
        try:
            changes = exam_changes.update_exam(get_session(), exam, draft, current_user, now())
        except InvalidInput as exc:
            show_errors(form, exc)
        else:
            flash("考试已保存" if changes else "没有改动", "success")
            return redirect(url_for("manage.exam_detail", exam_id=exam.id))
    return render_template("manage/exam_limited_form.html", form=form, exam=exam)


@bp.route("/exams/<int:exam_id>/close", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("manage.exam_detail")
def close_exam(exam_id: int) -> Response:
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    graded = exam_changes.close_early(session, exam, current_user, now())
    flash(f"考试已截止{f'，{graded} 份正在进行的作答已按已保存的答案评分' if graded else ''}", "success")
    return redirect(url_for("manage.exam_detail", exam_id=exam.id))


@bp.route("/exams/<int:exam_id>/reopen", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("manage.exam_detail")
def reopen_exam(exam_id: int) -> Response:
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    form = ReopenForm()
    if not form.validate_on_submit():
        raise InvalidInput(first_errors(form))
    exam_changes.reopen(session, exam, from_local(required(form.closes_at.data)), current_user, now())
    flash("考试已重新开放", "success")
    return redirect(url_for("manage.exam_detail", exam_id=exam.id))


@bp.route("/exams/<int:exam_id>/delete", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("manage.exam_detail")
def delete_exam(exam_id: int) -> Response:
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    title = exam.title
    exam_changes.delete_exam(session, exam, current_user, now())
    flash(f"已删除考试“{title}”", "success")
    return redirect(url_for("manage.exams"))
