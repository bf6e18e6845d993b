"""Roster import: a spreadsheet of people -> a preview (new, changed, unchanged, every problem
with its row and column) -> on confirmation, all of it or nothing.

The browser and `quizapp users import` call the same functions. New people get a one-time
password each; the caller hashes them outside the write transaction (hashing is CPU work that
must not hold SQLite's single write lock) and hands the hashes to `apply_import`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.roster import COLUMNS, TEMPLATE_HEADERS, PersonRecord, match_headers, record_from_cells
from ..domain.vocab import Category, Role
from ..formats.tabular import Table, write_xlsx
from ..models import OrgUnit, User
from . import accounts
from .audit import record
from .examinees import roster_change
from .units import UnitRow, find_unit_by_path, unit_rows

COMPARED = {"full_name": "姓名", "phone": "手机号", "unit": "单位", "position": "职务",
            "category": "人员类别", "is_leader": "是否领导干部"}


class ProblemDict(TypedDict):
    row: int
    column: str
    message: str


class Summary(TypedDict):
    """The preview as `quizapp users import --json` prints it."""

    new: int
    changed: int
    unchanged: int
    problems: list[ProblemDict]


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str

    def as_dict(self) -> ProblemDict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlannedPerson:
    row: int
    record: PersonRecord
    unit: UnitRow
    status: str  # new | changed | unchanged
    user_id: int | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class RosterPlan:
    people: list[PlannedPerson]
    problems: list[ImportProblem]

    def count(self, status: str) -> int:
        return sum(1 for p in self.people if p.status == status)

    @property
    def accepted(self) -> bool:
        return not self.problems

    def summary(self) -> Summary:
        """The preview as `quizapp users import --json` prints it."""
        return {"new": self.count("new"), "changed": self.count("changed"),
                "unchanged": self.count("unchanged"),
                "problems": [p.as_dict() for p in self.problems]}


@dataclass(frozen=True)
class NewAccount:
    row: int
    full_name: str
    username: str
    unit_path: str
    password: str


def plan_import(session: Session, table: Table, scope: OrgUnit | None) -> RosterPlan:
    """What the file would do, checked against the database; nothing is written."""
    columns, header_problems = match_headers(table.headers)
    if header_problems:
        return RosterPlan([], [ImportProblem(1, "表头", m) for m in header_problems])
    units = unit_rows(session, scope, active_only=True)
    problems: list[ImportProblem] = []
    planned: list[PlannedPerson] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        values = {f: (cells[i] if i < len(cells) else "") for f, i in columns.items()}
        person, found = record_from_cells(values)
        problems.extend(ImportProblem(row, column, message) for column, message in found)
        unit, why = find_unit_by_path(units, values.get("unit_text", "")) if values.get("unit_text") else (None, "")
        if why:
            problems.append(ImportProblem(row, "单位", why + ("（或不在您的管理范围内）" if scope else "")))
        if person is None or unit is None:
            continue
        key = person.username.lower()
        if key in seen:
            problems.append(ImportProblem(row, "账号", f"账号“{person.username}”与第 {seen[key]} 行重复"))
            continue
        seen[key] = row
        planned.append(PlannedPerson(row, person, unit, "new"))
    _compare_with_database(session, planned, scope, problems)
    problems.sort(key=lambda p: (p.row, _column_order(p.column)))
    return RosterPlan(planned, problems)


def _column_order(column: str) -> int:
    """Where a problem's column comes in the roster (-1 for one that is not a column)."""
    names = {"姓名": "full_name", "账号": "username", "手机号": "phone", "单位": "unit_text",
             "职务": "position", "人员类别": "category", "是否领导干部": "is_leader"}
    name = names.get(column)
    return list(COLUMNS).index(name) if name else -1


def _compare_with_database(session: Session, planned: list[PlannedPerson], scope: OrgUnit | None,
                           problems: list[ImportProblem]) -> None:
    keys = [p.record.username.lower() for p in planned]
    existing: dict[str, User] = {}
    for start in range(0, len(keys), 500):
        for found in session.scalars(select(User).where(func.lower(User.username).in_(keys[start:start + 500]))):
            existing[found.username.lower()] = found
    paths = {u.id: u.path for u in unit_rows(session)}
    for p in planned:
        user = existing.get(p.record.username.lower())
        if user is None:
            continue
        if scope is not None and not user.org_unit.path.startswith(scope.path):
            problems.append(ImportProblem(p.row, "账号", f"账号“{p.record.username}”已被其他单位的人员使用"))
            continue
        before = {"full_name": user.full_name, "phone": user.phone, "unit": paths[user.org_unit_id],
                  "position": user.position, "category": Category(user.category).label,
                  "is_leader": "是" if user.is_leader else "否"}
        after = {"full_name": p.record.full_name, "phone": p.record.phone, "unit": p.unit.path,
                 "position": p.record.position, "category": Category(p.record.category).label,
                 "is_leader": "是" if p.record.is_leader else "否"}
        p.user_id = user.id
        p.changes = {COMPARED[k]: [before[k], after[k]] for k in before if before[k] != after[k]}
        p.status = "changed" if p.changes else "unchanged"


