"""The streaming .xlsx writer, read back the way offices' tools read it (openpyxl, pandas)."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from quizapp.formats.tabular import read_table, write_xlsx


def _book(sheets, widths=None):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(write_xlsx(sheets, widths)))


def test_values_come_back_as_written_text_stays_text_and_numbers_stay_numbers() -> None:
    book = _book({"人员成绩": [["姓名", "成绩", "参考"], ["张三", Decimal("86.50"), True], ["李四", 7, False]]})
    rows = list(book["人员成绩"].iter_rows(values_only=True))
    assert rows == [("姓名", "成绩", "参考"), ("张三", 86.5, True), ("李四", 7, False)]
    assert book["人员成绩"]["B2"].data_type == "n" and book["人员成绩"]["A2"].data_type == "s"


def test_text_that_looks_like_a_formula_is_never_run() -> None:
    sheet = _book({"表": [["备注"], ["=HYPERLINK(\"http://x\",\"点我\")"], ["+1+1"], ["@SUM(A1)"]]})["表"]
    assert [c.value for c in sheet["A"]][1:] == ['=HYPERLINK("http://x","点我")', "+1+1", "@SUM(A1)"]
    assert {c.data_type for c in sheet["A"]} == {"s"}


def test_markup_characters_spaces_and_characters_xml_cannot_carry() -> None:
    sheet = _book({"表": [["题干"], ["A < B & C > D \"引号\""], ["  前后空格  "], ["响铃\x07与\x00空字符"]]})["表"]
    assert [c.value for c in sheet["A"]][1:] == ['A < B & C > D "引号"', "  前后空格  ", "响铃与空字符"]


def test_empty_cells_and_non_finite_numbers() -> None:
    rows = list(_book({"表": [["a", "b", "c"], ["", None, float("nan")], [1, "", float("inf")]]})["表"]
                .iter_rows(values_only=True))
    assert rows[1:] == [(None, None, "nan"), (1, None, "inf")]


def test_header_is_bold_and_frozen_with_the_widths_asked_for() -> None:
    book = _book({"题库": [["题号", "题干"], ["Q1", "宪法是国家的根本法"]], "说明": [["填写说明"]]},
                 {"题库": [10, 50]})
    sheet = book["题库"]
    assert book.sheetnames == ["题库", "说明"]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (10, 50)


def test_wide_and_long_sheets_keep_every_cell_in_place() -> None:
    header = [f"列{n}" for n in range(1, 31)]  # past Z: AA, AB, …
    rows = [header, *[[r * 100 + c for c in range(30)] for r in range(5_000)]]
    sheet = _book({"宽表": rows})["宽表"]
    assert (sheet["Z1"].value, sheet["AA1"].value, sheet["AD1"].value) == ("列26", "列27", "列30")
    assert sheet["AD1"].value == "列30" and sheet["AD5001"].value == 4999 * 100 + 29
    assert sheet.max_row == 5_001 and sheet.max_column == 30


def test_pandas_and_our_own_importer_read_it() -> None:
    data = write_xlsx({"人员名单": [["姓名", "账号"], ["王五", "ww001"]]})
    assert pd.read_excel(io.BytesIO(data)).to_dict("records") == [{"姓名": "王五", "账号": "ww001"}]
    assert read_table(data, "名单.xlsx").rows == [(2, ["王五", "ww001"])]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "[Content_Types].xml" in names and "xl/worksheets/sheet1.xml" in names
