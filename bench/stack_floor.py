"""quizapp with its autosave's work taken out: what the stack alone costs (issue 11).

The same app, the same request (a logged-in cadre's session cookie, the CSRF token, the user
loaded and checked, the idle-session check, the security headers), but the save view answers
without touching the database. bench/autosave_wrk.py --floor loads it beside quizapp and the
bare baseline: its ratio to the baseline is the most any autosave behind this stack can reach.
Never served to users: the bench builds it from quizapp's factory.

    DATABASE_URL=… gunicorn -w 2 --threads 4 'bench.stack_floor:create_app()'
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, jsonify, request
from werkzeug.wrappers import Response

import quizapp
from quizapp.web.access import roles_required


def create_app() -> Flask:
    app = quizapp.create_app()

    @roles_required("cadre")
    def save_nothing(attempt_id: int) -> Response:
        body = request.get_json(silent=True) or {}
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
        return jsonify(saved=True, item_id=body.get("item_id"), saved_at=at, server_now=at)

    app.view_functions["api.save_answer"] = save_nothing
    return app
