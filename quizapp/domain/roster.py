"""People on the roster: one set of rules for the web form and every imported row.

Pure: a record in, its problems out (field -> Chinese message); imported rows' cells are turned
into records here too (headers matched by name, 是/否 spelled many ways).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .columns import match_columns
from .vocab import Category

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,31}$")
PHONE = re.compile(r"^1[3-9]\d{9}$")  # a mainland mobile number
MAX_NAME, MAX_POSITION = 32, 64


@dataclass(frozen=True)
class PersonRecord:
    full_name: str
    username: str
    phone: str
    unit_text: str  # a path such as 示例乡/东风村委会, or a unique unit name
    position: str
    category: str  # a Category value
    is_leader: bool


def person_problems(record: PersonRecord) -> dict[str, str]:
    """Every problem of one person's data, by field; empty when it can be saved."""
    problems: dict[str, str] = {}
    if not record.full_name:
        problems["full_name"] = "姓名不能为空"
    elif len(record.full_name) > MAX_NAME:
        problems["full_name"] = f"姓名不超过 {MAX_NAME} 个字"
    if not record.username:
        problems["username"] = "账号不能为空（没有账号时可用手机号）"
    elif not USERNAME.match(record.username):
        problems["username"] = "账号须为 2 到 32 位字母、数字或 _ . @ -，以字母或数字开头"
    if record.phone and not PHONE.match(record.phone):
        problems["phone"] = f"手机号“{record.phone}”不是 11 位手机号码"
    if len(record.position) > MAX_POSITION:
        problems["position"] = f"职务不超过 {MAX_POSITION} 个字"
    if record.category not in Category.labels():
        problems["category"] = "人员类别无效"
    return problems


# ---- imported rows -------------------------------------------------------------------------

# Column -> the headers people write for it (matched after dropping spaces and a trailing ＊/*).
COLUMNS: dict[str, tuple[str, ...]] = {
    "full_name": ("姓名",),
    "username": ("账号", "用户名", "登录账号"),
    "phone": ("手机号", "手机号码", "手机", "联系电话"),
    "unit_text": ("单位", "所在单位", "单位名称"),
    "position": ("职务", "职务职级"),
    "category": ("人员类别", "类别"),
    "is_leader": ("是否领导干部", "领导干部"),
}
COLUMN_LABELS = {"full_name": "姓名", "username": "账号", "phone": "手机号", "unit_text": "单位",
                 "position": "职务", "category": "人员类别", "is_leader": "是否领导干部"}
REQUIRED = ("full_name", "unit_text")
TEMPLATE_HEADERS = ["姓名", "账号", "手机号", "单位", "职务", "人员类别", "是否领导干部"]
YES = {"是", "y", "yes", "1", "true", "√", "领导干部"}
NO = {"否", "n", "no", "0", "false", "×", ""}


def match_headers(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column index holds each field, and the problems (missing or repeated columns)."""
    found, _, problems = match_columns(headers, COLUMNS, COLUMN_LABELS, REQUIRED)
    if "username" not in found and "phone" not in found:
        problems.append("缺少“账号”列（或用“手机号”列作为账号）")
    return found, problems


def parse_leader(text: str) -> bool | None:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def record_from_cells(cells: Mapping[str, str]) -> tuple[PersonRecord | None, list[tuple[str, str]]]:
    """One row's cells (field -> text) as a record, or the (column, message) problems it has."""
    text = {f: (cells.get(f) or "").strip() for f in COLUMNS}
    problems: list[tuple[str, str]] = []
    category = Category.from_label(text["category"]) if text["category"] else Category.OTHER
    if category is None:
        allowed = "、".join(Category.labels().values())
        problems.append(("人员类别", f"人员类别“{text['category']}”无效，应为：{allowed}"))
    leader = parse_leader(text["is_leader"])
    if leader is None:
        problems.append(("是否领导干部", f"“{text['is_leader']}”无法识别，请填 是 或 否"))
    record = PersonRecord(
        full_name=text["full_name"], username=text["username"] or text["phone"], phone=text["phone"],
        unit_text=text["unit_text"], position=text["position"],
        category=category or Category.OTHER, is_leader=bool(leader),
    )
    for field, message in person_problems(record).items():
        column = "账号" if field == "username" and not text["username"] else COLUMN_LABELS[field]
        if field != "category":
            problems.append((column, message))
    if not record.unit_text:
        problems.append(("单位", "单位不能为空"))
    return (None if problems else record), problems
