"""The physical limit quizapp's autosave is measured against (issue 11): bare Flask and one
upsert per request, nothing else — no login, no CSRF, no ownership or deadline check, no ORM.

It answers the same request as quizapp's save endpoint (POST /api/attempts/<id>/answers with
{"item_id": …, "answer": …}), so that one wrk script loads both. Durable like quizapp: SQLite in
WAL with synchronous=FULL, each save its own committed transaction; PostgreSQL with autocommit.

    BASELINE_DATABASE_URL=sqlite:////tmp/b.sqlite3 gunicorn -w 2 --threads 4 'bench.baseline_app:create_app()'
    BASELINE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/baseline …
"""
from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime

from flask import Flask, jsonify, request

SCHEMA = ("CREATE TABLE IF NOT EXISTS answers (attempt_item_id INTEGER PRIMARY KEY, "
          "response VARCHAR(8) NOT NULL, saved_at TIMESTAMP NOT NULL)")
UPSERT = ("INSERT INTO answers (attempt_item_id, response, saved_at) VALUES ({p}, {p}, {p}) "
          "ON CONFLICT (attempt_item_id) DO UPDATE SET response = excluded.response, "
          "saved_at = excluded.saved_at")


def _connector(url: str):  # type: ignore[no-untyped-def]
    """A function opening one connection, and the upsert in its driver's parameter style."""
    if url.startswith("sqlite:///"):
        import sqlite3

        path = url.removeprefix("sqlite:///")

        def connect():  # type: ignore[no-untyped-def]
            conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=10000")
            return conn

        return connect, UPSERT.format(p="?")
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    return (lambda: psycopg.connect(dsn, autocommit=True)), UPSERT.format(p="%s")


def create_app() -> Flask:
    url = os.environ["BASELINE_DATABASE_URL"]
    connect, upsert = _connector(url)
    with connect() as conn:  # psycopg's context manager closes; sqlite3's only commits
        conn.execute(SCHEMA)
    local = threading.local()  # one connection per gunicorn thread, kept open
    app = Flask(__name__)

    @app.post("/api/attempts/<int:attempt_id>/answers")
    def save_answer(attempt_id: int):  # type: ignore[no-untyped-def]
        body = request.get_json()
        answer = body["answer"]
        response = json.dumps(answer)[:8]
        now = datetime.now(UTC).replace(tzinfo=None)
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = connect()
        conn.execute(upsert, (body["item_id"], response, now))  # autocommit: durable on return
        return jsonify(saved=True, item_id=body["item_id"], saved_at=now.isoformat() + "Z")

    return app
