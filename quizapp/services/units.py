"""The org-unit tree: add, rename, move, deactivate; labels with the full path; scopes.

A unit is never deleted. Moving one rewrites the materialized path of its whole subtree in one
statement. Moves and deactivations change who belongs to an exam's units, so they go through
examinees.roster_change (frozen lists are taken first, joins and leaves recorded after).
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import rowcount
from ..domain.vocab import UnitKind
from ..errors import Conflict, InvalidInput, NotAllowed, NotFound
from ..models import OrgUnit, User
from .audit import record
from .examinees import roster_change

MAX_NAME = 100


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("请填写单位名称", {"name": ["请填写单位名称"]})
    if len(name) > MAX_NAME or "/" in name:
        raise InvalidInput("单位名称不超过 100 字，且不能含“/”", {"name": ["单位名称不超过 100 字，且不能含“/”"]})
    return name


def _check_kind(kind: str) -> str:
    if kind not in UnitKind.labels():
        raise InvalidInput("单位类型无效", {"kind": ["单位类型无效"]})
    return kind


@contextmanager
def _unique_name(session: Session, name: str) -> Iterator[None]:
    """Changes made inside are flushed in a savepoint: a name taken under the same parent (the
    unique constraint decides, also between two admins) is a form error, not a broken session."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError:
        message = f"同一上级单位下已有名为“{name}”的单位"
        raise InvalidInput(message, {"name": [message]}) from None


def create_unit(session: Session, name: str, parent: OrgUnit | None, kind: str = UnitKind.OTHER,
                actor: User | None = None, now: datetime | None = None) -> OrgUnit:
    """A new unit under `parent` (None: a root, only from the command line or the demo)."""
    name, kind = _check_name(name), _check_kind(kind)
    if parent is not None and not parent.active:
        raise InvalidInput("上级单位已停用", {"parent_id": ["上级单位已停用"]})
    unit = OrgUnit(name=name, parent_id=parent.id if parent else None, kind=kind, active=True,
                   path=f"pending-{uuid.uuid4()}")
    with _unique_name(session, name):
        session.add(unit)  # flushed now: the id is part of the path
    unit.parent = parent
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    if actor is not None and now is not None:
        record(session, "unit.create", now, actor.id, unit_id=unit.id, name=name, kind=kind,
               parent_id=parent.id if parent else None)
    return unit


def get_unit(session: Session, unit_id: int) -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("单位不存在")
    return unit


def scoped_unit(session: Session, unit_id: int, actor: User) -> OrgUnit:
    """A unit in the actor's subtree, or NotFound (never tell what lies outside it)."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None or not actor.org_unit.contains(unit):
        raise NotFound("单位不存在或不在您的管理范围内")
    return unit


def rename_unit(session: Session, unit: OrgUnit, name: str, kind: str, actor: User,
                now: datetime) -> None:
    name, kind = _check_name(name), _check_kind(kind)
    before = {"name": unit.name, "kind": unit.kind}
    with _unique_name(session, name):
        unit.name, unit.kind = name, kind
    after = {"name": name, "kind": kind}
    if before != after:
        record(session, "unit.update", now, actor.id, unit_id=unit.id, before=before, after=after)


def move_unit(session: Session, unit: OrgUnit, new_parent: OrgUnit, actor: User,
              now: datetime) -> None:
    """Put `unit` (and everything below it) under `new_parent`, inside the actor's subtree."""
    if unit.id == actor.org_unit_id or not actor.org_unit.contains(unit):
        raise NotAllowed("不能移动本单位或管理范围以外的单位")
    if not actor.org_unit.contains(new_parent):
        raise InvalidInput("只能移到本单位及下级单位之下", {"parent_id": ["只能移到本单位及下级单位之下"]})
    if unit.contains(new_parent):
        raise InvalidInput("不能移到自己或自己的下级单位之下", {"parent_id": ["不能移到自己或自己的下级单位之下"]})
    if not new_parent.active:
        raise InvalidInput("上级单位已停用", {"parent_id": ["上级单位已停用"]})
    if unit.parent_id == new_parent.id:
        return
    old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
    old_parent_id = unit.parent_id
    with roster_change(session, now):
        with _unique_name(session, unit.name):
            unit.parent = new_parent
        session.execute(
            update(OrgUnit).where(OrgUnit.path.startswith(old_path))
            .values(path=literal(new_path) + func.substr(OrgUnit.path, len(old_path) + 1))
            .execution_options(synchronize_session=False))
        session.expire_all()
    record(session, "unit.move", now, actor.id, unit_id=unit.id, before=old_parent_id,
           after=new_parent.id)


