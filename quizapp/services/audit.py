"""Recording audit events inside the caller's transaction, and finding them again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import AuditEvent, OrgUnit, User

# What each action is called on the audit page (bank.bulk.retire falls back to bank.bulk).
ACTION_LABELS = {
    "auth.login": "登录", "auth.login_failed": "登录失败", "auth.logout": "退出",
    "auth.password_changed": "修改密码", "auth.password_reset": "重置密码", "auth.throttled": "登录被暂时锁定",
    "access.denied": "越权访问被拒绝",
    "attempt.start": "开始作答", "attempt.submitted": "交卷", "attempt.expired": "超时交卷",
    "exam.create": "新建考试", "exam.update": "修改考试", "exam.delete": "删除考试", "exam.close": "提前截止",
    "exam.reopen": "重新开放", "exam.makeup": "补考", "exam.extra_attempts": "增加作答次数",
    "exam.exempt": "登记免考", "exam.unexempt": "取消免考",
    "question.create": "新建题目", "question.edit": "修改题目", "question.retire": "停用题目",
    "question.restore": "恢复题目", "question.move": "题目换专题", "question.mark": "考试专用标记",
    "question.report": "题目纠错", "question.report_answered": "答复纠错",
    "bank.import": "导入题库", "bank.export": "导出题库", "bank.bulk": "题库批量操作",
    "topic.create": "新建专题", "topic.rename": "专题改名", "topic.delete": "删除专题", "tag.rename": "标签改名",
    "unit.create": "新建单位", "unit.update": "修改单位", "unit.move": "移动单位", "unit.activate": "停用或恢复单位",
    "person.create": "新增人员", "person.update": "修改人员", "person.deactivate": "办理离职",
    "person.reactivate": "恢复在职", "person.delete": "删除人员", "roster.import": "导入人员名单",
    "report.export": "导出统计报告",
}
GROUPS = {"auth": "登录与账号", "access": "越权访问", "attempt": "作答", "exam": "考试", "question": "题目",
          "bank": "题库导入导出", "topic": "专题", "tag": "标签", "unit": "单位", "person": "人员",
          "roster": "人员名单", "report": "统计报告"}


def record(session: Session, action: str, now: datetime, user_id: int | None = None,
           **detail: Any) -> None:
    session.add(AuditEvent(at=now, user_id=user_id, action=action, detail=detail))


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action) or ACTION_LABELS.get(action.rsplit(".", 1)[0]) or action


@dataclass(frozen=True)
class AuditFilter:
    group: str = ""  # the part before the first dot: auth, exam, question …
    username: str = ""
    since: datetime | None = None
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    username: str | None
    full_name: str | None

    @property
    def label(self) -> str:
        return action_label(self.event.action)


def search(session: Session, scope: OrgUnit, f: AuditFilter, page: int, per_page: int = 100) -> tuple[list[AuditRow], int]:
    """Events of people in the scope's subtree, newest first; events of no one (an unknown
    account's failed login, a command-line import) only for an admin at the top of the tree."""
    query = select(AuditEvent, User.username, User.full_name).outerjoin(User, User.id == AuditEvent.user_id)
    query = query.outerjoin(OrgUnit, OrgUnit.id == User.org_unit_id)
    in_scope = OrgUnit.path.startswith(scope.path, autoescape=True)
    query = query.where(or_(in_scope, AuditEvent.user_id.is_(None)) if scope.parent_id is None else in_scope)
    if f.group in GROUPS:
        query = query.where(AuditEvent.action.startswith(f.group + ".", autoescape=True))
    if f.username.strip():
        query = query.where(User.username == f.username.strip())
    if f.since is not None:
        query = query.where(AuditEvent.at >= f.since)
    if f.until is not None:
        query = query.where(AuditEvent.at < f.until)
    total = session.scalar(select(func.count()).select_from(query.with_only_columns(AuditEvent.id).subquery())) or 0
    rows = session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return [AuditRow(event, username, name) for event, username, name in rows], total
