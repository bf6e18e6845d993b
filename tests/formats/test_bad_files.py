"""Files that are broken, dangerous or not what they claim: each gets its exact Chinese problems
(bad_files/expected.yaml), never a traceback, and nothing of it is imported."""
from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from quizapp.formats import ImportProblem
from quizapp.formats.bank_moodle import read_moodle_xml
from quizapp.formats.tabular import MAX_RATIO
from quizapp.services.bank_import import plan_import, read_sources

from . import BAD, GOOD

MANIFEST: dict[str, list[dict[str, object]]] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_the_manifest_names_every_bad_file_and_nothing_else() -> None:
    on_disk = {p.name for p in BAD.iterdir()} - {"expected.yaml"}
    assert on_disk == set(MANIFEST)
    assert all(MANIFEST.values()), "every bad file has at least one problem"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_bad_file_reports_exactly_its_problems(blank, db, name: str) -> None:
    plan = plan_import(db, read_sources([(name, (BAD / name).read_bytes())], "宪法"))
    assert [{"row": p.row, "column": p.column, "message": p.message} for p in plan.problems] == MANIFEST[name]
    assert {p.file for p in plan.problems} == {name}
    assert not plan.accepted  # the whole import is refused: nothing is written


def test_a_row_is_named_as_excel_shows_it_even_after_cells_spanning_lines() -> None:
    # Row 2 of multiline_row_numbers.csv spans five lines; the bad answer is on line 8, row 4.
    read = read_sources([("multiline_row_numbers.csv", (BAD / "multiline_row_numbers.csv").read_bytes())], "宪法")
    assert [q.row for q in read.questions] == [2, 3]
    assert [str(p) for p in read.problems] == [
        "multiline_row_numbers.csv 第 4 行 答案：答案“不知道”无法识别，判断题请填 对/错、正确/错误、√/×"]


def test_a_file_over_the_size_limit_is_refused_unread_and_one_at_the_limit_is_read() -> None:
    limit = 1024 * 1024
    good = (GOOD / "questions_utf8.csv").read_bytes()
    padding = (b" " * 99_998 + b"\r\n") * 10  # rows of spaces count as empty: skipped
    at_limit = good + padding + b" " * (limit - len(good) - len(padding))
    assert len(at_limit) == limit
    read = read_sources([("题库.csv", at_limit)], None, max_bytes=limit)
    assert read.problems == [] and [q.row for q in read.questions] == [2, 3, 4]
    over = read_sources([("题库.csv", at_limit + b"\n")], None, max_bytes=limit)
    assert over.problems == [ImportProblem("题库.csv", 0, "", "文件超过 1 MB，请拆分后分批导入")]
    assert over.questions == []


def test_a_zip_bomb_is_refused_from_its_declared_size_before_it_is_inflated() -> None:
    data = (BAD / "zip_bomb.xlsx").read_bytes()
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert len(data) < 50_000 and declared > MAX_RATIO * len(data)  # 20 MB from about 20 KB
    assert [p.message for p in read_sources([("题库.xlsx", data)], "宪法").problems] == [
        "文件解压后过大，拒绝打开（可能是恶意构造的压缩文件）"]


def test_a_pdf_renamed_csv_is_recognised_though_no_nul_byte_gives_it_away() -> None:
    data = (BAD / "pdf_renamed.csv").read_bytes()
    assert data.startswith(b"%PDF-1.4") and b"\x00" not in data and data.decode("gb18030")  # decodes as text
    assert [p.message for p in read_sources([("题库.csv", data)], "宪法").problems] == [
        "文件不是文本格式的 CSV（可能是改了扩展名的其他文件）"]


def test_xml_entities_are_never_resolved_whatever_the_encoding_or_padding() -> None:
    # A DOCTYPE after 5,000 bytes of comment, or one spelt in UTF-16: the parser itself refuses it.
    padded = ('<?xml version="1.0" encoding="UTF-8"?>\n<!--' + "填充" * 2500 + '-->\n'
              '<!DOCTYPE quiz SYSTEM "http://example.invalid/quiz.dtd">\n<quiz></quiz>').encode()
    utf16 = (BAD / "xxe_utf16.xml").read_bytes()
    assert b"<!DOCTYPE" not in utf16 and b"<!ENTITY" not in utf16  # a byte search cannot see it
    for data in (padded, utf16):
        read = read_moodle_xml(data, "x.xml", "宪法")
        assert (read.questions, read.skipped) == ([], [])
        assert [p.message for p in read.problems] == ["不接受带 DOCTYPE 或实体声明的 XML 文件"]
