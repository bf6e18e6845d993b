"""The `quizapp` command: database, bank import, demo data, overdue attempts, accounts."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .clock import now


def main() -> None:
    from . import create_app

    FlaskGroup(create_app=create_app, add_default_commands=True,
               help="学法用法考试与培训平台 管理命令")(prog_name="quizapp")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(bank_group)
    app.cli.add_command(attempts_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(users_group)


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


@bank_group.command("import", help="导入 YAML 题库（文件或目录）；按题号幂等，内容变化生成新版本")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def bank_import(path: Path) -> None:
    from .db import session_scope
    from .errors import ImportRejected
    from .services.bank_import import import_bank_path

    try:
        with session_scope(current_app) as session:
            summary = import_bank_path(session, path, now())
    except ImportRejected as exc:
        click.echo(exc.message, err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(f"题库导入完成：{summary}")


@click.group("attempts", help="作答记录")
def attempts_group() -> None:
    pass


@attempts_group.command("finalize", help="按已保存的答案为所有超时未交卷的作答评分")
@with_appcontext
def attempts_finalize() -> None:
    from .db import session_scope
    from .services.attempts import finalize_overdue

    with session_scope(current_app) as session:
        count = finalize_overdue(session, now())
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
            raise click.ClickException("数据库中已有账号；演示数据只能载入空数据库")
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
@click.option("--unit-id", type=int, required=True)
@click.option("--role", type=click.Choice(["cadre", "trainer", "admin"]), default="cadre")
@click.password_option("--password", help="初始密码")
@with_appcontext
def users_create(username: str, full_name: str, unit_id: int, role: str, password: str) -> None:
    from .db import session_scope
    from .errors import QuizError
    from .services import accounts

    try:
        with session_scope(current_app) as session:
            unit = accounts.get_unit(session, unit_id)
            accounts.create_user(session, username=username, password=password,
                                 full_name=full_name, unit=unit, role=role, now=now())
    except QuizError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"账号 {username} 已创建")
