"""Engine, the per-request session and the declarative Base.

One transaction per request: the session is opened lazily, committed after a successful
response and rolled back on any error or 4xx/5xx response. Services only flush.
"""
from __future__ import annotations

import contextvars
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flask import Flask, Response, current_app, g, request
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

# Scores use Numeric(…, 2); on SQLite they round-trip through float, which is exact enough
# for two decimals and values below 10^5.
warnings.filterwarnings("ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# SQLite: a request that will write takes the write lock at BEGIN (BEGIN IMMEDIATE), so two
# writers queue on the busy timeout instead of failing when a read lock cannot be upgraded.
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)
_View = TypeVar("_View", bound=Callable[..., Any])


SORTER_THREADS = min(4, os.cpu_count() or 1)


def make_engine(url: str, busy_timeout_ms: int = 10_000) -> Engine:
    if url.startswith("sqlite"):
        # Bulk inserts (a 10,000-question import) in pages of 100 rows: faster than 1,000 (bench/).
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000}, insertmanyvalues_page_size=100)
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    # psycopg parses SQLAlchemy's 1,000-row INSERTs slowly; pages of 20 halve a large import (bench/).
    return create_engine(url, pool_pre_ping=True, insertmanyvalues_page_size=20)


def _owner_only(database: str | None) -> None:
    """The database file and its journals readable by the server's account only (mode 600)."""
    if not database or database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm"):
        path = database + suffix
        if os.path.exists(path) and os.stat(path).st_mode & 0o777 != 0o600:
            os.chmod(path, 0o600)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, not the driver.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # WAL + FULL: an acknowledged answer survives a killed server and a power cut.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        # Large sorts (a county's year report groups millions of answered items) may use the
        # other cores: about half the time on 2 cores. Small queries never start a thread.
        cur.execute(f"PRAGMA threads={SORTER_THREADS}")
        _owner_only(engine.url.database)
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def reads_first(view: _View) -> _View:
    """Mark a POST view whose writes come last (the autosave): on SQLite its request starts as a
    reader and takes the write lock only at `begin_writes`, not at its first query."""
    view.reads_first = True  # type: ignore[attr-defined]
    return view


def begin_writes(session: Session) -> None:
    """The unit of work writes from here on.

    On SQLite, a transaction begun as a reader is ended here and the next statement opens
    BEGIN IMMEDIATE: the single write lock is then held for the writes and the commit only, not
    while the user is loaded, the CSRF token checked and the request read. Ending a read-only
    transaction costs nothing, and what it read stays loaded (expire_on_commit=False). Whatever
    must still hold when writing has to be checked again by the writes themselves (the autosave's
    conditional UPDATE). A no-op for a unit of work that is already a writer, and on PostgreSQL,
    where writers lock rows, not the database.
    """
    if _write_intent.get():
        return
    _write_intent.set(True)  # the request's teardown resets it
    if session.in_transaction() and session.get_bind().dialect.name == "sqlite":
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_writes() after a write would commit it half-way")
        session.commit()


def reading() -> bool:
    """Whether the unit of work under way was begun as a reader (SQLite: plain BEGIN)."""
    return not _write_intent.get()


@contextmanager
def write_intent() -> Iterator[None]:
    """Mark the enclosed work as a writer (CLI commands, tests that seed data)."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], app.config["SQLITE_BUSY_TIMEOUT_MS"])
    app.extensions["quizapp.engine"] = engine
    app.extensions["quizapp.sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.before_request
    def _mark_writes() -> None:
        view = current_app.view_functions.get(request.endpoint or "")
        writes = request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(view, "reads_first", False)
        g._write_token = _write_intent.set(writes)

    @app.after_request
    def _commit(response: Response) -> Response:
        session: Session | None = g.pop("db_session", None)
        kept = g.pop("kept_after_rollback", [])
        if session is None and kept:
            session = current_app.extensions["quizapp.sessionmaker"]()
        if session is not None:
            try:
                if response.status_code < 400:
                    session.commit()
                else:
                    session.rollback()
                    if kept:  # what must stay on record although the request failed
                        for write in kept:
                            write(session)
                        session.commit()
            finally:
                session.close()
        return response

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:  # an exception skipped after_request
            session.rollback()
            session.close()
        token = g.pop("_write_token", None)
        if token is not None:
            _write_intent.reset(token)


def keep_after_rollback(write: Callable[[Session], None]) -> None:
    """Run `write` after the failing request's work is rolled back, and commit it: the record
    of a refused action survives the refusal."""
    g.setdefault("kept_after_rollback", []).append(write)


def dialect_insert(session: Session) -> Callable[[type[object]], sqlite.Insert | postgresql.Insert]:
    """INSERT with ON CONFLICT support for the session's database (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (`Session.execute` returns a CursorResult for
    them, but is typed to return a Result)."""
    return cast("CursorResult[Any]", result).rowcount


def get_session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["quizapp.sessionmaker"]()
    session: Session = g.db_session
    return session


def release_transaction() -> None:
    """End the request's transaction early, before slow work that needs no lock.

    On SQLite a writing request holds the single write lock from its first query; password
    hashing takes ~0.1 s and must not hold it. It also lets the request read what a short
    transaction of its own committed meanwhile (lazy finalization). Call only before anything was
    written: what the session loaded is expired and reloads in the next transaction.
    """
    session: Session | None = g.get("db_session")
    if session is None:
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("release_transaction() after a write would commit it half-way")
    # Ending a read-only transaction: commit and rollback are the same to the database, but a
    # commit keeps what the request's own savepoints hold when tests run it on one connection.
    session.commit()
    session.expire_all()


@contextmanager
def read_scope(app: Flask) -> Iterator[Session]:
    """A short read-only unit of work of its own (never holds SQLite's write lock)."""
    token = _write_intent.set(False)
    session: Session = app.extensions["quizapp.sessionmaker"]()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
        _write_intent.reset(token)


@contextmanager
def session_scope(app: Flask) -> Iterator[Session]:
    """One committed unit of work outside a request (CLI, demo loader, tests)."""
    with write_intent():
        session: Session = app.extensions["quizapp.sessionmaker"]()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
