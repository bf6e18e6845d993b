"""File formats: question banks (YAML, Excel, CSV, GIFT, Moodle XML), rosters, reports.

Every bank reader turns bytes into `ReadQuestion`s (a draft and where it stands) and the
problems of the format itself; domain.questions then checks every draft with one set of rules.
Every writer turns checked records into bytes. `BANK_FORMATS` names them.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..domain.questions import QuestionDraft, QuestionRecord

TABLE_EXTENSIONS = (".xlsx", ".csv")


def position(file: str, row: int) -> str:
    """第 5 行 in a spreadsheet (as Excel numbers rows), 第 5 题 elsewhere, or the whole file."""
    if not row:
        return "整个文件"
    return f"第 {row} {'行' if file.lower().endswith(TABLE_EXTENSIONS) else '题'}"


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an import: which file, which row (or question number), which column, why."""

    file: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}

    @property
    def where(self) -> str:
        return position(self.file, self.row)

    def __str__(self) -> str:
        return f"{self.file} {self.where}{f' {self.column}' if self.column else ''}：{self.message}"


@dataclass(frozen=True)
class ReadQuestion:
    file: str
    row: int  # as the file's own users count it: Excel's row number, a question's number
    draft: QuestionDraft
    columns: dict[str, str] = field(default_factory=dict)  # field -> the column name this format uses

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


@dataclass
class ReadResult:
    questions: list[ReadQuestion] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # questions of types the bank does not hold


Reader = Callable[[bytes, str, str | None], ReadResult]  # (data, file name, topic for files without one)
Writer = Callable[[list[QuestionRecord]], bytes]


def bank_formats() -> dict[str, tuple[str, Reader, Writer]]:
    """Format name -> (file extension, reader, writer)."""
    from . import bank_gift, bank_moodle, bank_table, bank_yaml

    return {
        "xlsx": (".xlsx", bank_table.read_xlsx, bank_table.write_xlsx_bank),
        "csv": (".csv", bank_table.read_csv, bank_table.write_csv_bank),
        "yaml": (".yaml", bank_yaml.read_bytes, bank_yaml.write_bytes),
        "gift": (".gift", bank_gift.read_gift, bank_gift.write_gift),
        "xml": (".xml", bank_moodle.read_moodle_xml, bank_moodle.write_moodle_xml),
    }


EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml", ".gift": "gift", ".txt": "gift",
              ".xml": "xml"}


def format_of(filename: str) -> str | None:
    lowered = filename.lower()
    return next((name for ext, name in EXTENSIONS.items() if lowered.endswith(ext)), None)


META_COLUMN = "附加信息"


def parse_meta(raw: str, label: str) -> tuple[dict[str, Any], list[str]]:
    """The JSON a GIFT or Moodle XML export writes in a comment (code, difficulty, tags, basis),
    its types checked: (the fields, Chinese problems). `label` names the comment to the trainer."""
    try:
        meta = json.loads(raw)
    except (ValueError, RecursionError):
        return {}, [f"{label}不是有效的 JSON"]
    if not isinstance(meta, dict):
        return {}, [f"{label}应为 JSON 对象（{{…}}）"]
    problems = []
    if meta.get("code") is not None and not isinstance(meta["code"], str):
        problems.append(f"{label}中的 code 应为文本")
    basis = meta.get("basis")
    if basis is not None and (not isinstance(basis, list) or not all(isinstance(b, dict) for b in basis)):
        problems.append(f"{label}中的 basis（依据）应为列表，每项是对象")
    tags = meta.get("tags")
    if tags is not None and not (isinstance(tags, str) or (isinstance(tags, list)
                                                          and all(isinstance(t, str) for t in tags))):
        problems.append(f"{label}中的 tags（标签）应为文本列表")
    return (meta if not problems else {}), problems


def parse_fraction(raw: str) -> float | None:
    """A Moodle answer's share of the marks, a number from -100 to 100; None when it is not one."""
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and -100 <= value <= 100 else None
