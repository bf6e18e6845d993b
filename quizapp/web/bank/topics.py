"""Topics (专题) and tags kept in the browser: create, rename, delete an empty topic; rename or
remove a tag on every question that carries it."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import now
from ...db import get_session
from ...domain.questions import TYPE_LABELS
from ...services import bank as bank_service
from ...services import bank_bulk
from ..access import roles_required
from ..actions import back_to
from . import bp


@bp.route("/topics")
@roles_required("trainer", "admin")
def topics() -> str:
    session = get_session()
    return render_template("bank/topics.html", topics=bank_service.topics_with_counts(session),
                           retired=bank_service.retired_counts(session), tags=bank_bulk.tag_counts(session).most_common(),
                           type_labels=TYPE_LABELS)


@bp.route("/topics/new", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("bank.topics")
def create_topic() -> Response:
    topic = bank_bulk.create_topic(get_session(), request.form.get("name", "")[:100], current_user, now())
    flash(f"已新建专题“{topic.name}”", "success")
    return redirect(url_for("bank.topics"))


@bp.route("/topics/<int:topic_id>/rename", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("bank.topics")
def rename_topic(topic_id: int) -> Response:
    topic = bank_bulk.rename_topic(get_session(), topic_id, request.form.get("name", "")[:100], current_user, now())
    flash(f"专题已改名为“{topic.name}”", "success")
    return redirect(url_for("bank.topics"))


@bp.route("/topics/<int:topic_id>/delete", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("bank.topics")
def delete_topic(topic_id: int) -> Response:
    bank_bulk.delete_topic(get_session(), topic_id, current_user, now())
    flash("专题已删除", "success")
    return redirect(url_for("bank.topics"))


@bp.route("/tags/rename", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("bank.topics")
def rename_tag() -> Response:
    old, new = request.form.get("old", "")[:64], request.form.get("new", "")[:64]
    count = bank_bulk.rename_tag(get_session(), old, new, current_user, now())
    flash(f"已把 {count} 题的标签“{old}”" + (f"改为“{new.strip()}”" if new.strip() else "去掉"), "success")
    return redirect(url_for("bank.topics"))
