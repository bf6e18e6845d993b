from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from ...db import get_session
from ...models import OrgUnit, User
from ...services import accounts
from ..access import roles_required
from . import bp


@bp.route("/users")
@roles_required("admin")
def users() -> str:
    session = get_session()
    units = accounts.units_in_scope(session, current_user)
    people = session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(OrgUnit.path.startswith(current_user.org_unit.path))
        .order_by(OrgUnit.path, User.username)
    ).all()
    return render_template("admin/users.html", units=units, people=people,
                           unit_label=accounts.unit_label)
