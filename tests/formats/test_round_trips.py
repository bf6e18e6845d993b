"""Export in every format, import the export: the same questions come back (content, code, topic,
tags, basis, difficulty). Text Excel would run as a formula is neutralised on the way out and
restored on the way in. What the preview warns about is marked 待核对 once imported."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.domain.questions import QuestionRecord
from quizapp.formats import bank_formats
from quizapp.models import Question
from quizapp.services.bank_import import apply_import, import_bank_path, plan_import, read_sources
from quizapp.services.bank_search import BankFilter, export_records

from . import GOOD, records

FORMATS = sorted(bank_formats())
CONSTITUTION_1 = {"law": "宪法", "article": 1, "quote": "社会主义制度是中华人民共和国的根本制度"}
TRICKY = [
    QuestionRecord(
        "宪法", "single", '=1+1 与"引号"、\'撇号\'，含<标签>&amp;符号、反斜杠\\与 {~=#:} 的题干\n第二行',
        ("+86 甲", "-5 度", "@某人", "=SUM(A1)"), "A", "-- 解析以减号开头\n第二行：<b>不是标签</b>",
        (CONSTITUTION_1, {"source": "某文件 -- 第二版"}), 3, ("=标签", "民事主体"), "XF-0901"),
    QuestionRecord("宪法", "true_false", "中国是世界上历史最悠久的国家之一。", (), "false",
                   "宪法序言开篇写明，中国是世界上历史最悠久的国家之一。",
                   ({"law": "宪法", "article": "序言", "quote": "中国是世界上历史最悠久的国家之一"},), 1, (), None),
    QuestionRecord("民法典", "multiple", "下列说法正确的有（　）。", ("甲说法", "乙说法", "丙说法", "丁说法", "戊说法"),
                   "ACD", "甲、丙、丁三种说法都有法律依据。", (), 2, ("民事主体",), "MF-0901"),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_writer_gives_back_exactly_what_it_wrote(fmt: str) -> None:
    extension, read, write = bank_formats()[fmt]
    again = read(write(TRICKY), f"导出{extension}", None)
    assert records(again) == TRICKY


def test_xlsx_export_writes_formula_like_text_as_text_cells() -> None:
    data = bank_formats()["xlsx"][2](TRICKY)
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert {c.value for c in cells} >= {TRICKY[0].stem, "=SUM(A1)", "+86 甲", "-5 度", "@某人"}
    assert {c.data_type for c in cells} == {"s"}  # text: Excel computes none of them


def test_csv_export_prefixes_formula_like_cells_and_reimport_takes_the_prefix_off() -> None:
    data = bank_formats()["csv"][2](TRICKY)
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel on Chinese Windows opens it as UTF-8
    text = data.decode("utf-8-sig")
    for cell in ("'+86 甲", "'-5 度", "'@某人", "'=SUM(A1)", "'=标签、民事主体", "'-- 解析以减号开头"):
        assert f",{cell}," in text or f',"{cell}' in text
    assert "\"'=1+1 与" in text
    assert records(read_sources([("导出.csv", data)], None)) == TRICKY


def _import_good_files(db, now) -> int:
    """One file at a time, the coded YAML first, so each topic has its prefix before questions
    without a code get one (see test_a_first_import_of_two_new_topics_without_codes)."""
    created = 0
    for name in ["questions.yaml", "questions_utf8.csv", "shuffled_spellings.xlsx", "questions.gift", "questions.xml"]:
        plan = plan_import(db, read_sources([(name, (GOOD / name).read_bytes())], "宪法"))
        assert [str(p) for p in plan.problems] == []
        created += apply_import(db, plan, now).created
        db.flush()
    return created


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_whole_bank_exported_and_imported_again_is_unchanged(blank, db, clock, fmt: str) -> None:
    assert _import_good_files(db, clock()) == 33  # 4 YAML, 3 CSV, 17 Excel, 5 GIFT, 4 Moodle
    bank = export_records(db, BankFilter(status="all"))
    assert len(bank) == 33 and len({r.topic for r in bank}) == 3
    extension, _, write = bank_formats()[fmt]
    plan = plan_import(db, read_sources([(f"题库导出{extension}", write(bank))], None))
    assert (plan.problems, plan.skipped) == ([], [])
    assert [i.record for i in plan.items] == bank  # same content, code, topic, tags, basis, difficulty
    assert plan.summary()["unchanged"] == 33 and plan.count("new") == plan.count("changed") == 0


def test_a_filtered_part_of_the_bank_exports_alone_in_every_format(blank, db, clock) -> None:
    _import_good_files(db, clock())
    part = export_records(db, BankFilter(topic_name="民法典", status="all"))
    assert [r.code for r in part] == ["MF-0101", "MF-0102", "MF-0301"]  # MF-0102: GIFT's, numbered on import
    true_false = export_records(db, BankFilter(qtype="true_false", status="all"))
    assert len(true_false) == 17 and {r.qtype for r in true_false} == {"true_false"}
    for fmt in FORMATS:
        extension, _, write = bank_formats()[fmt]
        for chosen in (part, true_false):
            plan = plan_import(db, read_sources([(f"部分{extension}", write(chosen))], None))
            assert plan.problems == [] and [i.record for i in plan.items] == chosen, fmt
            assert {i.status for i in plan.items} == {"unchanged"}, fmt


def test_quotes_not_in_the_law_and_missing_basis_are_warned_then_marked_for_review(blank, db, clock) -> None:
    text = ("题号,专题,题型,题干,答案,解析,法律,条款,法条原文\n"
            "XF-0951,宪法,判断,全国人民代表大会每届任期五年。,对,宪法第六十条规定每届任期五年。,,,\n"
            "XF-0952,宪法,判断,中华人民共和国的一切权力属于人民。,对,宪法第二条规定的内容。,宪法,第二条,"
            "中华人民共和国的一切权力属于人民\n"
            "XF-0953,宪法,判断,社会主义制度是我国的根本制度。,对,宪法第一条规定的内容。,宪法,1,"
            "社会主义制度是我国的根本制度\n")
    plan = plan_import(db, read_sources([("待核对.csv", text.encode("gbk"))], None))
    assert plan.problems == []  # warnings do not stop the import
    assert [(i.row, i.warnings) for i in plan.items] == [
        (2, ["未注明法条"]), (3, []), (4, ["法条原文在宪法第 1 条中找不到（须逐字摘录）"])]
    apply_import(db, plan, clock())
    db.flush()
    marked = db.execute(select(Question.code, Question.needs_review, Question.review_note)
                        .order_by(Question.code)).all()
    assert [tuple(row) for row in marked] == [
        ("XF-0951", True, "未注明法条"), ("XF-0952", False, ""),
        ("XF-0953", True, "法条原文在宪法第 1 条中找不到（须逐字摘录）")]


def test_a_first_import_of_two_new_topics_without_codes(blank, db, clock) -> None:
    text = ("专题,题型,题干,答案,解析\n"
            "宪法,判断,全国人民代表大会每届任期五年。,对,宪法第六十条规定每届任期五年。\n"
            "民法典,判断,十八周岁以上的自然人为成年人。,对,民法典第十七条规定的内容。\n")
    plan = plan_import(db, read_sources([("两个专题.csv", text.encode())], None))
    assert plan.problems == []
    summary = apply_import(db, plan, clock())
    db.flush()
    assert summary.created == 2 and sorted(summary.new_codes) == ["QB-00001", "QB-00002"]


SHIPPED = Path(__file__).resolve().parents[2] / "question_bank"


def test_the_shipped_bank_exported_to_a_spreadsheet_imports_back_with_no_question_changed(blank, db, clock) -> None:
    # Shipped quotes end in "；" as the law's enumerations do ("（三）视听资料；"), one per line in
    # the 法条原文 cell: each must come back as written, not as a new version without it.
    created = import_bank_path(db, SHIPPED, clock()).created
    bank = export_records(db, BankFilter(status="all"))
    assert len(bank) == created == 1282
    assert any(len(r.basis) > 1 and r.basis[0].get("quote", "").endswith("；") for r in bank)
    for fmt in ("csv", "xlsx"):
        extension, _, write = bank_formats()[fmt]
        plan = plan_import(db, read_sources([(f"题库导出{extension}", write(bank))], None))
        assert plan.problems == [], fmt
        assert [i.record.code for i in plan.items if i.status != "unchanged"] == [], fmt
        assert plan.summary()["unchanged"] == 1282, fmt
