from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...clock import format_local, now
from ...db import get_session
from ...domain.grading import OUTCOME_LABELS, item_outcome
from ...domain.timing import REVIEW_NOTICES, window_phase
from ...services import attempts as attempt_service
from ...services import examinees as examinee_service
from ...services import exams as exam_service
from ...services import records, reports
from ..access import roles_required
from ..lazy import finalize_overdue_first
from ..params import ticked_answers
from . import bp


@bp.route("/")
@login_required
def home() -> Response:
    if current_user.is_staff:
        return redirect(url_for("manage.exams"))
    return redirect(url_for("exams.index"))


@bp.route("/exams")
@roles_required("cadre")
def index() -> str:
    finalize_overdue_first(user_id=current_user.id)
    session, at = get_session(), now()
    rows = [(exam, *attempt_service.standing_on(session, exam, current_user, at))
            for exam in examinee_service.exams_for(session, current_user)]
    return render_template("exams/index.html", rows=rows, now=at)


@bp.route("/exams/<int:exam_id>")
@roles_required("cadre")
def detail(exam_id: int) -> str:
    finalize_overdue_first(exam_id=exam_id, user_id=current_user.id)
    session, at = get_session(), now()
    exam = exam_service.get_exam(session, exam_id)
    if exam not in examinee_service.exams_for(session, current_user):
        abort(404)
    standing, tried = attempt_service.standing_on(session, exam, current_user, at)
    return render_template("exams/detail.html", exam=exam, standing=standing, attempts=tried,
                           phase=window_phase(exam.opens_at, exam.closes_at, at), now=at,
                           allowed=attempt_service.attempts_allowed(session, exam, current_user))


@bp.route("/exams/<int:exam_id>/start", methods=["POST"])
@roles_required("cadre")
def start(exam_id: int) -> Response:
    attempt = attempt_service.start_attempt(get_session(), exam_id, current_user, now())
    return redirect(url_for("exams.take", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@roles_required("cadre")
def take(attempt_id: int) -> Response | str:
    finalize_overdue_first(user_id=current_user.id)
    session, at = get_session(), now()
    attempt = attempt_service.get_own_attempt(session, attempt_id, current_user)
    if attempt.status != "in_progress":
        return redirect(url_for("exams.result", attempt_id=attempt.id))
    items = attempt_service.load_paper(session, attempt)
    state = attempt_service.attempt_state(session, attempt, at, items)
    return render_template("exams/take.html", attempt=attempt, exam=attempt.exam, items=items,
                           state=state)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@roles_required("cadre")
def submit(attempt_id: int) -> Response:
    session = get_session()
    attempt = attempt_service.get_own_attempt(session, attempt_id, current_user)
    if request.form.get("scripted") != "1":  # the page's script never ran: take what is ticked
        attempt_service.save_ticked(session, attempt, ticked_answers(request.form), now())
    attempt_service.submit_attempt(session, attempt, now(),
                                   time_up=request.form.get("time_up") == "1")
    return redirect(url_for("exams.result", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/result")
@roles_required("cadre")
def result(attempt_id: int) -> Response | str:
    finalize_overdue_first(user_id=current_user.id)
    session, at = get_session(), now()
    attempt = attempt_service.get_own_attempt(session, attempt_id, current_user)
    if attempt.status == "in_progress":
        return redirect(url_for("exams.take", attempt_id=attempt.id))
    hidden = attempt_service.review_hidden(session, attempt, at)
    items = attempt_service.load_paper(session, attempt) if hidden is None else []
    standing, tried = attempt_service.standing_on(session, attempt.exam, current_user, at)
    allowed = attempt_service.attempts_allowed(session, attempt.exam, current_user)
    notice = REVIEW_NOTICES[hidden].format(closes=format_local(attempt.exam.closes_at)) if hidden else ""
    my_reports = reports.mine_by_version(session, current_user, [item.version.id for item in items])
    return render_template("exams/result.html", attempt=attempt, exam=attempt.exam, items=items, my_reports=my_reports,
                           review=hidden is None, notice=notice, standing=standing, attempts=tried,
                           outcome=item_outcome, outcome_labels=OUTCOME_LABELS,
                           allowed_left=allowed - standing.attempts_used)


@bp.route("/exams/<int:exam_id>/certificate")
@roles_required("cadre")
def certificate(exam_id: int) -> str:
    """The cadre's own printable 合格证明 for an exam they passed."""
    session = get_session()
    exam = exam_service.get_exam(session, exam_id)
    return render_template("stats/certificate.html", cert=records.certificate(session, exam, current_user))
