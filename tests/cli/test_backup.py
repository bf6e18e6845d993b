"""`quizapp backup` and `quizapp restore`, on SQLite and PostgreSQL: what a county's IT person runs
every night and, one bad day, the morning after.

Round trips run on the live database (committed for real: pg_dump and SQLite's backup API read
what other connections committed) with the county of factories.py, exams half-way through.
"""
from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from quizapp import create_app
from quizapp.config import TestConfig
from quizapp.db import Base, session_scope
from quizapp.models import Answer, Attempt, User
from quizapp.services.attempts import start_attempt, submit_attempt

from ..conftest import FakeClock
from ..factories import load_world

STAMP = "20260302-090000"  # the suite's clock, 09:00 in China


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def described(rows: dict[str, list[tuple[object, ...]]]) -> str:
    """The numbers the commands print, as an operator reads them."""
    return (f"{len(rows['org_units'])} 个单位，{len(rows['users'])} 个账号，{len(rows['questions'])} 道题目，"
            f"{len(rows['exams'])} 场考试，{len(rows['attempts'])} 份作答，{len(rows['answers'])} 条答案")


def extension(app: Flask) -> str:
    return ".dump" if app.config["DATABASE_URL"].startswith("postgresql") else ".sqlite3"


def owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.fixture
def live(live_app: Flask, tmp_path: Path) -> Flask:
    """The live app, its instance/ (where safety copies go) under the test's own folder."""
    live_app.instance_path = str(tmp_path / "instance")
    return live_app


