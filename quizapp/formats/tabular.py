"""Spreadsheets people make: .xlsx, or .csv in UTF-8 (with or without a BOM) or GBK/GB18030.

Everything comes back as text, with rows numbered as Excel shows them (the header is row 1; a
CSV counts records). A file that is not what it claims, or too big to open safely, is a
TableError with a Chinese message, never a traceback.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from . import xlsx_writer

MAX_ROWS = 50_000
MAX_UNZIPPED = 200 * 1024 * 1024  # an xlsx is a zip: refuse one that would inflate past this
MAX_RATIO = 200  # … or inflate this many times (a zip bomb)


class TableError(ValueError):
    """The file cannot be read as a table; the message says why, in Chinese."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as Excel shows it, cells as text)


def read_table(data: bytes, filename: str) -> Table:
    name = filename.lower()
    if not data.strip():
        raise TableError("文件是空的")
    if name.endswith(".xls"):
        raise TableError("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 后再导入")
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        table = _read_csv(data)
    else:
        raise TableError("只能导入 .xlsx 或 .csv 文件")
    if not any(h.strip() for h in table.headers):
        raise TableError("第 1 行应为表头（列名），但它是空的")
    if not table.rows:
        raise TableError("文件只有表头，没有数据行")
    return table


def cell_text(value: object) -> str:
    """A cell as the person sees it: 13800138000 not 1.38e10, 1 not 1.0, dates as 2026-03-02."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _check_zip(data: bytes) -> None:
    if not data.startswith(b"PK"):
        raise TableError("文件不是有效的 .xlsx 文件（可能是改了扩展名的其他文件）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise TableError("文件已损坏，无法作为 .xlsx 打开") from None
    inflated = sum(i.file_size for i in infos)
    if inflated > MAX_UNZIPPED or inflated > MAX_RATIO * max(len(data), 1):
        raise TableError("文件解压后过大，拒绝打开（可能是恶意构造的压缩文件）")


def _read_xlsx(data: bytes) -> Table:
    _check_zip(data)
    from openpyxl import load_workbook  # imported here: only imports pay for it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        found: list[tuple[int, list[str]]] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            if number > MAX_ROWS + 1:
                raise TableError(f"文件超过 {MAX_ROWS} 行，请分批导入")
            found.append((number, [cell_text(v) for v in row]))
        book.close()
    except TableError:
        raise
    except Exception:  # openpyxl raises many kinds for a broken file
        raise TableError("文件已损坏或不是有效的 Excel 文件，无法读取") from None
    return _table(found)


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM or none), else GB18030 (a superset of GBK), as Chinese Windows saves it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")


# Files people rename to .csv by mistake. A PDF or an .xlsx may hold no NUL byte near its start
# and then decodes as GB18030 garbage: recognise them by their signature instead.
BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xd0\xcf\x11\xe0", b"\xff\xd8\xff", b"GIF8")
DELIMITERS = (",", "\t", ";", "，")


def _delimiter(text: str) -> str:
    """The separator the header line uses most (a comma when none). csv.Sniffer is not used: it
    guesses the quote character from the data and took an apostrophe or a quote inside a cell
    (our own export's '= cells, 含"引号"的题干) for one, splitting rows in the wrong places."""
    first = text.split("\n", 1)[0]
    best = max(DELIMITERS, key=first.count)
    return best if first.count(best) else ","


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096] or data.startswith(BINARY_SIGNATURES):
        raise TableError("文件不是文本格式的 CSV（可能是改了扩展名的其他文件）")
    text = decode_text(data)
    found = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), csv.excel, delimiter=_delimiter(text)), 1):
            if number > MAX_ROWS + 1:
                raise TableError(f"文件超过 {MAX_ROWS} 行，请分批导入")
            found.append((number, [cell.strip() for cell in row]))
    except csv.Error:
        raise TableError("CSV 格式有误（引号不配对等），无法读取") from None
    return _table(found)


def _table(found: list[tuple[int, list[str]]]) -> Table:
    if not found:
        raise TableError("文件是空的")
    headers = found[0][1]
    rows = [(n, cells) for n, cells in found[1:] if any(c.strip() for c in cells)]
    return Table(headers, rows)


def write_xlsx(sheets: Mapping[str, Iterable[Sequence[object]]], widths: dict[str, list[int]] | None = None) -> bytes:
    """An .xlsx of named sheets (first row bold as the header, frozen); text is always text, even
    when Excel would run it as a formula. Streamed: a 100,000-row sheet in about a second."""
    out = io.BytesIO()
    xlsx_writer.write_xlsx(out, sheets, widths)
    return out.getvalue()
