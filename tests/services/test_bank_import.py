from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.errors import ImportRejected
from quizapp.models import Question, QuestionVersion
from quizapp.services.attempts import load_paper, start_attempt
from quizapp.services.bank_import import import_bank_path, import_bank_texts

from ..factories import BANK


def test_import_is_idempotent_by_id(blank, db, clock) -> None:  # type: ignore[no-untyped-def]
    first = import_bank_path(db, BANK, clock())
    again = import_bank_path(db, BANK, clock())
    assert (first.created, first.new_versions) == (13, 0)
    assert (again.created, again.new_versions, again.unchanged) == (0, 0, 13)
    assert db.scalar(select(func.count()).select_from(QuestionVersion)) == 13


def test_a_changed_question_becomes_a_new_version_and_old_attempts_keep_theirs(db, world, clock) -> None:  # type: ignore[no-untyped-def]
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


def test_a_bad_file_rejects_the_whole_import(blank, db, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "good.yaml").write_text((BANK / "minfadian.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text((BANK / "xianfa.yaml").read_text(encoding="utf-8")
                                       .replace("answer: AB", "answer: AZ"), encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_bank_path(db, tmp_path, clock())
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml 第 5 题 answer：answer 'AZ' 无法识别，应为选项字母，如 A 或 ABD",
        "bad.yaml 第 6 题 answer：answer 'AZC' 无法识别，应为选项字母，如 A 或 ABD"]
    assert db.scalar(select(func.count()).select_from(Question)) == 0
