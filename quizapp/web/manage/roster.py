"""An exam's 应考 list in the browser: 免考/缓考 for several people at once, and 补考."""
from flask import flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import from_local, now
from ...db import get_session
from ...domain.vocab import ExemptionKind
from ...errors import InvalidInput
from ...services import exam_changes, exemptions
from ...services import exams as exam_service
from ..access import roles_required
from ..actions import back_to
from ..forms import first_errors
from . import bp
from .forms import ExemptionForm, MakeupForm


@bp.route("/exams/<int:exam_id>/exemptions", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("manage.exam_detail")
def exemptions_view(exam_id: int) -> Response:
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    form = ExemptionForm()
    if not form.validate_on_submit():
        raise InvalidInput(first_errors(form))
    people = list(form.user_ids.data or [])
    if form.action.data == "clear":
        count = exemptions.clear_exemptions(session, exam, people, current_user, now())
        flash(f"已为 {count} 人取消免考/缓考", "success")
    else:
        count = exemptions.set_exemptions(session, exam, people, form.kind.data, form.reason.data,
                                          form.note.data or "", form.approved_by.data or "", current_user, now())
        flash(f"已为 {count} 人登记{ExemptionKind(form.kind.data).label}", "success")
    return redirect(url_for("manage.exam_detail", exam_id=exam.id, _anchor="roster"))


@bp.route("/exams/<int:exam_id>/makeup", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("manage.exam_detail")
def makeup(exam_id: int) -> Response:
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    form = MakeupForm()
    if not form.validate_on_submit():
        raise InvalidInput(first_errors(form))
    people = list(form.user_ids.data or [])
    if form.mode.data == "extra":
        count = exam_changes.grant_extra_attempts(session, exam, people, form.extra.data or 1, current_user, now())
        flash(f"已为 {count} 人各增加 {form.extra.data} 次作答机会", "success")
        return redirect(url_for("manage.exam_detail", exam_id=exam.id))
    if form.opens_at.data is None or form.closes_at.data is None:
        raise InvalidInput("请填写补考的开始和截止时间")
    created = exam_changes.create_makeup(session, exam, people, from_local(form.opens_at.data),
                                         from_local(form.closes_at.data), current_user, now())
    flash(f"已为 {len(people)} 人安排补考“{created.title}”", "success")
    return redirect(url_for("manage.exam_detail", exam_id=created.id))