def set_unit_active(session: Session, unit: OrgUnit, active: bool, actor: User, now: datetime) -> int:
    """Deactivate a unit with its sub-units (kept for history), or reactivate it; how many changed."""
    if unit.id == actor.org_unit_id:
        raise NotAllowed("不能停用本单位")
    if not active:
        staying = session.scalar(
            select(func.count()).select_from(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(OrgUnit.path.startswith(unit.path), User.active.is_(True)))
        if staying:
            raise Conflict(f"该单位（含下级单位）还有 {staying} 名在职人员，请先将他们调到其他单位或办理离职")
        changed = rowcount(session.execute(
            update(OrgUnit).where(OrgUnit.path.startswith(unit.path), OrgUnit.active.is_(True))
            .values(active=False).execution_options(synchronize_session=False)))
    else:
        if unit.parent is not None and not unit.parent.active:
            raise Conflict("上级单位已停用，请先恢复上级单位")
        unit.active = True
        changed = 1
    session.flush()
    session.expire_all()
    record(session, "unit.activate" if active else "unit.deactivate", now, actor.id, unit_id=unit.id,
           units=changed)
    return changed


# ---- reading the tree ----------------------------------------------------------------------

@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    path: str  # names from the root, joined with "/"
    kind: str
    active: bool
    depth: int  # 0 for the first unit shown
    parent_id: int | None
    tree_path: str  # the materialized "/1/4/" path

    @property
    def label(self) -> str:
        return self.path.replace("/", " / ")

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label


def names_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(OrgUnit.id, OrgUnit.name)).all())


def path_names(unit_path: str, names: dict[int, str]) -> list[str]:
    return [names[int(part)] for part in unit_path.strip("/").split("/") if part]


def unit_rows(session: Session, root: OrgUnit | None = None, active_only: bool = False) -> list[UnitRow]:
    """Every unit under `root` (all units when None), in tree order, with full path names."""
    names = names_by_id(session)
    query = select(OrgUnit).order_by(OrgUnit.path)
    if root is not None:
        query = query.where(OrgUnit.path.startswith(root.path))
    if active_only:
        query = query.where(OrgUnit.active.is_(True))
    base = root.path.count("/") if root is not None else 2
    rows = [
        UnitRow(u.id, u.name, "/".join(path_names(u.path, names)), u.kind, u.active,
                u.path.count("/") - base, u.parent_id, u.path)
        for u in session.scalars(query)
    ]
    # Tree order, children in the order they were added.
    return sorted(rows, key=lambda r: [int(part) for part in r.tree_path.strip("/").split("/")])


def people_counts(session: Session, root: OrgUnit) -> dict[int, int]:
    """Active people directly in each unit under `root`."""
    return dict(session.execute(
        select(User.org_unit_id, func.count()).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(OrgUnit.path.startswith(root.path), User.active.is_(True))
        .group_by(User.org_unit_id)).all())


def units_in_scope(session: Session, user: User) -> list[OrgUnit]:
    """The user's unit and every unit below it, in tree order."""
    return list(session.scalars(
        select(OrgUnit).where(OrgUnit.path.startswith(user.org_unit.path)).order_by(OrgUnit.path)
    ))


def unit_label(unit: OrgUnit, names: dict[int, str] | None = None) -> str:
    """“示例乡 / 乡直机关” style names for pickers and tables."""
    if names is not None:
        return " / ".join(path_names(unit.path, names))
    parts = []
    node: OrgUnit | None = unit
    while node is not None:
        parts.append(node.name)
        node = node.parent
    return " / ".join(reversed(parts))


def find_unit_by_path(rows: list[UnitRow], text: str) -> tuple[UnitRow | None, str]:
    """The unit a person typed: a path like 示例乡/东风村委会 (or its tail), or a unique name.

    Returns (unit, "") or (None, the reason in Chinese).
    """
    wanted = [part.strip() for part in text.replace("／", "/").split("/") if part.strip()]
    if not wanted:
        return None, "单位为空"
    matches = [r for r in rows if r.path.split("/")[-len(wanted):] == wanted]
    if len(matches) == 1:
        return matches[0], ""
    if not matches:
        return None, f"找不到单位“{text.strip()}”"
    return None, f"单位“{text.strip()}”有 {len(matches)} 个同名单位，请写出上级单位，如 {matches[0].path}"
