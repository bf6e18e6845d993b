"""The unit tree in the browser: add, rename, change kind, move, deactivate and reactivate."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import now
from ...db import get_session
from ...errors import InvalidInput
from ...services import units as unit_service
from ..access import roles_required
from ..actions import back_to
from ..forms import required
from ..manage.forms import choices
from . import bp
from .forms import UnitForm


def _parent_choices(form: UnitForm, exclude_path: str | None = None) -> None:
    """Active units of the admin's subtree; never the unit being moved or anything below it."""
    rows = unit_service.unit_rows(get_session(), current_user.org_unit, active_only=True)
    form.parent_id.choices = choices(
        (r.id, r.label) for r in rows if exclude_path is None or not r.tree_path.startswith(exclude_path))


def _show_errors(form: UnitForm, exc: InvalidInput) -> None:
    for name, messages in exc.field_errors.items():
        getattr(form, name, form.name).errors = list(getattr(form, name, form.name).errors) + messages


@bp.route("/units", methods=["GET", "POST"])
@roles_required("admin")
def units() -> Response | str:
    session = get_session()
    form = UnitForm()
    _parent_choices(form)
    if form.validate_on_submit():
        parent = unit_service.scoped_unit(session, form.parent_id.data, current_user)
        try:
            unit = unit_service.create_unit(session, required(form.name.data), parent, form.kind.data,
                                            current_user, now())
        except InvalidInput as exc:
            _show_errors(form, exc)
        else:
            flash(f"已添加单位“{unit.name}”", "success")
            return redirect(url_for("admin.units"))
    rows = unit_service.unit_rows(session, current_user.org_unit)
    counts = unit_service.people_counts(session, current_user.org_unit)
    return render_template("admin/units.html", form=form, rows=rows, counts=counts,
                           root_id=current_user.org_unit_id)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_unit(unit_id: int) -> Response | str:
    session = get_session()
    unit = unit_service.scoped_unit(session, unit_id, current_user)
    form = UnitForm(obj=unit) if not UnitForm().is_submitted() else UnitForm()
    _parent_choices(form, exclude_path=unit.path)
    is_root = unit.id == current_user.org_unit_id
    if not form.is_submitted():
        form.parent_id.data = unit.parent_id
    if form.validate_on_submit():
        try:
            unit_service.rename_unit(session, unit, required(form.name.data), form.kind.data, current_user, now())
            if not is_root and form.parent_id.data != unit.parent_id:
                new_parent = unit_service.scoped_unit(session, form.parent_id.data, current_user)
                unit_service.move_unit(session, unit, new_parent, current_user, now())
        except InvalidInput as exc:
            _show_errors(form, exc)
        else:
            flash("单位已保存", "success")
            return redirect(url_for("admin.units"))
    label = unit_service.unit_label(unit, unit_service.names_by_id(session))
    return render_template("admin/unit_form.html", form=form, unit=unit, label=label, is_root=is_root)


@bp.route("/units/<int:unit_id>/active", methods=["POST"])
@roles_required("admin")
@back_to("admin.units")
def set_unit_active(unit_id: int) -> Response:
    session = get_session()
    unit = unit_service.scoped_unit(session, unit_id, current_user)
    active = request.form.get("active") == "1"
    changed = unit_service.set_unit_active(session, unit, active, current_user, now())
    flash(f"已恢复单位“{unit.name}”" if active else f"已停用“{unit.name}”及其下级单位（共 {changed} 个）",
          "success")
    return redirect(url_for("admin.units"))
