"""Backing up and restoring the whole database: `quizapp backup` and `quizapp restore`.

SQLite goes through its online backup API, so a backup taken while the server runs is one
consistent snapshot (WAL readers never block the examinees' writes); PostgreSQL through pg_dump
(custom format) and pg_restore. Backup files are written under a temporary name with mode 600 and
renamed only once complete and checked: a half-written backup never carries the final name.

This is infrastructure rather than a business rule: it commits (and replaces) whole databases.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from ..errors import QuizError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
EXTENSIONS = {"sqlite": ".sqlite3", "postgresql": ".dump"}
# Names `quizapp backup` gives by itself; only these are ever pruned by --keep.
AUTO_NAME = re.compile(r"^quizapp-\d{8}-\d{6}(?:-\d+)?\.(?:sqlite3|dump)$")
COUNTED = (("org_units", "个单位"), ("users", "个账号"), ("questions", "道题目"), ("exams", "场考试"),
           ("attempts", "份作答"), ("answers", "条答案"))
BUSY_TIMEOUT_S = 30.0


class BackupError(QuizError):
    """A backup or restore that cannot be done, said in Chinese."""


@dataclass(frozen=True)
class Contents:
    """What a database (or a backup) holds, in the numbers an operator recognises."""

    counts: dict[str, int]

    def describe(self) -> str:
        return "，".join(f"{self.counts.get(table, 0)} {label}" for table, label in COUNTED)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    contents: Contents
    size: int


@dataclass(frozen=True)
class RestoreResult:
    contents: Contents
    replaced: Contents | None  # what the database held before, when --force overwrote it
    safety_copy: Path | None  # where that was saved first
    needs_upgrade: bool  # the backup's schema is older than this program's


def dialect_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in EXTENSIONS:
        raise BackupError(f"不支持备份这种数据库：{name}（只支持 SQLite 和 PostgreSQL）")
    return name


def default_name(dialect: str, stamp: str, directory: Path, prefix: str = "quizapp") -> Path:
    """`quizapp-20260302-090000.sqlite3` in `directory`; a numbered suffix if taken already."""
    candidate = directory / f"{prefix}-{stamp}{EXTENSIONS[dialect]}"
    n = 1
    while candidate.exists():
        candidate = directory / f"{prefix}-{stamp}-{n}{EXTENSIONS[dialect]}"
        n += 1
    return candidate


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatically named backups in `directory`."""
    named = sorted((p for p in directory.iterdir() if AUTO_NAME.match(p.name) and p.is_file()),
                   key=lambda p: _auto_sort_key(p.name), reverse=True)
    removed = named[keep:]
    for path in removed:
        path.unlink()
    return removed


def _auto_sort_key(name: str) -> tuple[str, int]:
    stem = name.split(".", 1)[0]  # quizapp-YYYYMMDD-HHMMSS[-n]
    parts = stem.split("-")
    return parts[1] + parts[2], int(parts[3]) if len(parts) > 3 else 0


# -- backup --------------------------------------------------------------------------------------


def backup_database(url: str, path: Path) -> BackupResult:
    """Write a complete backup of the database at `url` to `path` (which must not exist yet)."""
    dialect = dialect_of(url)
    if path.exists():
        raise BackupError(f"文件 {path} 已存在，不会覆盖；请换一个文件名或先移走它")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder: owner only
    with _owner_only_temp(path) as temp:
        if dialect == "sqlite":
            contents = _sqlite_backup(_sqlite_file(url), temp)
        else:
            contents = _pg_backup(url, temp)
        _sync(temp)
        os.replace(temp, path)
    _sync(path.parent)
    return BackupResult(path, contents, path.stat().st_size)


@contextmanager
def _owner_only_temp(path: Path) -> Iterator[Path]:
    """An empty file beside `path`, mode 600 from its creation; removed unless renamed."""
    temp = path.with_name(f".{path.name}.part")
    with suppress(FileNotFoundError):
        temp.unlink()  # left by a backup that was killed
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise BackupError(f"无法在 {path.parent} 写入备份文件：{exc.strerror}") from None
    try:
        yield temp
    finally:
        with suppress(FileNotFoundError):
            temp.unlink()


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some filesystems cannot fsync a directory; the data itself was synced
    finally:
        os.close(descriptor)


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("内存中的 SQLite 数据库无法备份或恢复")
    return Path(database)


