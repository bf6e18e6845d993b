"""The report's tables as an .xlsx (one sheet each) and as CSV files (UTF-8 with a BOM, so that
Excel on Chinese Windows opens them), zipped for the browser."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from . import report_tables
from .tabular import write_xlsx

if TYPE_CHECKING:
    from ..services.report import Report

_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


def write_xlsx_report(report: Report) -> bytes:
    # Each sheet is made when the writer comes to it: the people's sheets are written while
    # the topics and questions are still being summed (services.report).
    return write_xlsx({name: _rows(make, report) for name, make in report_tables.EXPORTS.items()})


def _rows(make: Callable[[Report], report_tables.Table], report: Report) -> Iterator[Sequence[object]]:
    table = make(report)
    yield table.headers
    yield from table.rows


def csv_cell(value: object) -> str:
    """A cell Excel will not run as a formula: text starting with = + - @ gets a leading '."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text):
        return "'" + text
    return text


def write_csv(table: report_tables.Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_files(report: Report) -> dict[str, bytes]:
    """File name -> content, one per table, each written as soon as it is made (as for the .xlsx)."""
    return {f"{n:02d}-{name}.csv": write_csv(make(report)) for n, (name, make) in enumerate(
        report_tables.EXPORTS.items(), 1)}


def write_csv_zip(report: Report) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(report).items():
            archive.writestr(name, data)
    return out.getvalue()