@pytest.fixture
def fresh_url(live_app: Flask, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind: the new server a backup is restored onto."""
    url = live_app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'new-server' / 'quizapp.sqlite3'}"
        return
    parsed = make_url(url)
    name = f"{parsed.database}_restored"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield parsed.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def app_on(url: str, clock: FakeClock, instance: Path) -> Flask:
    app = create_app(TestConfig, DATABASE_URL=url, CLOCK=clock)
    app.instance_path = str(instance)
    return app


def refused(result, message: str) -> None:
    """A refusal a person can read: non-zero status, 错误：… in Chinese, no traceback."""
    assert result.exit_code == 1, result.output
    assert f"错误：{message}" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_backup_then_restore_brings_back_every_attempt_answer_and_account(
        live: Flask, clock: FakeClock, tmp_path: Path) -> None:
    url = live.config["DATABASE_URL"]
    before = snapshot(url)
    assert len(before["attempts"]) == 6 and len(before["answers"]) > 20  # exams half-way through
    runner = live.test_cli_runner()

    made = runner.invoke(args=["backup", f"{tmp_path / 'nightly'}/"])
    backup = tmp_path / "nightly" / f"quizapp-{STAMP}{extension(live)}"
    assert made.exit_code == 0, made.output
    assert f"已备份到 {backup}（{described(before)}；" in made.output
    assert owner_only(backup)
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no temporary file left behind

    # The exam goes on after the backup; then someone destroys answers and edits an account.
    with live.app_context(), session_scope(live) as s:
        open_attempt = s.scalars(select(Attempt).where(Attempt.status == "in_progress").order_by(Attempt.id)).first()
        assert open_attempt is not None
        submit_attempt(s, open_attempt, clock())
        s.execute(delete(Answer).where(Answer.id % 2 == 0))
        s.scalars(select(User).where(User.username == "cadre1")).one().full_name = "被改掉的名字"
    changed = snapshot(url)
    assert changed != before

    refusal = runner.invoke(args=["restore", str(backup)])
    refused(refusal, f"数据库中已有数据（{described(changed)}），恢复会用备份覆盖全部现有数据。确需覆盖请加 --force")
    assert snapshot(url) == changed  # a refusal touches nothing

    done = runner.invoke(args=["restore", str(backup), "--force"])
    assert done.exit_code == 0, done.output
    safety = tmp_path / "instance" / "backups" / f"quizapp-before-restore-{STAMP}{extension(live)}"
    assert f"原有数据（{described(changed)}）已先备份到 {safety}" in done.output
    assert f"已从 {backup} 恢复数据库：{described(before)}" in done.output
    assert "db upgrade" not in done.output
    assert snapshot(url) == before
    assert owner_only(safety)
    assert stat.S_IMODE(safety.parent.stat().st_mode) == 0o700

    # The restored database takes new work: ids continue after the restored ones (PG sequences).
    with live.app_context(), session_scope(live) as s:
        world = load_world(s, live.extensions["quizapp.test_world"])
        new = start_attempt(s, world.exam.id, world.cadre, clock())
        assert new.id > max(row[0] for row in before["attempts"])

    # The safety copy holds what the restore overwrote, and restores like any backup.
    again = runner.invoke(args=["restore", str(safety), "--force"])
    assert again.exit_code == 0, again.output
    assert snapshot(url) == changed


@pytest.mark.parametrize("migrated", [True, False], ids=["after-db-upgrade", "blank"])
def test_a_backup_taken_mid_write_restores_onto_a_new_server(
        live: Flask, fresh_url: str, clock: FakeClock, tmp_path: Path, migrated: bool) -> None:
    url = live.config["DATABASE_URL"]
    committed = snapshot(url)
    # An examinee's save is in flight: its transaction is open while the backup runs.
    writer = create_engine(url, poolclass=NullPool)
    with writer.connect() as conn:
        conn.execute(text("UPDATE answers SET response = 'X'"))
        conn.execute(text("UPDATE users SET full_name = '未提交' WHERE username = 'cadre3'"))
        made = live.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
        conn.rollback()
    writer.dispose()
    assert made.exit_code == 0, made.output
    assert f"已备份到 {tmp_path / 'b'}（{described(committed)}；" in made.output
    assert owner_only(tmp_path / "b")

    new_server = app_on(fresh_url, clock, tmp_path / "new-instance")
    runner = new_server.test_cli_runner()
    if migrated:
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    done = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"已从 {tmp_path / 'b'} 恢复数据库：{described(committed)}"
    assert snapshot(fresh_url) == committed  # committed work only, and all of it
    if fresh_url.startswith("sqlite"):
        assert owner_only(Path(make_url(fresh_url).database or ""))
    new_server.extensions["quizapp.engine"].dispose()


def test_default_names_and_keeping_the_newest(live: Flask, clock: FakeClock, tmp_path: Path) -> None:
    runner = live.test_cli_runner()
    ext = extension(live)
    folder = tmp_path / "instance" / "backups"
    assert runner.invoke(args=["backup"]).exit_code == 0
    second = runner.invoke(args=["backup"])  # the same second: a second name, not an overwrite
    assert f"已备份到 {folder / f'quizapp-{STAMP}-1{ext}'}" in second.output
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    clock.advance(days=1)
    kept = runner.invoke(args=["backup", "--keep", "2"])
    assert kept.exit_code == 0, kept.output
    assert "已删除 1 份较早的备份，保留最新的 2 份" in kept.output
    assert sorted(p.name for p in folder.iterdir()) == [f"quizapp-{STAMP}-1{ext}", f"quizapp-20260303-090000{ext}"]

    refused(runner.invoke(args=["backup", str(folder / f"quizapp-20260303-090000{ext}")]),
            f"文件 {folder / f'quizapp-20260303-090000{ext}'} 已存在，不会覆盖")


def test_restore_refuses_what_is_not_a_backup_of_this_database(live: Flask, tmp_path: Path) -> None:
    runner = live.test_cli_runner()
    before = snapshot(live.config["DATABASE_URL"])
    refused(runner.invoke(args=["restore", str(tmp_path / "missing.dump"), "--force"]),
            f"备份文件 {tmp_path / 'missing.dump'} 不存在")
    (tmp_path / "notes.txt").write_text("不是备份", encoding="utf-8")
    refused(runner.invoke(args=["restore", str(tmp_path / "notes.txt"), "--force"]),
            f"{tmp_path / 'notes.txt'} 不是 quizapp 的备份文件")
    if extension(live) == ".dump":
        other = tmp_path / "other.sqlite3"
        other.write_bytes(b"SQLite format 3\x00" + bytes(100))
        why = f"{other} 是 SQLite 数据库的备份，而 DATABASE_URL 指向 PostgreSQL 数据库"
    else:
        other = tmp_path / "other.dump"
        other.write_bytes(b"PGDMP" + bytes(100))
        why = f"{other} 是 PostgreSQL 数据库的备份，而 DATABASE_URL 指向 SQLite 数据库"
    refused(runner.invoke(args=["restore", str(other), "--force"]), why)
    assert snapshot(live.config["DATABASE_URL"]) == before


def _backup_at_revision(app: Flask, revision: str, path: Path) -> None:
    with app.app_context(), session_scope(app) as s:
        old = s.scalar(text("SELECT version_num FROM alembic_version"))
        s.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    with app.app_context(), session_scope(app) as s:
        s.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": old})


def test_schema_versions_newer_refused_older_told_to_upgrade(
        live: Flask, fresh_url: str, clock: FakeClock, tmp_path: Path) -> None:
    _backup_at_revision(live, "9999", tmp_path / "from-the-future")
    _backup_at_revision(live, "0002", tmp_path / "from-last-year")
    new_server = app_on(fresh_url, clock, tmp_path / "new-instance")
    runner = new_server.test_cli_runner()
    refused(runner.invoke(args=["restore", str(tmp_path / "from-the-future")]),
            "这份备份来自较新版本的 quizapp（数据库结构 9999），请先把程序升级到该版本再恢复")
    older = runner.invoke(args=["restore", str(tmp_path / "from-last-year")])
    assert older.exit_code == 0, older.output
    assert "这份备份的数据库结构比当前程序旧，请接着运行 quizapp db upgrade" in older.output
    new_server.extensions["quizapp.engine"].dispose()
