import re
from datetime import timedelta
from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import from_local, now, to_local
from ...db import get_session
from ...errors import InvalidInput
from ...services import accounts
from ...services import bank as bank_service
from ...services import exams as exam_service
from ...services.exams import ExamDraft, RuleDraft
from ..access import roles_required
from ..lazy import finalize_overdue_first
from . import bp
from .forms import ExamForm, choices


@bp.route("/exams")
@roles_required("trainer", "admin")
def exams() -> str:
    finalize_overdue_first()  # abandoned attempts count as taken once their time is up
    session = get_session()
    rows = [(exam, exam_service.exam_progress(session, exam)[0])
            for exam in exam_service.managed_exams(session, current_user)]
    return render_template("manage/exams.html", rows=rows, now=now())


def _fill_choices(form: ExamForm) -> None:
    session = get_session()
    topics = choices([(0, "（不使用）")] + [(t.id, t.name) for t in bank_service.list_topics(session)])
    for row in form.rules:
        row.form.topic_id.choices = topics
    form.unit_ids.choices = choices((u.id, accounts.unit_label(u))
                                    for u in accounts.units_in_scope(session, current_user))


def _draft(form: ExamForm) -> ExamDraft:
    rules = [
        RuleDraft(r.topic_id.data, r.qtype.data, r.count.data or 0, r.points.data or Decimal(0))
        for r in (row.form for row in form.rules) if r.topic_id.data
    ]
    return ExamDraft(
        title=form.title.data or "", kind=form.kind.data, description=form.description.data or "",
        opens_at=from_local(form.opens_at.data), closes_at=from_local(form.closes_at.data),
        duration_minutes=form.duration_minutes.data, pass_mark=form.pass_mark.data,
        max_attempts=form.max_attempts.data, shuffle_questions=form.shuffle_questions.data,
        shuffle_options=form.shuffle_options.data, review_policy=form.review_policy.data,
        multiple_scoring=form.multiple_scoring.data, paper_mode=form.paper_mode.data,
        unit_ids=list(form.unit_ids.data or []), rules=rules,
        fixed_codes=[c for c in re.split(r"[\s,，、;；]+", form.fixed_codes.data or "") if c],
        fixed_points=form.fixed_points.data or Decimal(0),
    )


@bp.route("/exams/new", methods=["GET", "POST"])
@roles_required("trainer", "admin")
def new_exam() -> Response | str:
    form = ExamForm()
    _fill_choices(form)
    rule_errors: list[str] = []
    if not form.is_submitted():
        start = to_local(now()).replace(second=0, microsecond=0)
        form.opens_at.data = start
        form.closes_at.data = start + timedelta(days=7)
    if form.validate_on_submit():
        try:
            exam = exam_service.create_exam(get_session(), _draft(form), current_user, now())
        except InvalidInput as exc:
            for name, messages in exc.field_errors.items():
                if name == "rules":
                    rule_errors.extend(messages)
                else:
                    getattr(form, name).errors = list(getattr(form, name).errors) + messages
        else:
            flash(f"考试“{exam.title}”已创建", "success")
            return redirect(url_for("manage.exam_detail", exam_id=exam.id))
    return render_template("manage/exam_form.html", form=form, rule_errors=rule_errors)


@bp.route("/exams/<int:exam_id>")
@roles_required("trainer", "admin")
def exam_detail(exam_id: int) -> str:
    finalize_overdue_first(exam_id=exam_id)
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    progress, examinees = exam_service.exam_progress(session, exam)
    return render_template("manage/exam_detail.html", exam=exam, progress=progress,
                           examinees=examinees, unit_label=accounts.unit_label)
