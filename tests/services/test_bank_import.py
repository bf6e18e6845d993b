from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.errors import ImportRejected
from quizapp.models import Question, QuestionVersion
from quizapp.services.attempts import load_paper, start_attempt
from quizapp.services.bank_import import apply_import, import_bank_path, import_bank_texts, plan_import, read_sources

from ..factories import BANK


def test_import_is_idempotent_by_id(blank, db, clock) -> None:
    first = import_bank_path(db, BANK, clock())
    again = import_bank_path(db, BANK, clock())
    assert (first.created, first.new_versions) == (13, 0)
    assert (again.created, again.new_versions, again.unchanged) == (0, 0, 13)
    assert db.scalar(select(func.count()).select_from(QuestionVersion)) == 13


def test_a_changed_question_becomes_a_new_version_and_old_attempts_keep_theirs(db, world, clock) -> None:
    attempt = start_attempt(db, world.exam.id, world.cadre, clock())
    before = {i.version.stem for i in load_paper(db, attempt)}
    text = (BANK / "xianfa.yaml").read_text(encoding="utf-8")
    changed = text.replace("社会主义制度是中华人民共和国的根本制度。\n", "社会主义制度是中华人民共和国的根本制度（修订说明）。\n")
    docs = [("xianfa.yaml", changed), ("minfadian.yaml", (BANK / "minfadian.yaml").read_text(encoding="utf-8"))]
    summary = import_bank_texts(db, docs, clock())
    assert (summary.created, summary.new_versions, summary.unchanged) == (0, 1, 12)
    question = db.scalar(select(Question).where(Question.code == "TXF-0001"))
    assert question.latest_version == 2
    db.expire_all()
    assert {i.version.stem for i in load_paper(db, attempt)} == before


def test_a_bad_file_rejects_the_whole_import(blank, db, clock, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((BANK / "minfadian.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text((BANK / "xianfa.yaml").read_text(encoding="utf-8")
                                       .replace("answer: AB", "answer: AZ"), encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_bank_path(db, tmp_path, clock())
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml 第 5 题 answer：answer 'AZ' 无法识别，应为选项字母，如 A 或 ABD",
        "bad.yaml 第 6 题 answer：answer 'AZC' 无法识别，应为选项字母，如 A 或 ABD"]
    assert db.scalar(select(func.count()).select_from(Question)) == 0


def test_three_thousand_rows_of_one_stem_name_only_the_first_few_alike(blank, db) -> None:
    # Each row is compared with the stem once, not with every earlier row (timings: bench/).
    row = "判断,村民委员会每届任期五年，届满应当及时举行换届选举。,对,村民委员会组织法规定村民委员会每届任期五年。\n"
    data = ("题型,题干,答案,解析\n" + row * 3000).encode()
    plan = plan_import(db, read_sources([("同题.csv", data)], "村民委员会组织法"))
    assert plan.problems == [] and plan.count("new") == 3000
    assert [len(i.duplicates) for i in plan.items[:7]] == [0, 1, 2, 3, 4, 5, 5]
    assert {len(i.duplicates) for i in plan.items[5:]} == {5}
    assert plan.items[-1].duplicates == [f"同题.csv 第 {n} 行" for n in range(2, 7)]  # the first five rows
    assert plan.items[-1].warnings == ["未注明法条", "与 同题.csv 第 2 行、同题.csv 第 3 行、同题.csv 第 4 行 的题干相同或相近"]
    assert plan.summary()["duplicates"] == 2999


def test_a_question_in_the_bank_and_rows_alike_are_named_bank_first(blank, db, clock) -> None:
    import_bank_path(db, BANK, clock())
    stem = db.scalar(select(QuestionVersion.stem).join(Question).where(Question.code == "TXF-0001"))
    text = ("题型,题干,选项A,选项B,答案,解析\n"
            + f"单选,{stem},社会主义制度,资本主义制度,A,宪法第一条规定社会主义制度是根本制度。\n" * 7)
    plan = plan_import(db, read_sources([("同题.csv", text.encode())], "宪法"))
    assert plan.items[0].duplicates == ["TXF-0001"]
    assert plan.items[-1].duplicates == ["TXF-0001", *[f"同题.csv 第 {n} 行" for n in range(2, 6)]]


def _cited(n: int) -> bytes:
    """One question citing n articles of the 民法典 (the longest article numbers)."""
    articles = range(1001, 1001 + n)
    return ("题号,题型,题干,答案,解析,法律,条款,法条原文\n"
            "MF-0901,判断,民法典规定了婚姻家庭的各项制度。,对,民法典婚姻家庭编规定了这些制度。,"
            f"\"{chr(10).join('民法典' for _ in articles)}\",\"{chr(10).join(str(a) for a in articles)}\","
            f"\"{chr(10).join('婚姻家庭受国家保护' for _ in articles)}\"\n").encode()


def test_a_question_cites_at_most_twenty_articles(blank, db, clock) -> None:
    refused = plan_import(db, read_sources([("依据.csv", _cited(21))], "民法典"))
    assert [str(p) for p in refused.problems] == [
        "依据.csv 第 2 行 法律：依据最多 20 条（现有 21 条），请只保留最直接的法条"]
    plan = plan_import(db, read_sources([("依据.csv", _cited(20))], "民法典"))
    assert plan.problems == []
    apply_import(db, plan, clock())
    db.flush()  # the citations column holds all twenty on both databases
    assert db.scalar(select(QuestionVersion.citations)).count("民法典#") == 20
