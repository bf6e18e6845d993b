"""Org units (a tree kept as a materialized path) and user accounts."""
from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..domain.vocab import Category, LeaveReason, Role, UnitKind

ROLES = tuple(Role)
ROLE_LABELS = Role.labels()


class OrgUnit(Base):
    __tablename__ = "org_units"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        CheckConstraint(UnitKind.check("kind"), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    # "/1/4/" for unit 4 under unit 1: a subtree is every path starting with this one.
    path: Mapped[str] = mapped_column(String(255), unique=True, default="")
    kind: Mapped[str] = mapped_column(String(16), default=UnitKind.OTHER)
    # A unit is never deleted: exams, attempts and 应考 lists keep pointing at it.
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id")

    def contains(self, other: OrgUnit) -> bool:
        """True when `other` is this unit or lies below it."""
        return other.path.startswith(self.path)

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(Role.check("role"), name="role"),
        CheckConstraint(Category.check("category"), name="category"),
        CheckConstraint(f"left_reason IS NULL OR {LeaveReason.check('left_reason')}", name="left_reason"),
        CheckConstraint("active OR left_on IS NOT NULL", name="left_when"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(64))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="cadre")
    phone: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[str] = mapped_column(String(64), default="")  # 职务
    category: Mapped[str] = mapped_column(String(32), default=Category.OTHER)  # 人员类别
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)  # 领导干部
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    left_on: Mapped[date | None] = mapped_column(Date)  # 调离 / 退休 date, while inactive
    left_reason: Mapped[str | None] = mapped_column(String(16))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session cookie: raising it ends every session of this user (password reset).
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    org_unit: Mapped[OrgUnit] = relationship()

    @property
    def is_active(self) -> bool:  # flask-login: a deactivated account cannot log in
        return self.active

    def get_id(self) -> str:  # flask-login keeps this in the session cookie
        return f"{self.id}.{self.session_version}"

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def left_reason_label(self) -> str:
        return LeaveReason(self.left_reason).label if self.left_reason else ""

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_staff(self) -> bool:
        return self.role in ("trainer", "admin")