def _sqlite_backup(database: Path, temp: Path) -> Contents:
    if not database.is_file():
        raise BackupError(f"数据库文件 {database} 不存在；请检查 DATABASE_URL，或先运行 quizapp db upgrade")
    try:
        # mode=rw: never create an empty database where the real one is missing.
        source = sqlite3.connect(f"file:{database}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            target = sqlite3.connect(temp)
            try:
                source.backup(target)  # one step: one read transaction, one consistent snapshot
                # A single self-contained file: no -wal/-shm beside the backup.
                target.execute("PRAGMA journal_mode=DELETE")
                _check_sqlite(target, temp)
                contents = _sqlite_contents(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 备份失败：{exc}") from None
    return contents


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"{path} 校验失败（{verdict}），文件已损坏")


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")]


def _sqlite_contents(connection: sqlite3.Connection) -> Contents:
    tables = set(_sqlite_tables(connection))
    return Contents({table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                     for table, _label in COUNTED if table in tables})


def _sqlite_has_data(connection: sqlite3.Connection) -> bool:
    return any(connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
               for table in _sqlite_tables(connection) if table != "alembic_version")


def _pg_backup(url: str, temp: Path) -> Contents:
    pg_dump = pg_tool("pg_dump")
    engine = _pg_engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                # pg_dump reads the very snapshot the numbers below were counted in.
                snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
                contents = _pg_contents(connection)
                with temp.open("wb") as out:
                    _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--no-password",
                          f"--snapshot={snapshot}", f"--dbname={_libpq_dsn(url)}"],
                         url, "pg_dump", stdout=out)
    except SQLAlchemyError as exc:
        raise BackupError(f"无法连接 PostgreSQL 数据库：{_first_line(exc)}") from None
    finally:
        engine.dispose()
    return contents


def _pg_engine(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool)


def _pg_tables(connection: Connection) -> list[str]:
    return inspect(connection).get_table_names()


def _pg_contents(connection: Connection) -> Contents:
    tables = set(_pg_tables(connection))
    return Contents({table: connection.scalar(text(f'SELECT count(*) FROM "{table}"')) or 0
                     for table, _label in COUNTED if table in tables})


def _pg_has_data(connection: Connection) -> bool:
    return any(connection.scalar(text(f'SELECT EXISTS (SELECT 1 FROM "{table}")'))
               for table in _pg_tables(connection) if table != "alembic_version")


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BINDIR, the newest installed PostgreSQL, or the PATH."""
    folders: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        folders.append(Path(os.environ["PG_BINDIR"]))
    installed = [*Path("/usr/lib/postgresql").glob("*/bin"), *Path("/usr").glob("pgsql-*/bin")]
    folders += sorted(installed, key=_version_key, reverse=True)  # newest reads every older server
    for folder in folders:
        if (folder / name).is_file():
            return str(folder / name)
    if found := shutil.which(name):
        return found
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端程序（如 apt-get install postgresql-client），"
                      "或用环境变量 PG_BINDIR 指明它所在的目录")


def _version_key(folder: Path) -> tuple[int, ...]:
    digits = re.findall(r"\d+", folder.parent.name)
    return tuple(int(d) for d in digits) or (0,)


def _libpq_dsn(url: str) -> str:
    """The URL as libpq reads it, without the password (that goes in PGPASSWORD, not argv)."""
    parsed = make_url(url)
    return URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                      database=parsed.database, query=parsed.query).render_as_string(hide_password=False)


def _run(command: list[str], url: str, what: str, stdout: int | IO[bytes] = subprocess.PIPE) -> str:
    """Run a PostgreSQL client program; its own message (after ours) when it fails."""
    env = dict(os.environ)
    if password := make_url(url).password:
        env["PGPASSWORD"] = str(password)
    try:
        done = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=env, check=False)
    except OSError as exc:
        raise BackupError(f"无法运行 {command[0]}：{exc.strerror}") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip() or f"退出状态 {done.returncode}"
        raise BackupError(f"{what} 失败：{detail}")
    return done.stdout.decode("utf-8", "replace") if stdout is subprocess.PIPE else ""


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


# -- restore -------------------------------------------------------------------------------------


def backup_kind(path: Path) -> str:
    """'sqlite' or 'postgresql', from the file's first bytes."""
    if not path.is_file():
        raise BackupError(f"备份文件 {path} 不存在")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} 不是 quizapp 的备份文件（既不是 SQLite 数据库，也不是 pg_dump 的备份）")


