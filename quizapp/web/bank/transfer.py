"""Bank files in the browser, with the CLI's code: upload -> preview -> confirm (all or
nothing); the Excel template; export of the whole bank or the filtered part."""
from __future__ import annotations

import io
import zipfile

from flask import abort, current_app, render_template, request, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import format_local, now
from ...db import get_session
from ...formats import bank_formats
from ...formats.bank_table import template_xlsx
from ...services import bank_import, bank_search, stash
from ...services.audit import record
from ..access import roles_required
from . import bp
from .forms import ImportForm
from .views import bank_filter

UPLOAD = "bank_upload"
MAX_FILES = 20
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8", "yaml": "application/x-yaml; charset=utf-8",
             "gift": "text/plain; charset=utf-8", "xml": "application/xml"}
EXPORT_LABELS = {"xlsx": "Excel（.xlsx）", "csv": "CSV（Excel 可打开）", "yaml": "YAML（本系统题库格式）",
                 "gift": "GIFT（Moodle 文本格式）", "xml": "Moodle XML"}


def _limit() -> int:
    return int(current_app.config["BANK_IMPORT_MAX_MB"]) * 1024 * 1024


def _bundle(files: list[tuple[str, bytes]]) -> bytes:
    """The uploaded files kept together until the trainer confirms."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for n, (name, data) in enumerate(files):
            bundle.writestr(f"{n:02d}/{name}", data)
    return buffer.getvalue()


def _unbundle(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return [(info.filename.split("/", 1)[1], bundle.read(info)) for info in bundle.infolist()]


def _preview(files: list[tuple[str, bytes]], topic: str | None, exam_only: bool, changed_since: bool = False) -> str:
    session = get_session()
    plan = bank_import.plan_import(session, bank_import.read_sources(files, topic, _limit()))
    token = stash.stash(session, current_user.id, UPLOAD, "bank.zip", _bundle(files), now()) if plan.accepted else None
    return render_template("bank/import_preview.html", plan=plan, token=token, files=[name for name, _ in files],
                           topic=topic or "", exam_only=exam_only, changed_since=changed_since)


@bp.route("/import", methods=["GET", "POST"])
@roles_required("trainer", "admin")
def import_bank() -> str:
    form = ImportForm()
    if form.validate_on_submit():
        uploads = [f for f in request.files.getlist("files") if f and f.filename]
        if not uploads:
            form.topic.errors = ["请选择要导入的文件"]
        elif len(uploads) > MAX_FILES:
            form.topic.errors = [f"一次最多导入 {MAX_FILES} 个文件"]
        else:
            files = [(f.filename or "题库", f.read(_limit() + 1)) for f in uploads]
            return _preview(files, (form.topic.data or "").strip() or None, form.exam_only.data)
    return render_template("bank/import_form.html", form=form, limit_mb=current_app.config["BANK_IMPORT_MAX_MB"])


@bp.route("/import/confirm", methods=["POST"])
@roles_required("trainer", "admin")
def confirm_import() -> str:
    session = get_session()
    token = request.form.get("token", "")
    held = stash.fetch(session, token, current_user.id, UPLOAD, now())
    try:
        files = _unbundle(held.data)
    except (zipfile.BadZipFile, IndexError):
        abort(400)
    topic = request.form.get("topic", "").strip()[:64] or None
    exam_only = request.form.get("exam_only") == "1"
    plan = bank_import.plan_import(session, bank_import.read_sources(files, topic, _limit()))
    if not plan.accepted:  # the bank changed since the preview: show what stands now
        return _preview(files, topic, exam_only, changed_since=True)
    summary = bank_import.apply_import(session, plan, now(), current_user.id, exam_only)
    stash.discard(session, token, current_user.id)
    return render_template("bank/import_done.html", summary=summary, files=[name for name, _ in files])


@bp.route("/import/template.xlsx")
@roles_required("trainer", "admin")
def import_template() -> Response:
    return send_file(io.BytesIO(template_xlsx()), mimetype=MIMETYPES["xlsx"], as_attachment=True,
                     download_name="题库导入模板.xlsx")


@bp.route("/export")
@roles_required("trainer", "admin")
def export_form() -> str:
    session = get_session()
    f = bank_filter()
    _, total = bank_search.search(session, f, 1, 1)
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    return render_template("bank/export.html", total=total, args=args, formats=EXPORT_LABELS)


@bp.route("/export/download")
@roles_required("trainer", "admin")
def export_download() -> Response:
    fmt = request.args.get("format", "")
    if fmt not in EXPORT_LABELS:
        abort(400)
    extension, _, write = bank_formats()[fmt]
    records = bank_search.export_records(get_session(), bank_filter())
    record(get_session(), "bank.export", now(), current_user.id, format=fmt, questions=len(records),
           filters={k: v for k, v in request.args.items() if k != "format"})
    name = f"题库导出-{format_local(now(), '%Y%m%d%H%M')}{extension}"
    return send_file(io.BytesIO(write(records)), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name)

