"""`quizapp bank import|export|check`: the contract others script against."""
import json
from pathlib import Path

from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Question

from .factories import BANK

CSV = ("题型,题干,选项A,选项B,答案,解析\n"
       "单选,村民委员会每届任期几年？,三年,五年,B,村民委员会组织法规定村民委员会每届任期五年。\n"
       "判断,接到陌生电话要求转账到安全账户时应当照做。,,,错,这是典型的电信网络诈骗手法，不能转账。\n")


def questions(app) -> int:
    with app.app_context(), session_scope(app) as s:
        return s.scalar(select(func.count()).select_from(Question)) or 0


def test_json_preview_has_exactly_the_promised_keys(blank, tmp_path: Path) -> None:
    runner = blank.test_cli_runner()
    result = runner.invoke(args=["bank", "import", str(BANK), "--dry-run", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"new": 13, "changed": 0, "unchanged": 0, "duplicates": 0, "skipped": 0,
                                         "problems": []}
    assert questions(blank) == 0  # a dry run writes nothing
    applied = runner.invoke(args=["bank", "import", str(BANK), "--json"])
    assert applied.exit_code == 0 and json.loads(applied.output)["new"] == 13 and questions(blank) == 13


def test_a_rejected_import_exits_1_with_every_problem_in_json(blank, tmp_path: Path) -> None:
    bad = tmp_path / "基层.csv"
    bad.write_text(CSV.replace(",B,", ",Q,"), encoding="gbk")
    result = blank.test_cli_runner().invoke(args=["bank", "import", str(bad), "--topic", "基层治理", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["problems"] == [
        {"file": "基层.csv", "row": 2, "column": "答案", "message": "答案“Q”无法识别，请填选项字母，如 A 或 ABD"}]
    assert questions(blank) == 0


def test_topic_for_files_without_one_and_exam_only(blank, tmp_path: Path) -> None:
    good = tmp_path / "基层.csv"
    good.write_text(CSV, encoding="utf-8-sig")
    runner = blank.test_cli_runner()
    refused = runner.invoke(args=["bank", "import", str(good)])
    assert refused.exit_code == 1 and "请选择导入到哪个专题（命令行用 --topic）" in refused.output
    done = runner.invoke(args=["bank", "import", str(good), "--topic", "基层治理", "--exam-only"])
    assert done.exit_code == 0 and "题库导入完成：新增 2 题" in done.output
    assert "提示：基层.csv 第 3 行：未注明法条" in done.output
    with blank.app_context(), session_scope(blank) as s:
        assert {(q.topic.name, q.exam_only) for q in s.scalars(select(Question))} == {("基层治理", True)}


def test_export_in_every_format_and_import_back_unchanged(blank, tmp_path: Path) -> None:
    runner = blank.test_cli_runner()
    runner.invoke(args=["bank", "import", str(BANK)])
    for fmt in ("xlsx", "csv", "yaml", "gift", "xml"):
        out = tmp_path / f"bank.{fmt}"
        exported = runner.invoke(args=["bank", "export", "--format", fmt, "-o", str(out)])
        assert exported.exit_code == 0 and f"已导出 13 题到 {out}" in exported.output
        back = runner.invoke(args=["bank", "import", str(out), "--dry-run", "--json"])
        assert json.loads(back.output) == {"new": 0, "changed": 0, "unchanged": 13, "duplicates": 0, "skipped": 0,
                                           "problems": []}, fmt
    one = tmp_path / "xf.yaml"
    assert "已导出 8 题" in runner.invoke(args=["bank", "export", "--format", "yaml", "--topic", "宪法",
                                               "-o", str(one)]).output


def test_check_verifies_every_citation_against_the_shipped_texts(blank, tmp_path: Path) -> None:
    runner = blank.test_cli_runner()
    good = runner.invoke(args=["bank", "check", str(BANK)])
    assert good.exit_code == 0 and good.output.strip().endswith("13 题，14 处法条引用，0 处问题")
    bad = tmp_path / "bad.yaml"
    bad.write_text((BANK / "xianfa.yaml").read_text(encoding="utf-8").replace(
        "quote: 中华人民共和国的一切权力属于人民", "quote: 中华人民共和国的一切权力属于国家"), encoding="utf-8")
    result = runner.invoke(args=["bank", "check", str(bad)])
    assert result.exit_code == 1
    assert "TXF-0002：法条原文在宪法第 2 条中找不到（须逐字摘录）" in result.output
    runner.invoke(args=["bank", "import", str(BANK)])
    in_db = runner.invoke(args=["bank", "check"])
    assert in_db.exit_code == 0 and "13 题，14 处法条引用，0 处问题" in in_db.output


def test_a_folder_import_reads_gift_files_saved_as_txt(blank, tmp_path: Path) -> None:
    # Moodle users save GIFT as .txt; the browser's upload takes it, so the folder scan does too.
    runner = blank.test_cli_runner()
    runner.invoke(args=["bank", "import", str(BANK)])
    folder = tmp_path / "题库"
    folder.mkdir()
    runner.invoke(args=["bank", "export", "--format", "gift", "--topic", "宪法", "-o", str(folder / "宪法.txt")])
    runner.invoke(args=["bank", "export", "--format", "csv", "--topic", "民法典", "-o", str(folder / "民法典.csv")])
    result = runner.invoke(args=["bank", "import", str(folder), "--dry-run", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["unchanged"] == 13  # 8 from the .txt, 5 from the .csv