def restore_database(url: str, path: Path, *, force: bool, safety_dir: Path, stamp: str) -> RestoreResult:
    """Replace the database at `url` with the backup at `path`.

    A database that holds any data is only replaced with `force`, and then only after it was
    itself backed up into `safety_dir`.
    """
    dialect = dialect_of(url)
    kind = backup_kind(path)
    if kind != dialect:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"{path} 是 {names[kind]} 数据库的备份，而 DATABASE_URL 指向 {names[dialect]} 数据库，"
                          "不能这样恢复")
    revision = _sqlite_revision(path) if kind == "sqlite" else _pg_revision(path, url)
    needs_upgrade = _check_revision(revision)
    current = database_contents(url, require_data=True)
    safety = None
    if current is not None:
        if not force:
            raise BackupError(f"数据库中已有数据（{current.describe()}），恢复会用备份覆盖全部现有数据。"
                              "确需覆盖请加 --force（覆盖前会先把现有数据自动备份一份）")
        safety = backup_database(url, default_name(dialect, stamp, safety_dir, "quizapp-before-restore")).path
    try:
        if dialect == "sqlite":
            _sqlite_restore(path, _sqlite_file(url))
        else:
            _pg_restore(path, url)
    except BackupError as exc:
        if safety is not None:
            raise BackupError(f"{exc.message}。恢复前的数据已备份在 {safety}") from None
        raise
    return RestoreResult(database_contents(url) or Contents({}), current, safety, needs_upgrade)


def database_contents(url: str, require_data: bool = False) -> Contents | None:
    """The database's numbers; with `require_data`, None when it holds no data at all."""
    if dialect_of(url) == "sqlite":
        database = _sqlite_file(url)
        if not database.exists() or database.stat().st_size == 0:
            return None
        try:
            connection = sqlite3.connect(f"file:{database}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S)
            try:
                if require_data and not _sqlite_has_data(connection):
                    return None
                return _sqlite_contents(connection)
            finally:
                connection.close()
        except sqlite3.Error as exc:
            raise BackupError(f"无法读取数据库 {database}：{exc}") from None
    engine = _pg_engine(url)
    try:
        with engine.connect() as pg_connection:
            if require_data and not _pg_has_data(pg_connection):
                return None
            return _pg_contents(pg_connection)
    except SQLAlchemyError as exc:
        raise BackupError(f"无法连接 PostgreSQL 数据库：{_first_line(exc)}") from None
    finally:
        engine.dispose()


def _check_revision(revision: str | None) -> bool:
    """True when the backup's schema is older than this program's; refuses one from a newer program."""
    from alembic.script import ScriptDirectory

    from ..migrate import MIGRATIONS

    if revision is None:
        raise BackupError("备份文件里没有 quizapp 的数据库结构版本（alembic_version），不是 quizapp 的备份")
    scripts = ScriptDirectory(str(MIGRATIONS))
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise BackupError(f"这份备份来自较新版本的 quizapp（数据库结构 {revision}），请先把程序升级到该版本再恢复")
    return revision != scripts.get_current_head()


def _sqlite_revision(path: Path) -> str | None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _check_sqlite(connection, path)
            if "alembic_version" not in _sqlite_tables(connection):
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc}") from None


def _sqlite_restore(path: Path, database: Path) -> None:
    if database.exists() and database.samefile(path):
        raise BackupError("备份文件就是当前的数据库文件，不能用它自己恢复")
    if not database.exists():
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)
            try:
                # One write transaction on the live file: other connections see the old data or
                # the restored data, never a mixture; a WAL database stays in WAL mode.
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 恢复失败：{exc}") from None


def _pg_revision(path: Path, url: str) -> str | None:
    pg_restore = pg_tool("pg_restore")
    _run([pg_restore, "--list", str(path)], url, "读取备份文件（pg_restore --list）")
    script = _run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(path)],
                  url, "读取备份文件（pg_restore）")
    lines = script.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and n + 1 < len(lines):
            value = lines[n + 1].strip()
            return None if value == "\\." else value
    return None


def _pg_restore(path: Path, url: str) -> None:
    pg_restore = pg_tool("pg_restore")
    engine = _pg_engine(url)
    try:
        with engine.begin() as connection:
            # Every table of the schema goes, not only those in the backup: a table added by a
            # later migration would otherwise survive and stop `quizapp db upgrade` afterwards.
            tables = _pg_tables(connection)
            if tables:
                connection.execute(text("DROP TABLE IF EXISTS "
                                        + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
            for sequence in inspect(connection).get_sequence_names():
                connection.execute(text(f'DROP SEQUENCE IF EXISTS "{sequence}" CASCADE'))
    except SQLAlchemyError as exc:
        raise BackupError(f"无法连接 PostgreSQL 数据库：{_first_line(exc)}") from None
    finally:
        engine.dispose()
    _run([pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
          "--no-password", f"--dbname={_libpq_dsn(url)}", str(path)], url, "pg_restore")
