"""The audit log for admins: who did what and when, within their part of the tree."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from flask import render_template, request
from flask_login import current_user

from ...clock import from_local
from ...db import get_session
from ...services import audit
from ..access import roles_required
from ..params import arg_page
from . import bp

PER_PAGE = 100
FILTER_KEYS = ("group", "user", "since", "until")  # carried into the page links, nothing else


def _day(name: str) -> date | None:
    try:
        value = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return value if 2000 <= value.year <= 2100 else None


@bp.route("/audit")
@roles_required("admin")
def audit_log() -> str:
    since, until = _day("since"), _day("until")
    f = audit.AuditFilter(
        group=request.args.get("group", ""), username=request.args.get("user", "")[:64],
        since=from_local(datetime.combine(since, datetime.min.time())) if since else None,
        until=from_local(datetime.combine(until + timedelta(days=1), datetime.min.time())) if until else None)
    page = arg_page()
    rows, total = audit.search(get_session(), current_user.org_unit, f, page, PER_PAGE)
    args = {key: value for key in FILTER_KEYS if (value := request.args.get(key, ""))}
    return render_template("admin/audit.html", rows=rows, total=total, page=page, pages=max(1, -(-total // PER_PAGE)),
                           f=f, since=since, until=until, groups=audit.GROUPS, args=args,
                           detail=lambda event: json.dumps(event.detail, ensure_ascii=False)[:300])
