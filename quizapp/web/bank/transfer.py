"""Bank files in the browser, with the CLI's code: upload -> preview -> confirm (all or
nothing); the Excel template; export of the whole bank or the filtered part."""
from __future__ import annotations

import io
import json
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
from .views import bank_filter, filter_args

UPLOAD = "bank_upload"
MAX_FILES = 20
BASELINE = "baseline.json"  # in the bundle beside the files: what the preview compared with
GONE = "这批文件已经确认导入（或预览已超过 1 小时），不会重复导入；如需再次导入，请重新上传文件"
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8", "yaml": "application/x-yaml; charset=utf-8",
             "gift": "text/plain; charset=utf-8", "xml": "application/xml"}
EXPORT_LABELS = {"xlsx": "Excel（.xlsx）", "csv": "CSV（Excel 可打开）", "yaml": "YAML（本系统题库格式）",
                 "gift": "GIFT（Moodle 文本格式）", "xml": "Moodle XML"}


def _limit() -> int:
    return int(current_app.config["BANK_IMPORT_MAX_MB"]) * 1024 * 1024


def _bundle(files: list[tuple[str, bytes]], baseline: dict[str, list[object] | None]) -> bytes:
    """The uploaded files kept together until the trainer confirms, with the bank's state the
    preview showed them against."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for n, (name, data) in enumerate(files):
            bundle.writestr(f"{n:02d}/{name}", data)
        bundle.writestr(BASELINE, json.dumps(baseline, ensure_ascii=False))
    return buffer.getvalue()


def _unbundle(data: bytes) -> tuple[list[tuple[str, bytes]], dict[str, list[object] | None]]:
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        files = [(info.filename.split("/", 1)[1], bundle.read(info)) for info in bundle.infolist()
                 if info.filename != BASELINE]
        baseline = json.loads(bundle.read(BASELINE)) if BASELINE in bundle.namelist() else {}
    if not isinstance(baseline, dict):
        raise ValueError("baseline is not a mapping")
    return files, baseline


def _preview(files: list[tuple[str, bytes]], topic: str | None, exam_only: bool, changed_since: str = "",
             plan: bank_import.BankPlan | None = None) -> str:
    session = get_session()
    if plan is None:
        plan = bank_import.plan_import(session, bank_import.read_sources(files, topic, _limit()))
    token = stash.stash(session, current_user.id, UPLOAD, "bank.zip", _bundle(files, plan.baseline()),
                        now()) if plan.accepted else None
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
    # Taken, not read: of two confirmations posted at once only one finds the upload.
    held = stash.fetch(session, token, current_user.id, UPLOAD, now(), take=True, gone=GONE)
    try:
        files, baseline = _unbundle(held.data)
    except (zipfile.BadZipFile, IndexError, ValueError):
        abort(400)
    topic = request.form.get("topic", "").strip()[:64] or None
    exam_only = request.form.get("exam_only") == "1"
    plan = bank_import.plan_import(session, bank_import.read_sources(files, topic, _limit()))
    if not plan.accepted:  # the bank changed since the preview: show what stands now
        return _preview(files, topic, exam_only, "预览之后题库发生了变化，请查看下面的最新结果。", plan)
    if moved := bank_import.changed_since(plan, baseline):
        # Someone edited, retired or created these since the preview: applying now would
        # overwrite what the trainer never saw. Show the new comparison to confirm again.
        return _preview(files, topic, exam_only,
                        f"预览之后题库有变动（{len(moved)} 道题被修改：{'、'.join(moved[:5])}"
                        f"{' 等' if len(moved) > 5 else ''}），请核对后重新确认导入", plan)
    summary = bank_import.apply_import(session, plan, now(), current_user.id, exam_only)
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
    args = {k: v for k, v in filter_args().items() if k != "page"}
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
           filters=filter_args())
    name = f"题库导出-{format_local(now(), '%Y%m%d%H%M')}{extension}"
    return send_file(io.BytesIO(write(records)), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name)

