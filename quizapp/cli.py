"""The `quizapp` command: database, bank import, demo data, overdue attempts, accounts, backups."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .clock import now
from .domain.vocab import UnitKind

if TYPE_CHECKING:
    from .services.roster_import import Summary

UNIT_KINDS = UnitKind.labels()


class CliError(click.ClickException):
    """A refused command, said in Chinese (click's own says "Error:")."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def main() -> None:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from . import create_app

    try:
        FlaskGroup(create_app=create_app, add_default_commands=True,
                   help="学法用法考试与培训平台 管理命令")(prog_name="quizapp")
    except (OperationalError, ProgrammingError) as exc:
        # A fresh or old database: say what to do instead of a traceback.
        if "no such table" in str(exc) or "does not exist" in str(exc) or "no such column" in str(exc):
            click.echo("错误：数据库还没有建立或不是最新结构，请先运行 quizapp db upgrade", err=True)
            sys.exit(1)
        raise


def init_app(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(bank_group)
    app.cli.add_command(attempts_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(users_group)
    app.cli.add_command(units_group)
    app.cli.add_command(report_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.group("db", help="数据库结构（Alembic 迁移）")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="把数据库升级到最新结构（首次运行时创建）")
@with_appcontext
def db_upgrade() -> None:
    from .migrate import upgrade

    upgrade(current_app)
    click.echo("数据库已是最新结构")


@click.group("bank", help="题库")
def bank_group() -> None:
    pass


def _bank_sources(paths: tuple[Path, ...], limit: int) -> list[tuple[str, bytes]]:
    """The files named, a folder's bank files (every extension a bank format reads, GIFT's .txt
    too); at most `limit` + 1 bytes of each, so that a file over the limit is refused without
    being read whole."""
    from .formats import format_of

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and format_of(p.name) is not None)
        else:
            files.append(path)
    found = []
    for f in files:
        with f.open("rb") as handle:
            found.append((f.name, handle.read(limit + 1)))
    return found


@bank_group.command("import", help="导入题库文件（.xlsx .csv .yaml .gift/.txt .xml，或含这些文件的目录）：先检查，有任何问题则整批不导入")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只预览，不写入")
@click.option("--json", "as_json", is_flag=True,
              help="以 JSON 打印预览：new、changed、unchanged、duplicates、skipped、problems")
@click.option("--topic", help="文件没有“专题”列时导入到的专题")
@click.option("--exam-only", is_flag=True, help="新题标为考试专用（不出现在练习中）")
@with_appcontext
def bank_import(paths: tuple[Path, ...], dry_run: bool, as_json: bool, topic: str | None, exam_only: bool) -> None:
    import json

    from .db import read_scope, session_scope
    from .services import bank_import as importer

    limit = current_app.config["BANK_IMPORT_MAX_MB"] * 1024 * 1024
    read = importer.read_sources(_bank_sources(paths, limit), topic, limit)
    bar = None if as_json or len(read.questions) < 1000 else click.progressbar(
        length=len(read.questions), label="检查题目", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.update(done - bar.pos)

    with read_scope(current_app) as session:
        plan = importer.plan_import(session, read, progress)
    if bar is not None:
        bar.update(len(read.questions) - bar.pos)
        bar.render_finish()
    summary = plan.summary()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        click.echo(f"预览：新增 {summary['new']} 题，更新 {summary['changed']} 题，未变 {summary['unchanged']} 题，"
                   f"题干相同或相近 {summary['duplicates']} 题，跳过 {summary['skipped']} 题（不支持的题型）")
        for name in plan.skipped:
            click.echo(f"  跳过：{name}")
        for item in plan.items:
            for warning in item.warnings:
                click.echo(f"  提示：{item.file} {item.where}：{warning}")
        if plan.problems:
            click.echo(f"导入未执行：发现 {len(plan.problems)} 处问题，请修改后重新导入。", err=True)
            for problem in plan.problems:
                click.echo(f"  {problem}", err=True)
    if not plan.accepted:
        sys.exit(1)
    if dry_run:
        return
    with session_scope(current_app) as session:
        plan = importer.plan_import(session, read)
        if not plan.accepted:
            sys.exit(1)
        done = importer.apply_import(session, plan, now(), exam_only=exam_only)
    if not as_json:
        click.echo(f"题库导入完成：{done}")


@bank_group.command("export", help="导出题库：xlsx、csv、yaml、gift、xml（Moodle XML）")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "yaml", "gift", "xml"]), required=True)
@click.option("--topic", help="只导出这个专题")
@click.option("--retired", is_flag=True, help="包括已停用的题目")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def bank_export(fmt: str, topic: str | None, retired: bool, output: Path) -> None:
    from .db import read_scope
    from .formats import bank_formats
    from .services.bank_search import BankFilter, export_records

    with read_scope(current_app) as session:
        records = export_records(session, BankFilter(topic_name=topic, status="all" if retired else "active"))
    output.write_bytes(bank_formats()[fmt][2](records))
    click.echo(f"已导出 {len(records)} 题到 {output}")


