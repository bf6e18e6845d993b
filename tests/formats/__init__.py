"""Question-bank files in every format: what the readers make of good files and bad ones, and
what the writers give back. Files: good_files/, bad_files/ (expected.yaml), make_files.py."""
from __future__ import annotations

from pathlib import Path

from quizapp.domain.questions import QuestionRecord, validate
from quizapp.formats import ReadResult

HERE = Path(__file__).parent
GOOD = HERE / "good_files"
BAD = HERE / "bad_files"


def records(read: ReadResult) -> list[QuestionRecord]:
    """The records of a read that must be clean: no problem anywhere, every draft valid."""
    assert [str(p) for p in read.problems] == []
    checked = [validate(q.draft) for q in read.questions]
    assert [c.problems for c in checked if c.problems] == []
    return [c.record for c in checked if c.record is not None]