def new_passwords(plan: RosterPlan) -> dict[int, tuple[str, str]]:
    """row -> (one-time password, its hash) for every new person. CPU only: call it outside a
    write transaction."""
    result = {}
    for p in plan.people:
        if p.status == "new":
            password = accounts.generate_initial_password()
            result[p.row] = (password, accounts.initial_password_hash(password))
    return result


def apply_import(session: Session, plan: RosterPlan, passwords: dict[int, tuple[str, str]],
                 actor_id: int | None, now: datetime) -> list[NewAccount]:
    """Write the whole plan (it must have no problems); the new accounts with their passwords."""
    assert plan.accepted, "a plan with problems is never applied"
    units = {u.id: u for u in session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_({p.unit.id for p in plan.people})))}
    created: list[NewAccount] = []
    touched: list[int] = []
    with roster_change(session, now, touched):
        for p in plan.people:
            r = p.record
            if p.status == "new":
                user = accounts.create_user(
                    session, username=r.username, password_hash=passwords[p.row][1],
                    full_name=r.full_name, unit=units[p.unit.id], role=Role.CADRE, now=now,
                    position=r.position, category=r.category, is_leader=r.is_leader, phone=r.phone)
                created.append(NewAccount(p.row, r.full_name, r.username, p.unit.path, passwords[p.row][0]))
                touched.append(user.id)
            elif p.status == "changed":
                assert p.user_id is not None
                user = session.get_one(User, p.user_id)
                user.full_name, user.phone, user.position = r.full_name, r.phone, r.position
                user.category, user.is_leader, user.org_unit = r.category, r.is_leader, units[p.unit.id]
                touched.append(user.id)
    record(session, "roster.import", now, actor_id, new=plan.count("new"), changed=plan.count("changed"),
           unchanged=plan.count("unchanged"))
    return created


def passwords_xlsx(created: list[NewAccount], generated_at: str) -> bytes:
    """初始密码表 for the office to hand out; each must be changed at the first login."""
    rows: list[list[object]] = [["姓名", "单位", "账号", "初始密码"]]
    rows += [[a.full_name, a.unit_path, a.username, a.password] for a in created]
    rows += [[], [f"生成时间：{generated_at}。初始密码只能使用一次，首次登录后须修改密码。请妥善保管本表，分发后销毁。"]]
    return write_xlsx({"初始密码表": rows}, {"初始密码表": [12, 30, 18, 16]})


def template_xlsx(example_units: list[str]) -> bytes:
    """The import template: the headers, two example rows and a sheet that explains each column."""
    first = example_units[0] if example_units else "示例乡/乡直机关"
    second = example_units[1] if len(example_units) > 1 else first
    rows: list[Sequence[object]] = [TEMPLATE_HEADERS,
                                ["张三", "zhangsan", "13800138000", first, "科员", "公务员", "否"],
                                ["李四", "", "13900139000", second, "村委会主任", "村（社区）干部", "是"]]
    notes: list[list[object]] = [
        ["列名", "是否必填", "说明"],
        ["姓名", "必填", "不超过 32 个字"],
        ["账号", "账号和手机号至少填一项", "字母、数字或 _ . @ -；不填时用手机号作为账号。已存在的账号会更新该人员的信息"],
        ["手机号", "选填", "11 位手机号码"],
        ["单位", "必填", "写出上级单位，如“示例乡/东风村委会”；单位名称唯一时也可只写名称"],
        ["职务", "选填", "如 科员、村委会主任"],
        ["人员类别", "选填，默认“其他”", "、".join(Category.labels().values())],
        ["是否领导干部", "选填，默认“否”", "是/否、Y/N、1/0"],
        [],
        ["列的顺序可以调整，第 1 行必须是列名。导入前会先预览，确认后才写入；有任何一处错误则整批不导入。"],
    ]
    return write_xlsx({"人员名单": rows, "填写说明": notes},
                      {"人员名单": [10, 14, 14, 26, 14, 16, 14], "填写说明": [14, 24, 70]})