@bank_group.command("check", help="逐题核对法条引用：条文是否存在、原文是否逐字出现在内置的法律文本中")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def bank_check(path: Path | None) -> None:
    from .db import read_scope
    from .domain.laws import citation_problem
    from .services import bank_import as importer
    from .services.bank_search import BankFilter, export_records

    if path is not None:
        limit = current_app.config["BANK_IMPORT_MAX_MB"] * 1024 * 1024
        read = importer.read_sources(_bank_sources((path,), limit), None, limit)
        for problem in read.problems:
            click.echo(str(problem))
        cited = [(q.draft.code or f"{q.file} 第 {q.row} 题", q.draft.basis) for q in read.questions]
        bad = len(read.problems)
    else:
        with read_scope(current_app) as session:
            cited = [(r.code or "", r.basis) for r in export_records(session, BankFilter(status="all"))]
        bad = 0
    checked = 0
    for code, basis in cited:
        for cite in basis:
            if "law" not in cite:
                continue
            checked += 1
            if (why := citation_problem(cite.get("law"), cite.get("article"), cite.get("quote"))) is not None:
                bad += 1
                click.echo(f"{code}：{why}")
    click.echo(f"{len(cited)} 题，{checked} 处法条引用，{bad} 处问题")
    if bad:
        sys.exit(1)


@click.group("attempts", help="作答记录")
def attempts_group() -> None:
    pass


@attempts_group.command("finalize", help="按已保存的答案为所有超时未交卷的作答评分")
@with_appcontext
def attempts_finalize() -> None:
    from .db import session_scope
    from .services.attempts import finalize_overdue
    from .services.examinees import freeze_due_rosters

    with session_scope(current_app) as session:
        count = finalize_overdue(session, now())
        freeze_due_rosters(session, now())  # so that statistics read every opened exam's list
    click.echo(f"已为 {count} 份超时作答评分")


@click.group("demo", help="演示数据")
def demo_group() -> None:
    pass


@demo_group.command("load", help="载入演示数据：示例乡、30 名干部、题库、三场考试")
@click.option("--if-empty", is_flag=True, help="数据库已有账号时什么也不做")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=Path("question_bank"),
              show_default=True, help="题库目录")
@with_appcontext
def demo_load(if_empty: bool, bank_path: Path) -> None:
    from .db import session_scope
    from .services import demo

    with session_scope(current_app) as session:
        if demo.has_accounts(session):
            if if_empty:
                click.echo("数据库中已有数据，跳过演示数据。")
                click.echo(demo.LOGIN_HINT)
                return
            raise CliError("数据库中已有账号；演示数据只能载入空数据库")
        logins = demo.load_demo(session, bank_path, now())
    click.echo(f"演示数据已载入。演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
    for role, username, name in logins:
        click.echo(f"  {role:<6} {username:<10} {name}")


@click.group("users", help="账号")
def users_group() -> None:
    pass


@users_group.command("create", help="创建账号（首次登录须修改密码）")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--unit-id", type=int, required=True, help="单位编号（quizapp units list 可查）")
@click.option("--role", type=click.Choice(["cadre", "trainer", "admin"]), default="cadre")
@click.password_option("--password", help="初始密码")
@with_appcontext
def users_create(username: str, full_name: str, unit_id: int, role: str, password: str) -> None:
    from .db import session_scope
    from .errors import QuizError
    from .services import accounts, units

    try:
        with session_scope(current_app) as session:
            unit = units.get_unit(session, unit_id)
            accounts.create_user(session, username=username, password=password,
                                 full_name=full_name, unit=unit, role=role, now=now())
    except QuizError as exc:
        raise CliError(exc.message) from None
    click.echo(f"账号 {username} 已创建")


@users_group.command("reset-password", help="把账号的密码重置为一次性初始密码并打印；该账号的所有登录立即失效")
@click.argument("username")
@with_appcontext
def users_reset_password(username: str) -> None:
    from sqlalchemy import select

    from .db import session_scope
    from .models import User
    from .services import accounts

    password = accounts.generate_initial_password()
    password_hash = accounts.initial_password_hash(password)
    with session_scope(current_app) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise CliError(f"账号“{username}”不存在")
        accounts.reset_password(session, user, password_hash, None, now())
    click.echo(password)


@users_group.command("import", help="从 .xlsx 或 .csv 导入人员名单：先预览，有任何问题则整批不导入")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只预览，不写入")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 打印预览：new、changed、unchanged、problems")
@click.option("--passwords-out", type=click.Path(dir_okay=False, path_type=Path),
              help="把新人员的初始密码写入此 .xlsx 文件（不指定时打印在屏幕上）")
