"""The roster in the browser: find people, add and edit them, leave and return, reset passwords."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import now, to_local
from ...db import get_session, release_transaction
from ...domain.vocab import Category, LeaveReason, Role
from ...errors import InvalidInput
from ...services import accounts
from ...services import people as people_service
from ...services import units as unit_service
from ..access import roles_required
from ..actions import back_to
from ..forms import first_errors, required
from ..manage.forms import choices
from ..params import arg_id, arg_page
from . import bp
from .forms import LeaveForm, PersonForm

PER_PAGE = 50


def _filters() -> people_service.PeopleFilter:
    leader = {"1": True, "0": False}.get(request.args.get("leader", ""))
    return people_service.PeopleFilter(
        text=request.args.get("q", "")[:64], unit_id=arg_id("unit"),
        with_subunits=request.args.get("sub", "1") == "1",
        category=request.args.get("category") or None, leader=leader,
        status=request.args.get("status", "active"), role=request.args.get("role") or None)


@bp.route("/users")
@roles_required("admin", "trainer")
def users() -> Response:
    return redirect(url_for("admin.people"))


@bp.route("/people")
@roles_required("admin", "trainer")
def people() -> str:
    session = get_session()
    filters, page = _filters(), arg_page()
    found, total = people_service.search_people(session, current_user, filters, page, PER_PAGE)
    names = unit_service.names_by_id(session)
    return render_template(
        "admin/people.html", people=found, total=total, page=page, pages=max(1, -(-total // PER_PAGE)),
        f=filters, units=unit_service.unit_rows(session, current_user.org_unit), names=names,
        unit_label=unit_service.unit_label, categories=Category.labels(), roles=Role.labels())


def _fill(form: PersonForm) -> None:
    rows = unit_service.unit_rows(get_session(), current_user.org_unit, active_only=True)
    form.unit_id.choices = choices((r.id, r.label) for r in rows)
    if current_user.role != Role.ADMIN:
        form.role.choices = choices([(Role.CADRE, Role.CADRE.label)])


def _as_service_form(form: PersonForm) -> people_service.PersonForm:
    return people_service.PersonForm(
        full_name=form.full_name.data or "", username=form.username.data or "",
        phone=form.phone.data or "", unit_id=form.unit_id.data or 0, position=form.position.data or "",
        category=form.category.data, is_leader=bool(form.is_leader.data), role=form.role.data)


def _show_errors(form: PersonForm, exc: InvalidInput) -> None:
    for name, messages in exc.field_errors.items():
        target = getattr(form, name, None) or form.full_name
        target.errors = list(target.errors) + messages


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required("admin")
def new_person() -> Response | str:
    form = PersonForm()
    _fill(form)
    if not form.is_submitted() and arg_id("unit"):
        form.unit_id.data = arg_id("unit")
    if form.validate_on_submit():
        release_transaction()  # hashing needs no lock; nothing was written yet
        password = accounts.generate_initial_password()
        password_hash = accounts.initial_password_hash(password)
        try:
            person = people_service.create_person(get_session(), _as_service_form(form), password_hash,
                                                  current_user, now())
        except InvalidInput as exc:
            _show_errors(form, exc)
        else:
            return render_template("admin/password_issued.html", person=person, password=password,
                                   created=True)
    return render_template("admin/person_form.html", form=form, person=None)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_person(user_id: int) -> Response | str:
    session = get_session()
    person = people_service.person_in_scope(session, user_id, current_user)
    form = PersonForm() if request.method == "POST" else PersonForm(
        obj=person, unit_id=person.org_unit_id)
    _fill(form)
    if form.validate_on_submit():
        try:
            diff = people_service.update_person(session, person, _as_service_form(form), current_user, now())
        except InvalidInput as exc:
            _show_errors(form, exc)
        else:
            flash("已保存" if diff else "没有改动", "success")
            return redirect(url_for("admin.edit_person", user_id=person.id))
    leave = LeaveForm(formdata=None, on=to_local(now()).date())
    return render_template("admin/person_form.html", form=form, person=person, leave=leave,
                           label=unit_service.unit_label(person.org_unit),
                           has_history=people_service.has_history(session, person),
                           reasons=LeaveReason.labels())


@bp.route("/people/<int:user_id>/leave", methods=["POST"])
@roles_required("admin")
@back_to("admin.edit_person")
def leave(user_id: int) -> Response:
    session = get_session()
    person = people_service.person_in_scope(session, user_id, current_user)
    form = LeaveForm()
    if not form.validate_on_submit():
        raise InvalidInput(first_errors(form))
    people_service.deactivate_person(session, person, form.reason.data, required(form.on.data), current_user, now())
    flash(f"{person.full_name} 已办理离职（{LeaveReason(form.reason.data).label}），账号已停用，历史记录保留", "success")
    return redirect(url_for("admin.edit_person", user_id=person.id))


@bp.route("/people/<int:user_id>/return", methods=["POST"])
@roles_required("admin")
@back_to("admin.edit_person")
def reactivate(user_id: int) -> Response:
    session = get_session()
    person = people_service.person_in_scope(session, user_id, current_user)
    people_service.reactivate_person(session, person, current_user, now())
    flash(f"{person.full_name} 已恢复在职", "success")
    return redirect(url_for("admin.edit_person", user_id=person.id))


@bp.route("/people/<int:user_id>/delete", methods=["POST"])
@roles_required("admin")
@back_to("admin.edit_person")
def delete_person(user_id: int) -> Response:
    session = get_session()
    person = people_service.person_in_scope(session, user_id, current_user)
    name = person.full_name
    people_service.delete_person(session, person, current_user, now())
    flash(f"已删除 {name}", "success")
    return redirect(url_for("admin.people"))


@bp.route("/people/<int:user_id>/password", methods=["POST"])
@roles_required("admin", "trainer")
def reset_password(user_id: int) -> str:
    session = get_session()
    person = people_service.person_in_scope(session, user_id, current_user)
    release_transaction()  # hashing needs no lock; nothing was written yet
    password = accounts.generate_initial_password()
    password_hash = accounts.initial_password_hash(password)
    person = people_service.person_in_scope(session, user_id, current_user)
    people_service.reset_password(session, person, password_hash, current_user, now())
    return render_template("admin/password_issued.html", person=person, password=password, created=False)
