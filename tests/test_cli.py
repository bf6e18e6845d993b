"""The `quizapp` commands a new user and a cron job run."""
from pathlib import Path

from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Attempt, Exam, Question, User
from quizapp.services.attempts import start_attempt

from .factories import BANK

SHIPPED = Path(__file__).resolve().parents[1] / "question_bank"


def test_bank_import_is_idempotent_and_reports(blank) -> None:
    runner = blank.test_cli_runner()
    first = runner.invoke(args=["bank", "import", str(BANK)])
    assert first.exit_code == 0 and "新增 13 题" in first.output
    again = runner.invoke(args=["bank", "import", str(BANK)])
    assert "新增 0 题，更新 0 题（生成新版本），未变 13 题" in again.output


def test_bank_import_rejects_a_bad_file_with_row_numbers(blank, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((BANK / "minfadian.yaml").read_text(encoding="utf-8").replace("difficulty: 2", "difficulty: 9"),
                   encoding="utf-8")
    app = blank
    result = app.test_cli_runner().invoke(args=["bank", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert "导入未执行：发现 1 处问题" in result.output
    assert "bad.yaml 第 5 题 difficulty：难度应为 1、2、3（或 易、中、难）" in result.output
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(func.count()).select_from(Question)) == 0


def test_demo_load_with_the_shipped_bank(blank) -> None:
    app = blank
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--bank", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert "gb30" in result.output and "trainer" in result.output and "admin" in result.output
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.role == "cadre")) == 30
        assert s.scalar(select(func.count()).select_from(User).where(User.is_leader.is_(True))) >= 4
        assert s.scalar(select(func.count()).select_from(Question)) >= 1260
        exams = s.scalars(select(Exam).order_by(Exam.id)).all()
        # The closed 集中测试 first, then the three that are open.
        assert [e.kind for e in exams] == ["constitution", "law_study", "special", "constitution"]
        assert [e.total_points for e in exams] == [100, 100, 100, 100]
        assert [sum(r.count for r in e.rules) for e in exams] == [35, 45, 40, 35]
        law_study_topics = {r.topic.name for r in exams[1].rules}
        assert {"宪法", "民法典", "行政处罚法", "农村土地承包法", "村民委员会组织法"} <= law_study_topics
        assert {r.topic.name for r in exams[2].rules} == {"行政处罚法", "行政许可法", "行政复议法", "行政诉讼法"}
    skipped = runner.invoke(args=["demo", "load", "--if-empty", "--bank", str(SHIPPED)])
    assert skipped.exit_code == 0 and "跳过演示数据" in skipped.output


def test_attempts_finalize(app, world, clock) -> None:
    with app.app_context(), session_scope(app) as s:
        start_attempt(s, world.exam.id, s.merge(world.cadre), clock())
    clock.advance(minutes=61)
    result = app.test_cli_runner().invoke(args=["attempts", "finalize"])
    # cadre1's attempt and the five that colleagues of both townships left open at 09:00
    assert "已为 6 份超时作答评分" in result.output
    with app.app_context(), session_scope(app) as s:
        assert set(s.scalars(select(Attempt.status))) == {"expired", "submitted"}


def test_users_create_requires_a_password_change(app, world) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "zhang", "--name", "张三",
                                 "--unit-id", str(world.office.id), "--password", "chushi123"])
    assert result.exit_code == 0, result.output
    duplicate = runner.invoke(args=["users", "create", "--username", "zhang", "--name", "张三",
                                    "--unit-id", str(world.office.id), "--password", "chushi123"])
    assert duplicate.exit_code != 0 and "账号“zhang”已存在" in duplicate.output
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(User.must_change_password).where(User.username == "zhang")) is True


def test_units_list_json_is_the_tree_with_paths(app, world) -> None:
    import json

    result = app.test_cli_runner().invoke(args=["units", "list", "--json"])
    assert result.exit_code == 0
    units = json.loads(result.output)
    assert units[:3] == [
        {"id": world.county.id, "name": "示例县", "path": "示例县", "kind": "other", "active": True},
        {"id": world.township.id, "name": "示例乡", "path": "示例县/示例乡", "kind": "township", "active": True},
        {"id": world.office.id, "name": "乡直机关", "path": "示例县/示例乡/乡直机关", "kind": "office", "active": True},
    ]
    assert len(units) == 8 and all(set(u) == {"id", "name", "path", "kind", "active"} for u in units)


ROSTER = "姓名,账号,单位,职务,人员类别,是否领导干部\n孙丽,sunli,示例乡/东风村委会,村委会委员,村（社区）干部,否\n"


def test_users_import_dry_run_json_then_for_real(app, world, tmp_path: Path) -> None:
    import json

    from openpyxl import load_workbook

    roster = tmp_path / "名单.csv"
    roster.write_bytes(ROSTER.encode("gbk"))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["users", "import", str(roster), "--dry-run", "--json"])
    assert dry.exit_code == 0
    assert json.loads(dry.output) == {"new": 1, "changed": 0, "unchanged": 0, "problems": []}
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(User).where(User.username == "sunli")) is None
    out = tmp_path / "初始密码表.xlsx"
    done = runner.invoke(args=["users", "import", str(roster), "--passwords-out", str(out)])
    assert done.exit_code == 0 and "新增 1 人，更新 0 人，未变 0 人" in done.output
    row = list(load_workbook(out)["初始密码表"].iter_rows(values_only=True))[1]
    assert row[:3] == ("孙丽", "示例县/示例乡/东风村委会", "sunli")
    again = runner.invoke(args=["users", "import", str(roster), "--json"])
    assert json.loads(again.output) == {"new": 0, "changed": 0, "unchanged": 1, "problems": []}


def test_users_import_rejects_with_exit_1_and_every_problem(app, world, tmp_path: Path) -> None:
    import json

    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER + "周全,zhouquan,南山村,科员,公务员,否\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["users", "import", str(roster), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output) == {"new": 1, "changed": 0, "unchanged": 0, "problems": [
        {"row": 3, "column": "单位", "message": "找不到单位“南山村”"}]}
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    bad = app.test_cli_runner().invoke(args=["users", "import", str(broken)])
    assert bad.exit_code == 1 and "文件不是有效的 .xlsx 文件" in bad.output


def test_users_reset_password_prints_a_one_time_password(app, world) -> None:
    from werkzeug.security import check_password_hash

    result = app.test_cli_runner().invoke(args=["users", "reset-password", "cadre1"])
    assert result.exit_code == 0
    password = result.output.strip()
    with app.app_context(), session_scope(app) as s:
        cadre = s.scalar(select(User).where(User.username == "cadre1"))
        assert check_password_hash(cadre.password_hash, password) and cadre.must_change_password
    missing = app.test_cli_runner().invoke(args=["users", "reset-password", "nobody"])
    assert missing.exit_code != 0 and "账号“nobody”不存在" in missing.output
