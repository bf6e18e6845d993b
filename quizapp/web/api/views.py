from datetime import datetime
from typing import Any

from flask import jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import now
from ...db import get_session, reads_first
from ...errors import InvalidInput
from ...services import attempts as attempt_service
from ...services import practice as practice_service
from ..access import roles_required
from ..citations import for_reader
from ..lazy import finalize_overdue_first
from ..params import json_id
from . import bp


def _json_body() -> dict[str, Any]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # JSON nested thousands deep
        body = None
    if not isinstance(body, dict):
        raise InvalidInput("请求内容不是有效的 JSON 对象")
    if _has_nul(body):
        raise InvalidInput("请求中含有无法保存的空字符（\\0）")
    return body


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds") + "Z"


@bp.route("/attempts/<int:attempt_id>/state")
@roles_required("cadre")
def attempt_state(attempt_id: int) -> Response:
    finalize_overdue_first(user_id=current_user.id)
    session, at = get_session(), now()
    attempt = attempt_service.get_own_attempt(session, attempt_id, current_user)
    state = attempt_service.attempt_state(session, attempt, at)
    return jsonify(status=state.status, server_now=_iso(state.server_now),
                   deadline=_iso(state.deadline), seconds_left=state.seconds_left,
                   answers={str(k): v for k, v in state.answers.items()})


@bp.route("/attempts/<int:attempt_id>/answers", methods=["POST"])
@roles_required("cadre")
@reads_first  # on SQLite the write lock is taken for the save's writes only (see db.begin_writes)
def save_answer(attempt_id: int) -> Response:
    body = _json_body()
    at = now()
    saved_at = attempt_service.save_own_answer(get_session(), attempt_id, current_user.id,
                                               json_id(body, "item_id"), body.get("answer"), at)
    return jsonify(saved=True, item_id=body["item_id"], saved_at=_iso(saved_at),
                   server_now=_iso(at))


@bp.route("/practice/answer", methods=["POST"])
@roles_required("cadre", "trainer", "admin")
def practice_answer() -> Response:
    body = _json_body()
    feedback = practice_service.answer_question(
        get_session(), current_user, json_id(body, "version_id"), body.get("answer"), now())
    return jsonify(correct=feedback.correct, answer=feedback.answer,
                   explanation=feedback.explanation,
                   basis=[for_reader(b) for b in feedback.basis],
                   wrong_book_size=feedback.wrong_book_size)
