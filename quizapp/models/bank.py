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

QUESTION_TYPES = ("single", "multiple", "true_false")
TYPE_LABELS = {"single": "单选题", "multiple": "多选题", "true_false": "判断题"}


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

    question: Mapped[Question] = relationship()

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.qtype]
