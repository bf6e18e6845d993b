from flask import render_template, request

from ...db import get_session
from ...models import QUESTION_TYPES, TYPE_LABELS
from ...services import bank as bank_service
from ..access import roles_required
from ..params import arg_id, arg_page
from . import bp

PER_PAGE = 50


@bp.route("/")
@roles_required("trainer", "admin")
def index() -> str:
    session = get_session()
    topic_id = arg_id("topic")
    qtype = request.args.get("type") if request.args.get("type") in QUESTION_TYPES else None
    page = arg_page()
    rows, total = bank_service.list_questions(session, topic_id, qtype, page, PER_PAGE)
    return render_template(
        "bank/index.html", topics=bank_service.topics_with_counts(session), rows=rows,
        total=total, page=page, pages=max(1, -(-total // PER_PAGE)), topic_id=topic_id,
        qtype=qtype, type_labels=TYPE_LABELS,
    )
