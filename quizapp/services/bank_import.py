"""Importing a bank from files: all-or-nothing, with every problem and where it is."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import ImportRejected
from ..formats.bank_yaml import read_bank_dir, read_documents
from .bank import ImportSummary, import_questions


def import_bank_path(session: Session, path: Path, now: datetime,
                     user_id: int | None = None) -> ImportSummary:
    questions, problems = read_bank_dir(path)
    if problems:
        raise ImportRejected(problems)
    return import_questions(session, questions, now, user_id)


def import_bank_texts(session: Session, docs: list[tuple[str, str]], now: datetime,
                      user_id: int | None = None) -> ImportSummary:
    questions, problems = read_documents(docs)
    if problems:
        raise ImportRejected(problems)
    return import_questions(session, questions, now, user_id)
