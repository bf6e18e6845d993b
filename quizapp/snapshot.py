"""A second read-only session that sees exactly what a first one sees, so that a long query can
run in a thread beside the first session's work (the report sums millions of answered items
while the people's figures are counted) and both halves still describe the same moment.

PostgreSQL exports the first transaction's snapshot and the second imports it, as
`pg_dump --jobs` does. SQLite has no such call in Python: both read transactions are started
while a third connection holds the write lock, so that no commit can land between them.
"""
from __future__ import annotations

import re

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from .db import reading, write_intent

# What pg_export_snapshot() returns, e.g. 00000003-0000001B-1: checked before it is spliced into
# SET TRANSACTION SNAPSHOT, which takes no bound parameters.
_PG_SNAPSHOT = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")
_FIRST_READ = text("SELECT count(*) FROM sqlite_master")  # a read opens SQLite's snapshot


def twin_session(session: Session) -> Session | None:
    """Start a new transaction on `session` and return a second session on the same snapshot
    (the caller closes it), or None when that cannot be done and the work should run on
    `session` itself: when `session` works on one given connection (the tests run everything
    inside one transaction they roll back) or is a SQLite writer.

    `session` must not have written anything: its read-only transaction is ended first. What
    it loaded stays loaded (sessions here do not expire on commit)."""
    engine = session.get_bind()
    if not isinstance(engine, Engine) or (engine.dialect.name == "sqlite" and not reading()):
        return None
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("twin_session() after a write would commit it half-way")
    session.commit()
    twin = Session(bind=engine, expire_on_commit=False)
    try:
        if engine.dialect.name == "postgresql":
            _share_postgresql(session, twin)
        else:
            _share_sqlite(engine, session, twin)
    except BaseException:
        twin.close()
        raise
    return twin


def _share_postgresql(session: Session, twin: Session) -> None:
    # REPEATABLE READ: every statement of the transaction sees the snapshot taken at its first,
    # and only such a transaction may import one.
    same = {"isolation_level": "REPEATABLE READ"}
    snapshot = session.connection(execution_options=same).execute(text("SELECT pg_export_snapshot()")).scalar_one()
    if not _PG_SNAPSHOT.fullmatch(snapshot):
        raise RuntimeError(f"unexpected snapshot id {snapshot!r}")
    twin.connection(execution_options={**same, "postgresql_readonly": True}).execute(
        text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))


def _share_sqlite(engine: Engine, session: Session, twin: Session) -> None:
    with engine.connect() as lock:
        with write_intent():
            lock.begin()  # BEGIN IMMEDIATE: no other connection can commit until the rollback
        try:
            session.execute(_FIRST_READ)
            twin.execute(_FIRST_READ)
        finally:
            lock.rollback()
