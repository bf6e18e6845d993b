"""The `quizapp` commands a new user and a cron job run."""
from pathlib import Path

from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Attempt, Exam, Question, User
from quizapp.services.attempts import start_attempt

from .factories import BANK

SHIPPED = Path(__file__).resolve().parents[1] / "question_bank"


def test_bank_import_is_idempotent_and_reports(blank) -> None:  # type: ignore[no-untyped-def]
    runner = blank.test_cli_runner()
    first = runner.invoke(args=["bank", "import", str(BANK)])
    assert first.exit_code == 0 and "新增 13 题" in first.output
    again = runner.invoke(args=["bank", "import", str(BANK)])
    assert "新增 0 题，更新 0 题（生成新版本），未变 13 题" in again.output


def test_bank_import_rejects_a_bad_file_with_row_numbers(blank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text((BANK / "minfadian.yaml").read_text(encoding="utf-8").replace("difficulty: 2", "difficulty: 9"),
                   encoding="utf-8")
    app = blank
    result = app.test_cli_runner().invoke(args=["bank", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert "导入未执行：发现 1 处问题" in result.output
    assert "bad.yaml 第 5 题（TMF-0005）：difficulty 必须是 1、2 或 3" in result.output
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(func.count()).select_from(Question)) == 0


def test_demo_load_with_the_shipped_bank(blank) -> None:  # type: ignore[no-untyped-def]
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


def test_attempts_finalize(app, world, clock) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope(app) as s:
        start_attempt(s, world.exam.id, s.merge(world.cadre), clock())
    clock.advance(minutes=61)
    result = app.test_cli_runner().invoke(args=["attempts", "finalize"])
    # cadre1's attempt and the five that colleagues of both townships left open at 09:00
    assert "已为 6 份超时作答评分" in result.output
    with app.app_context(), session_scope(app) as s:
        assert set(s.scalars(select(Attempt.status))) == {"expired", "submitted"}


def test_users_create_requires_a_password_change(app, world) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "zhang", "--name", "张三",
                                 "--unit-id", str(world.office.id), "--password", "chushi123"])
    assert result.exit_code == 0, result.output
    duplicate = runner.invoke(args=["users", "create", "--username", "zhang", "--name", "张三",
                                    "--unit-id", str(world.office.id), "--password", "chushi123"])
    assert duplicate.exit_code != 0 and "账号“zhang”已存在" in duplicate.output
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(User.must_change_password).where(User.username == "zhang")) is True
