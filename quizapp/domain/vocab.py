"""Every list of values the product knows, defined once with its Chinese label.

Models derive their CHECK constraints from these, forms their choices, templates their labels,
file formats the spellings they accept.
"""
from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Self


class Labeled(StrEnum):
    """A stored value (English, stable) with the label users read."""

    label: str

    if TYPE_CHECKING:
        # Calling the class looks a member up by its value (Enum's metaclass does that); the
        # two-argument __new__ below only builds the members, which is not what callers see.
        def __new__(cls, value: str) -> Self: ...
    else:
        def __new__(cls, value: str, label: str) -> Self:
            member = str.__new__(cls, value)
            member._value_ = value
            member.label = label
            return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {m.value: m.label for m in cls}

    @classmethod
    def check(cls, column: str) -> str:
        """SQL for a CHECK constraint that admits exactly these values."""
        return f"{column} IN ({', '.join(repr(m.value) for m in cls)})"

    @classmethod
    def from_label(cls, text: str) -> Self | None:
        """The member a user's spelling names (its label or its value), ignoring ASCII/full-width parentheses."""
        wanted = _plain(text)
        return next((m for m in cls if wanted in (_plain(m.label), m.value)), None)


def _plain(text: str) -> str:
    return text.strip().replace("（", "(").replace("）", ")").replace(" ", "")


class Role(Labeled):
    CADRE = "cadre", "考生"
    TRAINER = "trainer", "培训管理员"
    ADMIN = "admin", "系统管理员"


class UnitKind(Labeled):
    TOWNSHIP = "township", "乡镇"
    OFFICE = "office", "乡直机关"
    STATION = "station", "站所"
    VILLAGE = "village", "村委会"
    COMMUNITY = "community", "居委会"
    WORK_TEAM = "work_team", "驻村工作队"
    OTHER = "other", "其他"


class Category(Labeled):
    """人员类别."""

    CIVIL_SERVANT = "civil_servant", "公务员"
    MANAGED_AS_CIVIL_SERVANT = "civil_servant_managed", "参公事业人员"
    PUBLIC_INSTITUTION = "public_institution", "事业人员"
    VILLAGE_CADRE = "village_cadre", "村（社区）干部"
    WORK_TEAM_MEMBER = "work_team_member", "驻村工作队员"
    OTHER = "other", "其他"


class LeaveReason(Labeled):
    TRANSFERRED = "transferred", "调离"
    RETIRED = "retired", "退休"
    OTHER = "other", "其他"


class ExemptionKind(Labeled):
    EXEMPT = "exempt", "免考"
    DEFERRED = "deferred", "缓考"


class ExemptionReason(Labeled):
    RETIRED = "retired", "退休"
    SICK_LEAVE = "sick_leave", "长期病假"
    SECONDED = "seconded", "借调"
    OTHER = "other", "其他"


class CountedAttempt(Labeled):
    """Which attempt's score counts when several are allowed."""

    BEST = "best", "取最高分"
    LAST = "last", "取最后一次"


class RosterMode(Labeled):
    """How an exam's 应考 list is made."""

    UNITS = "units", "参考单位（含下级单位）的在职考生"
    LISTED = "listed", "指定人员"
