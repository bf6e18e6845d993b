"""Documents: the report section (preview, .docx, .xlsx, CSV), a cadre's 学法档案, an exam's
printable 成绩单 and a cadre's 合格证明."""
from __future__ import annotations

import io

from flask import abort, render_template, request, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import format_local, now
from ...db import get_session
from ...domain import report as narrative
from ...domain import statistics as st
from ...formats import report_tables
from ...formats.report_docx import write_docx
from ...formats.report_files import write_csv, write_csv_zip, write_xlsx_report
from ...services import exams as exam_service
from ...services import people as people_service
from ...services import records
from ...services.audit import record
from ..access import roles_required
from . import bp
from .views import report_for, stats_query

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip", "csv": "text/csv; charset=utf-8",
}


def _file(data: bytes, kind: str, name: str) -> Response:
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[kind], as_attachment=True, download_name=name)


@bp.route("/report")
@roles_required("trainer", "admin")
def report_preview() -> str:
    q = stats_query()
    report = report_for(q)
    data = report.data()
    return render_template("stats/report.html", q=q, report=report, paragraphs=narrative.narrative(data),
                           problems=narrative.problems(data), next_steps=narrative.next_steps(data),
                           summary=report_tables.summary(report), units=report_tables.units(report),
                           leaders=report_tables.leaders(report), generated=format_local(report.generated_at))


@bp.route("/report.<fmt>")
@roles_required("trainer", "admin")
def report_download(fmt: str) -> Response:
    """The year's section as .docx, .xlsx, or a .zip of CSV files (one per table)."""
    if fmt not in ("docx", "xlsx", "zip"):
        abort(404)
    q = stats_query()
    report = report_for(q, with_questions=fmt != "docx")
    stem = f"{q.year}年度{report.scope_name}学法考试情况"
    if fmt == "docx":
        data = write_docx(report, with_missing=request.args.get("missing") == "1")
    elif fmt == "xlsx":
        data = write_xlsx_report(report)
    else:
        data = write_csv_zip(report)
    record(get_session(), "report.export", now(), current_user.id, year=q.year, format=fmt,
           unit_id=q.unit.id if q.unit else None, exam_id=q.exam_id)
    return _file(data, fmt, f"{stem}.{fmt}")


@bp.route("/missing.<fmt>")
@roles_required("trainer", "admin")
def missing_download(fmt: str) -> Response:
    if fmt not in ("xlsx", "csv"):
        abort(404)
    q = stats_query()
    table = report_tables.missing(report_for(q))
    record(get_session(), "report.export", now(), current_user.id, year=q.year, format=f"missing.{fmt}",
           exam_id=q.exam_id)
    if fmt == "csv":
        return _file(write_csv(table), "csv", "未参考名单.csv")
    from ...formats.tabular import write_xlsx

    return _file(write_xlsx({table.name: [table.headers, *table.rows]}), "xlsx", "未参考名单.xlsx")


@bp.route("/cadre/<int:user_id>")
@roles_required("trainer", "admin")
def cadre(user_id: int) -> str:
    """A cadre's 学法档案 for the year."""
    q = stats_query()
    person = people_service.person_in_scope(get_session(), user_id, current_user)
    return render_template("stats/cadre.html", q=q, record=records.cadre_record(get_session(), person, q.year),
                           score=st.score_text)


@bp.route("/exams/<int:exam_id>/transcript")
@roles_required("trainer", "admin")
def transcript(exam_id: int) -> str:
    """An exam's printable 成绩单: everyone on its list with the result that counts."""
    exam = exam_service.managed_exam(get_session(), exam_id, current_user)
    q = stats_query()
    report = report_for(type(q)(q.year, exam.id, q.unit))
    return render_template("stats/transcript.html", exam=exam, report=report,
                           table=report_tables.people(report), figures=report.by_exam.get(exam.id),
                           pct=st.percent_text, score=st.score_text, generated=format_local(now()))


@bp.route("/certificate/<int:exam_id>/<int:user_id>")
@roles_required("trainer", "admin")
def certificate(exam_id: int, user_id: int) -> str:
    """A cadre's printable 合格证明, for the office."""
    session = get_session()
    exam = exam_service.managed_exam(session, exam_id, current_user)
    person = people_service.person_in_scope(session, user_id, current_user)
    return render_template("stats/certificate.html", cert=records.certificate(session, exam, person))
