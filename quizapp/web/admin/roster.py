"""Roster import in the browser: upload -> preview -> confirm -> the one-time 初始密码表."""
from flask import abort, render_template, request, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import format_local, now
from ...db import get_session, release_transaction
from ...errors import Conflict
from ...formats.tabular import TableError, read_table
from ...services import roster_import, stash
from ...services import units as unit_service
from ..access import roles_required
from . import bp
from .forms import RosterFileForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD, PASSWORDS = "roster_upload", "initial_passwords"


def _xlsx(data: bytes, name: str) -> Response:
    import io

    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/people/import", methods=["GET", "POST"])
@roles_required("admin")
def import_roster() -> str:
    form = RosterFileForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            table = read_table(data, upload.filename or "")
        except TableError as exc:
            form.file.errors = [str(exc)]
        else:
            session = get_session()
            plan = roster_import.plan_import(session, table, current_user.org_unit)
            token = stash.stash(session, current_user.id, UPLOAD, upload.filename or "roster", data, now()) \
                if plan.accepted else None
            return render_template("admin/import_preview.html", plan=plan, token=token,
                                   filename=upload.filename)
    return render_template("admin/import_form.html", form=form)


@bp.route("/people/import/template.xlsx")
@roles_required("admin")
def import_template() -> Response:
    rows = unit_service.unit_rows(get_session(), current_user.org_unit, active_only=True)
    examples = [r.path for r in rows if r.depth >= 1][:2] or [r.path for r in rows][:1]
    return _xlsx(roster_import.template_xlsx(examples), "人员名单导入模板.xlsx")


@bp.route("/people/import/confirm", methods=["POST"])
@roles_required("admin")
def confirm_import() -> str:
    session = get_session()
    token = request.form.get("token", "")
    held = stash.fetch(session, token, current_user.id, UPLOAD, now())
    data, filename = held.data, held.filename
    try:
        table = read_table(data, filename)
    except TableError:
        abort(400)
    plan = roster_import.plan_import(session, table, current_user.org_unit)
    if not plan.accepted:  # the roster changed since the preview: show what stands now
        return render_template("admin/import_preview.html", plan=plan, token=None, filename=filename,
                               changed_since=True)
    release_transaction()  # only read so far: hashing the new passwords must not hold the write lock
    passwords = roster_import.new_passwords(plan)
    # Taken before anything is written: of two confirmations sent at once, one imports.
    if not stash.discard(session, token, current_user.id):
        raise Conflict("这份名单已经确认导入（或预览已过期），不会重复导入；如需再次导入，请重新上传文件")
    created = roster_import.apply_import(session, plan, passwords, current_user.id, now())
    stamp = format_local(now())
    download = stash.stash(session, current_user.id, PASSWORDS, "初始密码表.xlsx",
                        roster_import.passwords_xlsx(created, stamp), now()) if created else None
    return render_template("admin/import_done.html", plan=plan, created=created, token=download)


@bp.route("/people/import/passwords/<token>")
@roles_required("admin")
def import_passwords(token: str) -> Response:
    held = stash.fetch(get_session(), token, current_user.id, PASSWORDS, now(), take=True)
    return _xlsx(held.data, f"初始密码表-{format_local(now(), '%Y%m%d%H%M')}.xlsx")
