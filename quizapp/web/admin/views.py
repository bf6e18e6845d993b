from flask import render_template
from flask_login import current_user

from ...db import get_session
from ...services import accounts
from ..access import roles_required
from . import bp


@bp.route("/users")
@roles_required("admin")
def users() -> str:
    session = get_session()
    units = accounts.units_in_scope(session, current_user)
    people = accounts.users_in_scope(session, current_user)
    return render_template("admin/users.html", units=units, people=people,
                           unit_label=accounts.unit_label)
