import re
from datetime import datetime, timedelta
from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field

from ...clock import from_local, now, to_local
from ...db import get_session
from ...domain.timing import window_phase
from ...domain.vocab import Category
from ...errors import InvalidInput
from ...models import Exam
from ...services import bank as bank_service
from ...services import exam_changes
from ...services import exams as exam_service
from ...services import units as unit_service
from ...services.examinees import summarize
from ...services.exams import ExamDraft, RuleDraft
from ..access import roles_required
from ..forms import ChineseForm, required
from ..lazy import finalize_overdue_first
from ..params import arg_id
from . import bp
from .forms import RULE_ROWS, ExamForm, ExamLimitedForm, ExemptionForm, MakeupForm, ReopenForm, choices


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
    fill_unit_choices(form)


def fill_unit_choices(form: ExamForm | ExamLimitedForm) -> None:
    """The active units of the trainer's subtree, with their full paths."""
    rows = unit_service.unit_rows(get_session(), current_user.org_unit, active_only=True)
    form.unit_ids.choices = choices((r.id, r.label) for r in rows)


def fill_form(form: ExamForm, draft: ExamDraft) -> None:
    """Show a draft (an exam being edited or copied) in the form, in local time."""
    for name in ("title", "kind", "description", "duration_minutes", "pass_mark", "max_attempts",
                 "shuffle_questions", "shuffle_options", "review_policy", "multiple_scoring",
                 "paper_mode", "counted_attempt", "unit_ids", "fixed_points", "exam_only_pool"):
        getattr(form, name).data = getattr(draft, name)
    form.opens_at.data, form.closes_at.data = to_local(draft.opens_at), to_local(draft.closes_at)
    form.fixed_codes.data = "\n".join(draft.fixed_codes)
    while len(form.rules) < max(RULE_ROWS, len(draft.rules)):
        form.rules.append_entry()
    for row, rule in zip(form.rules, draft.rules, strict=False):
        row.form.topic_id.data, row.form.qtype.data = rule.topic_id, rule.qtype
        row.form.count.data, row.form.points.data = rule.count, rule.points


def draft_from(form: ExamForm) -> ExamDraft:
    rules = [
        RuleDraft(r.topic_id.data, r.qtype.data, r.count.data or 0, r.points.data or Decimal(0))
        for r in (row.form for row in form.rules) if r.topic_id.data
    ]
    return ExamDraft(
        title=form.title.data or "", kind=form.kind.data, description=form.description.data or "",
        opens_at=from_local(required(form.opens_at.data)), closes_at=from_local(required(form.closes_at.data)),
        duration_minutes=required(form.duration_minutes.data), pass_mark=required(form.pass_mark.data),
        max_attempts=required(form.max_attempts.data), shuffle_questions=form.shuffle_questions.data,
        shuffle_options=form.shuffle_options.data, review_policy=form.review_policy.data,
        multiple_scoring=form.multiple_scoring.data, paper_mode=form.paper_mode.data,
        unit_ids=list(form.unit_ids.data or []), rules=rules, counted_attempt=form.counted_attempt.data,
        exam_only_pool=form.exam_only_pool.data,
        fixed_codes=[c for c in re.split(r"[\s,，、;；]+", form.fixed_codes.data or "") if c],
        fixed_points=form.fixed_points.data or Decimal(0),
    )


@bp.route("/exams/new", methods=["GET", "POST"])
@roles_required("trainer", "admin")
def new_exam() -> Response | str:
    form = ExamForm()
    _fill_choices(form)
    rule_errors: list[str] = []
    source = arg_id("copy")
    if not form.is_submitted():
        if source:  # next year's exam from this year's: every setting, a window from today
            original = exam_service.managed_exam(get_session(), source, current_user)
            fill_form(form, exam_changes.copy_draft(
                original, now(), to_local(original.opens_at).year, to_local(now()).year))
        else:
            start = to_local(now()).replace(second=0, microsecond=0)
            form.opens_at.data = start
            form.closes_at.data = start + timedelta(days=7)
    if form.validate_on_submit():
        try:
            exam = exam_service.create_exam(get_session(), draft_from(form), current_user, now())
        except InvalidInput as exc:
            rule_errors = show_errors(form, exc)
        else:
            flash(f"考试“{exam.title}”已创建", "success")
            return redirect(url_for("manage.exam_detail", exam_id=exam.id))
    return render_template("manage/exam_form.html", form=form, rule_errors=rule_errors, exam=None,
                           copying=bool(source))


def show_errors(form: ExamForm | ExamLimitedForm, exc: InvalidInput) -> list[str]:
    """Put each field's messages beside it; the rules' messages are returned for the rule table."""
    rule_errors: list[str] = []
    for name, messages in exc.field_errors.items():
        if name == "rules":
            rule_errors.extend(messages)
            continue
        target: Field = getattr(form, "fixed_codes" if name == "paper" else name, None) or form.title
        target.errors = list(target.errors) + messages
    return rule_errors


@bp.route("/exams/<int:exam_id>")
@roles_required("trainer", "admin")
def exam_detail(exam_id: int) -> str:
    finalize_overdue_first(exam_id=exam_id)
    session, at = get_session(), now()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    progress, entries = exam_service.exam_progress(session, exam)
    return render_template(
        "manage/exam_detail.html", exam=exam, progress=progress, entries=entries,
        summary=summarize([e for e, _ in entries]), category_labels=Category.labels(),
        unit_paths={r.id: r.label for r in unit_service.unit_rows(session)},
        names=unit_service.names_by_id(session), unit_label=unit_service.unit_label,
        phase=window_phase(exam.opens_at, exam.closes_at, at),
        started=exam_changes.has_attempts(session, exam),
        makeup_of=exam_service.get_exam(session, exam.makeup_of_id) if exam.makeup_of_id else None,
        candidates=set(exam_changes.makeup_candidates(session, exam)) if exam.roster_frozen_at else set(),
        forms=roster_forms(exam, at))


def roster_forms(exam: Exam, at: datetime) -> dict[str, ChineseForm]:
    """The small forms of the exam page (reopen, exemptions, 补考), with sensible defaults."""
    local = to_local(at).replace(second=0, microsecond=0)
    return {
        "reopen": ReopenForm(formdata=None, closes_at=local + timedelta(days=7)),
        "exempt": ExemptionForm(formdata=None),
        "makeup": MakeupForm(formdata=None, opens_at=local, closes_at=local + timedelta(days=7)),
    }