@with_appcontext
def users_import(file: Path, dry_run: bool, as_json: bool, passwords_out: Path | None) -> None:
    from .clock import format_local
    from .db import read_scope, session_scope
    from .formats.tabular import TableError, read_table
    from .services import roster_import

    try:
        table = read_table(file.read_bytes(), file.name)
    except TableError as exc:
        _print_import({"new": 0, "changed": 0, "unchanged": 0,
                       "problems": [{"row": 0, "column": "文件", "message": str(exc)}]}, as_json)
        sys.exit(1)
    with read_scope(current_app) as session:
        plan = roster_import.plan_import(session, table, None)
    summary = plan.summary()
    _print_import(summary, as_json)
    if not plan.accepted:
        sys.exit(1)
    if dry_run:
        return
    passwords = roster_import.new_passwords(plan)  # hashed before the write transaction
    with session_scope(current_app) as session:
        plan = roster_import.plan_import(session, table, None)
        if not plan.accepted:
            _print_import(plan.summary(), as_json)
            sys.exit(1)
        created = roster_import.apply_import(session, plan, passwords, None, now())
    if passwords_out is not None:
        passwords_out.write_bytes(roster_import.passwords_xlsx(created, format_local(now())))
        if not as_json:
            click.echo(f"已导入；{len(created)} 名新人员的初始密码已写入 {passwords_out}")
    elif created:  # with --json, stdout holds only the JSON object: the passwords go to stderr
        click.echo("新人员的初始密码（只显示这一次，首次登录须修改）：", err=as_json)
        for a in created:
            click.echo(f"  {a.username}\t{a.password}\t{a.full_name}\t{a.unit_path}", err=as_json)
    if not as_json:
        click.echo("导入完成")


def _print_import(summary: Summary, as_json: bool) -> None:
    import json

    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    click.echo(f"新增 {summary['new']} 人，更新 {summary['changed']} 人，未变 {summary['unchanged']} 人")
    if summary["problems"]:
        click.echo(f"发现 {len(summary['problems'])} 处问题，整批未导入：", err=True)
        for p in summary["problems"]:
            click.echo(f"  第 {p['row']} 行 {p['column']}：{p['message']}", err=True)


@click.group("units", help="单位")
def units_group() -> None:
    pass


@units_group.command("list", help="列出全部单位")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 数组打印：id、name、path、kind、active")
@with_appcontext
def units_list(as_json: bool) -> None:
    import json

    from .db import read_scope
    from .services.units import unit_rows

    with read_scope(current_app) as session:
        rows = unit_rows(session)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "name": r.name, "path": r.path, "kind": r.kind,
                                "active": r.active} for r in rows], ensure_ascii=False))
        return
    for r in rows:
        click.echo(f"{r.id:>5}  {'  ' * r.depth}{r.name}（{r.kind_label}{'' if r.active else '，已停用'}）")


@units_group.command("add", help="添加单位；空系统先添加最上级单位（如本乡镇），再创建管理员账号")
@click.argument("name")
@click.option("--parent-id", type=int, help="上级单位编号；不填则为最上级单位")
@click.option("--kind", type=click.Choice(list(UNIT_KINDS)), default="township", show_default=True,
              help="单位类型：" + "、".join(f"{k}={v}" for k, v in UNIT_KINDS.items()))
@with_appcontext
def units_add(name: str, parent_id: int | None, kind: str) -> None:
    from .db import session_scope
    from .errors import QuizError
    from .services import units

    try:
        with session_scope(current_app) as session:
            parent = units.get_unit(session, parent_id) if parent_id else None
            unit = units.create_unit(session, name, parent, kind)
            unit_id = unit.id
    except QuizError as exc:
        raise CliError(exc.message) from None
    click.echo(f"单位“{name.strip()}”已添加，编号 {unit_id}")


