"""The report's tables as an .xlsx (one sheet each) and as CSV files (UTF-8 with a BOM, so that
Excel on Chinese Windows opens them), zipped for the browser."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import TYPE_CHECKING

from . import report_tables
from .tabular import write_xlsx

if TYPE_CHECKING:
    from ..services.report import Report

_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


def tables(report: Report) -> list[report_tables.Table]:
    return [make(report) for make in report_tables.EXPORTS]


def write_xlsx_report(report: Report) -> bytes:
    return write_xlsx({t.name: [t.headers, *t.rows] for t in tables(report)})


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
    """File name -> content, one per table."""
    return {f"{n:02d}-{t.name}.csv": write_csv(t) for n, t in enumerate(tables(report), 1)}


def write_csv_zip(report: Report) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(report).items():
            archive.writestr(name, data)
    return out.getvalue()
