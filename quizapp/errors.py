"""Typed errors raised by services; the web layer maps them to Chinese messages and status codes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .formats import ImportProblem


class QuizError(Exception):
    """Base of every error a user may be shown; `message` is in Chinese."""

    status_code = 400
    code = "error"  # machine-readable, for the exam page's script

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(QuizError):
    status_code = 403
    code = "forbidden"


class NotFound(QuizError):
    status_code = 404
    code = "not_found"


class Conflict(QuizError):
    status_code = 409
    code = "conflict"


class AttemptClosed(Conflict):
    """The attempt is submitted or past its deadline: nothing more can be saved."""

    code = "closed"


class InvalidInput(QuizError):
    """A request or form value the user can correct; `field_errors` maps field -> messages."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.field_errors = field_errors or {}


@dataclass
class RowProblem:
    """One problem in an imported file: where (file, row or question id) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


@dataclass
class ImportRejected(QuizError):
    """The whole import was refused; nothing was written. Every problem is listed (each with
    where it is: formats.ImportProblem)."""

    problems: list[ImportProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(f"导入未执行：发现 {len(self.problems)} 处问题，请修改后重新导入。")

    status_code = 422
    code = "rejected"