@click.command("report", help="生成年度法治政府建设情况报告的学法考试部分（与网页下载相同）")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="年度")
@click.option("--unit", "unit_path", help="单位路径，如 示例县/示例乡（默认全部单位）")
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx", "csv"]), required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="输出文件；csv 时为文件夹（每张表一个文件）")
@click.option("--missing", is_flag=True, help="docx 附上未参考人员名单")
@with_appcontext
def report_command(year: int, unit_path: str | None, fmt: str, output: Path, missing: bool) -> None:
    from decimal import Decimal

    from .db import read_scope, session_scope
    from .formats.report_docx import write_docx
    from .formats.report_files import csv_files, write_xlsx_report
    from .services.report import build_report
    from .services.statistics import prepare
    from .services.units import find_unit_by_path, unit_rows

    with session_scope(current_app) as session:
        prepare(session, now())  # exams that opened get their 应考 lists first
    with read_scope(current_app) as session:
        unit = None
        if unit_path:
            row, why = find_unit_by_path(unit_rows(session), unit_path)
            if row is None:
                raise CliError(why)
            from .models import OrgUnit

            unit = session.get(OrgUnit, row.id)
        report = build_report(session, unit, year, now(),
                              target=Decimal(current_app.config["STATS_TARGET_PERCENT"]),
                              excellent_percent=int(current_app.config["EXCELLENT_PERCENT"]),
                              with_questions=fmt != "docx")
        if fmt == "docx":
            output.write_bytes(write_docx(report, with_missing=missing))
        elif fmt == "xlsx":
            output.write_bytes(write_xlsx_report(report))
        else:
            output.mkdir(parents=True, exist_ok=True)
            for name, data in csv_files(report).items():
                (output / name).write_bytes(data)
        exams, facts = len(report.collected.exams), len(report.collected.facts)
    click.echo(f"已生成 {output}（{year} 年 {report.scope_name}，{exams} 场考试，{facts} 人次）")


def _default_backup_dir() -> Path:
    """instance/backups/: made on first use, only the server's account may enter it (mode 700)."""
    return Path(current_app.instance_path) / "backups"


def _stamp() -> str:
    from .clock import format_local

    return format_local(now(), "%Y%m%d-%H%M%S")


@click.command("backup", help="备份整个数据库（SQLite 用在线备份，服务运行中也可以；PostgreSQL 用 pg_dump）。"
                              "PATH 可以是文件或目录，省略时写入 instance/backups/；文件只有本账号可读（600）")
@click.argument("path", required=False)
@click.option("--keep", type=click.IntRange(min=1), metavar="N",
              help="备份后只保留该目录中最新的 N 份自动命名的备份（quizapp-日期-时间），删除更早的")
@with_appcontext
def backup_command(path: str | None, keep: int | None) -> None:
    from .services import backup

    url = current_app.config["DATABASE_URL"]
    try:
        dialect = backup.dialect_of(url)
        if path is None:
            target = backup.default_name(dialect, _stamp(), _default_backup_dir())
        elif Path(path).is_dir() or path.endswith(("/", "\\")):
            target = backup.default_name(dialect, _stamp(), Path(path))
        else:
            target = Path(path)
        done = backup.backup_database(url, target.absolute())
        removed = backup.prune_backups(done.path.parent, keep) if keep else []
    except backup.BackupError as exc:
        raise CliError(exc.message) from None
    except OSError as exc:
        raise CliError(f"备份失败：{exc.strerror}（{exc.filename}）") from None
    click.echo(f"已备份到 {done.path}（{done.contents.describe()}；{_size(done.size)}）")
    if removed:
        click.echo(f"已删除 {len(removed)} 份较早的备份，保留最新的 {keep} 份")


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


@click.command("restore", help="用备份文件恢复整个数据库。数据库中已有数据时须加 --force，"
                               "覆盖前会先把现有数据备份到 instance/backups/；恢复前请先停止服务")
@click.argument("path")
@click.option("--force", is_flag=True, help="数据库中已有数据时也恢复（覆盖全部现有数据）")
@with_appcontext
def restore_command(path: str, force: bool) -> None:
    from .services import backup

    url = current_app.config["DATABASE_URL"]
    try:
        done = backup.restore_database(url, Path(path).absolute(), force=force,
                                       safety_dir=_default_backup_dir(), stamp=_stamp())
    except backup.BackupError as exc:
        raise CliError(exc.message) from None
    except OSError as exc:
        raise CliError(f"恢复失败：{exc.strerror}（{exc.filename}）") from None
    finally:
        current_app.extensions["quizapp.engine"].dispose()  # no pooled connection keeps the old tables
    if done.safety_copy is not None and done.replaced is not None:
        click.echo(f"原有数据（{done.replaced.describe()}）已先备份到 {done.safety_copy}")
    click.echo(f"已从 {path} 恢复数据库：{done.contents.describe()}")
    if done.needs_upgrade:
        click.echo("这份备份的数据库结构比当前程序旧，请接着运行 quizapp db upgrade")
