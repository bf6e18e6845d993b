from flask import render_template, request
from flask_login import current_user, login_required

from ...db import get_session
from ...models import QUESTION_TYPES, TYPE_LABELS, Topic
from ...services import practice as practice_service
from ...services import reports
from ..params import arg_id
from . import bp


@bp.route("/")
@login_required
def index() -> str:
    session = get_session()
    answered, right = practice_service.practice_totals(session, current_user)
    return render_template(
        "practice/index.html", topics=practice_service.topic_counts(session),
        type_labels=TYPE_LABELS, wrong_book_size=practice_service.wrong_book_size(session, current_user),
        answered=answered, right=right,
    )


@bp.route("/question")
@login_required
def question() -> str:
    session = get_session()
    topic_id = arg_id("topic")
    qtype = request.args.get("type") if request.args.get("type") in QUESTION_TYPES else None
    wrong_book = request.args.get("wrong") == "1"
    busy = practice_service.exam_in_progress(session, current_user)
    if busy is not None:
        return render_template("practice/paused.html", exam=busy)
    code = request.args.get("code", "")[:32]
    version = practice_service.question_by_code(session, code) if code else None
    if version is None:
        version = practice_service.next_question(
            session, current_user, topic_id=topic_id, qtype=qtype, wrong_book=wrong_book,
            avoid_version_id=arg_id("after"))
    topic = session.get(Topic, topic_id) if topic_id else None
    return render_template(
        "practice/question.html", version=version, topic=topic, qtype=qtype,
        wrong_book=wrong_book, type_labels=TYPE_LABELS,
        my_reports=reports.mine_by_version(session, current_user, [version.id]).get(version.id, []) if version else [],
        wrong_book_size=practice_service.wrong_book_size(session, current_user),
    )
