"""File formats: question banks (YAML, Excel, CSV, GIFT, Moodle XML), rosters, reports.

Every bank reader turns bytes into `ReadQuestion`s (a draft and where it stands) and the
problems of the format itself; domain.questions then checks every draft with one set of rules.
Every writer turns checked records into bytes. `BANK_FORMATS` names them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
