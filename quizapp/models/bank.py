"""The question bank: topics, questions and their immutable versions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..domain.questions import TYPE_LABELS, TYPES
from .org import User

QUESTION_TYPES = TYPES


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Question(Base):
    """A question's identity; its content lives in versions so past attempts never change."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. XF-0001, stable across imports
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    latest_version: Mapped[int] = mapped_column(Integer, default=1)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # 考试专用: never offered in practice (practice shows the key), so an exam can keep it secret.
    exam_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # 待核对: no legal basis given, or a quote not found in the law's text.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str] = mapped_column(String(200), default="")

    topic: Mapped[Topic] = relationship()


class QuestionVersion(Base):
    __tablename__ = "question_versions"
    __table_args__ = (
        UniqueConstraint("question_id", "version_no"),
        CheckConstraint("qtype IN ('single', 'multiple', 'true_false')", name="qtype"),
        CheckConstraint("difficulty BETWEEN 1 AND 3", name="difficulty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    qtype: Mapped[str] = mapped_column(String(16))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Letters of the original option order ("A", "ACD") or "true"/"false".
    answer: Mapped[str] = mapped_column(String(8))
    explanation: Mapped[str] = mapped_column(Text)
    basis: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    difficulty: Mapped[int] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: an import from a file
    # Lower-cased stem, options, explanation and tags: what the bank's search looks in.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # "|宪法#1|民法典#1045|": the laws and articles cited, for the bank's filters.
    citations: Mapped[str] = mapped_column(String(1000), default="")

    question: Mapped[Question] = relationship()

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.qtype]


REPORT_STATUS = {"open": "待处理", "resolved": "已处理"}


class QuestionReport(Base):
    """题目纠错: a cadre says a question is wrong; a trainer answers and resolves it."""

    __tablename__ = "question_reports"
    __table_args__ = (CheckConstraint("status IN ('open', 'resolved')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime)

    question: Mapped[Question] = relationship()
    version: Mapped[QuestionVersion] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])

    @property
    def status_label(self) -> str:
        return REPORT_STATUS[self.status]
