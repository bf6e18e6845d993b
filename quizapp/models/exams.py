"""Exams, who must take them, and the attempts that freeze a paper."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..domain.vocab import Category, CountedAttempt, ExemptionKind, ExemptionReason, RosterMode
from .bank import Question, QuestionVersion, Topic
from .org import OrgUnit, User

EXAM_KINDS = {"law_study": "学法用法考试", "constitution": "宪法知识测试", "special": "专项测试"}
REVIEW_POLICIES = {
    "immediate": "交卷后立即显示答案和解析",
    "after_close": "考试截止后显示答案和解析",
    "never": "不显示答案和解析",
}
MULTIPLE_SCORING = {
    "all_or_nothing": "全部选对才得分",
    "partial": "少选按选对比例得分，错选不得分",
}
ATTEMPT_STATUS = ("in_progress", "submitted", "expired")

Points = Numeric(7, 2)


class Exam(Base):
    __tablename__ = "exams"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("duration_minutes > 0", name="duration"),
        CheckConstraint("max_attempts >= 1", name="max_attempts"),
        CheckConstraint("pass_mark >= 0", name="pass_mark"),
        CheckConstraint("kind IN ('law_study', 'constitution', 'special')", name="kind"),
        CheckConstraint("review_policy IN ('immediate', 'after_close', 'never')", name="review"),
        CheckConstraint("multiple_scoring IN ('all_or_nothing', 'partial')", name="scoring"),
        CheckConstraint("paper_mode IN ('random', 'fixed')", name="paper_mode"),
        CheckConstraint(CountedAttempt.check("counted_attempt"), name="counted_attempt"),
        CheckConstraint(RosterMode.check("roster_mode"), name="roster_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(DateTime)
    closes_at: Mapped[datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    pass_mark: Mapped[Decimal] = mapped_column(Points)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=True)
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True)
    review_policy: Mapped[str] = mapped_column(String(16), default="after_close")
    multiple_scoring: Mapped[str] = mapped_column(String(16), default="all_or_nothing")
    paper_mode: Mapped[str] = mapped_column(String(8), default="random")
    exam_only_pool: Mapped[bool] = mapped_column(Boolean, default=False)  # draw only 考试专用 questions
    counted_attempt: Mapped[str] = mapped_column(String(8), default=CountedAttempt.BEST)
    # 'units': everyone active in the assigned units when the exam opens; 'listed': a 补考's people.
    roster_mode: Mapped[str] = mapped_column(String(8), default=RosterMode.UNITS)
    # When the 应考 list was taken (the exam's opening, in effect); None until then.
    roster_frozen_at: Mapped[datetime | None] = mapped_column(DateTime)
    makeup_of_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id"))  # 补考 of that exam
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    rules: Mapped[list[ExamRule]] = relationship(
        order_by="ExamRule.position", cascade="all, delete-orphan"
    )
    fixed_questions: Mapped[list[ExamFixedQuestion]] = relationship(
        order_by="ExamFixedQuestion.position", cascade="all, delete-orphan"
    )
    assigned_units: Mapped[list[OrgUnit]] = relationship(secondary="exam_units")

    @property
    def kind_label(self) -> str:
        return EXAM_KINDS[self.kind]

    @property
    def total_points(self) -> Decimal:
        if self.paper_mode == "fixed":
            return sum((f.points for f in self.fixed_questions), Decimal(0))
        return sum((r.points * r.count for r in self.rules), Decimal(0))


class ExamRule(Base):
    """Random paper: draw `count` questions of `qtype` from `topic`, `points` each."""

    __tablename__ = "exam_rules"
    __table_args__ = (
        UniqueConstraint("exam_id", "position"),
        CheckConstraint("count >= 1", name="count"),
        CheckConstraint("points > 0", name="points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    qtype: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)
    points: Mapped[Decimal] = mapped_column(Points)

    topic: Mapped[Topic] = relationship()


class ExamFixedQuestion(Base):
    __tablename__ = "exam_fixed_questions"
    __table_args__ = (
        UniqueConstraint("exam_id", "question_id"),
        CheckConstraint("points > 0", name="points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    position: Mapped[int] = mapped_column(Integer)
    points: Mapped[Decimal] = mapped_column(Points)

    question: Mapped[Question] = relationship()


class ExamUnit(Base):
    """An exam is assigned to a unit and so to every unit below it."""

    __tablename__ = "exam_units"

    exam_id: Mapped[int] = mapped_column(
        ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True
    )
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)


class Exemption(Base):
    """免考 or 缓考 for one person and exam, with why and who approved it: out of 应考."""

    __tablename__ = "exemptions"
    __table_args__ = (
        UniqueConstraint("exam_id", "user_id"),
        CheckConstraint(ExemptionKind.check("kind"), name="kind"),
        CheckConstraint(ExemptionReason.check("reason"), name="reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=ExemptionKind.EXEMPT)
    reason: Mapped[str] = mapped_column(String(16), default=ExemptionReason.OTHER)
    note: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str] = mapped_column(String(64))  # who approved: often a leader without an account
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def label(self) -> str:
        note = f"（{self.note}）" if self.note else ""
        return f"{ExemptionKind(self.kind).label}：{ExemptionReason(self.reason).label}{note}"


class ExamExaminee(Base):
    """A row of an exam's frozen 应考 list: who, and where they stood when the list was made.

    Later moves and deactivations never change a row; someone who joins an assigned unit while
    the exam is open gets a row (joined_during_window), someone who leaves keeps theirs (left_at).
    """

    __tablename__ = "exam_examinees"
    __table_args__ = (
        UniqueConstraint("exam_id", "user_id"),
        CheckConstraint(Category.check("category"), name="category"),
        CheckConstraint("extra_attempts >= 0", name="extra_attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    category: Mapped[str] = mapped_column(String(32))
    is_leader: Mapped[bool] = mapped_column(Boolean)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    joined_during_window: Mapped[bool] = mapped_column(Boolean, default=False)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)  # 补考: granted on top of the exam's

    user: Mapped[User] = relationship()
    org_unit: Mapped[OrgUnit] = relationship()


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("exam_id", "user_id", "attempt_no"),
        CheckConstraint("status IN ('in_progress', 'submitted', 'expired')", name="status"),
        CheckConstraint("deadline > started_at", name="deadline"),
        # At most one open attempt per examinee and exam, whatever races the browser makes.
        Index(
            "uq_attempts_one_open",
            "exam_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    attempt_no: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    deadline: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_saved_at: Mapped[datetime | None] = mapped_column(DateTime)
    score: Mapped[Decimal | None] = mapped_column(Points)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    exam: Mapped[Exam] = relationship()
    user: Mapped[User] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        order_by="AttemptItem.position", back_populates="attempt"
    )


class AttemptItem(Base):
    """One frozen question of an attempt's paper."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        # Covers the year's item totals (statistics.item_totals): millions of items are summed
        # per version straight from the index, without reading each row of the table.
        Index("ix_attempt_items_totals", "attempt_id", "question_version_id", "earned", "points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    # option_order[i] = index in the original options of the option shown i-th.
    option_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    points: Mapped[Decimal] = mapped_column(Points)
    earned: Mapped[Decimal | None] = mapped_column(Points)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship()
    answer: Mapped[Answer | None] = relationship(back_populates="item", uselist=False)


class Answer(Base):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: one answer per question of an attempt; a re-save updates it.
    attempt_item_id: Mapped[int] = mapped_column(ForeignKey("attempt_items.id"), unique=True)
    response: Mapped[str] = mapped_column(String(8))  # original letters or "true"/"false"
    saved_at: Mapped[datetime] = mapped_column(DateTime)

    item: Mapped[AttemptItem] = relationship(back_populates="answer")
