"""Org units (a tree kept as a materialized path) and user accounts."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

ROLES = ("cadre", "trainer", "admin")
ROLE_LABELS = {"cadre": "考生", "trainer": "培训管理员", "admin": "系统管理员"}


class OrgUnit(Base):
    __tablename__ = "org_units"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    # "/1/4/" for unit 4 under unit 1: a subtree is every path starting with this one.
    path: Mapped[str] = mapped_column(String(255), unique=True, default="")

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id")

    def contains(self, other: OrgUnit) -> bool:
        """True when `other` is this unit or lies below it."""
        return other.path.startswith(self.path)


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('cadre', 'trainer', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(64))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="cadre")
    position: Mapped[str] = mapped_column(String(64), default="")  # 职务
    category: Mapped[str] = mapped_column(String(64), default="")  # 人员类别
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)  # 领导干部
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    org_unit: Mapped[OrgUnit] = relationship()

    @property
    def is_active(self) -> bool:  # flask-login: a deactivated account cannot log in
        return self.active

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_staff(self) -> bool:
        return self.role in ("trainer", "admin")
