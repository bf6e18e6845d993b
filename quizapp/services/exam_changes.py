"""An exam's life after it is made: edit, close early, reopen, copy, delete, and 补考.

Before anyone starts, everything can change. Once attempts exist, only what cannot change a
result: the title, the description, a later close time, a looser review policy, more units.
Every change is audited with what it changed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.timing import window_phase
from ..domain.vocab import RosterMode
from ..errors import Conflict, InvalidInput
from ..models import Attempt, Exam, ExamExaminee, User
from .attempts import expire_now
from .audit import record
from .examinees import freeze_due_rosters, refresh_open_rosters, roster, set_extra_attempts
from .exams import ExamDraft, RuleDraft, apply_draft, check_draft, scoped_units

# How much of the key a policy shows: a change may only ever show more.
REVIEW_OPENNESS = {"never": 0, "after_close": 1, "immediate": 2}
FIELD_LABELS = {
    "title": "考试名称", "kind": "考试类型", "description": "考试说明", "opens_at": "开始时间",
    "closes_at": "截止时间", "duration_minutes": "考试时长", "pass_mark": "及格分",
    "max_attempts": "允许作答次数", "shuffle_questions": "题目乱序", "shuffle_options": "选项乱序",
    "review_policy": "答案公布方式", "multiple_scoring": "多选题计分", "paper_mode": "组卷方式",
    "counted_attempt": "成绩计算方式", "unit_ids": "参考单位", "paper": "试卷", "exam_only_pool": "只用考试专用题",
}


def has_attempts(session: Session, exam: Exam) -> bool:
    return session.scalar(select(Attempt.id).where(Attempt.exam_id == exam.id).limit(1)) is not None


def draft_of(exam: Exam) -> ExamDraft:
    """The exam's settings as a draft: the edit form's starting point, and a copy's."""
    fixed_points = exam.fixed_questions[0].points if exam.fixed_questions else Decimal(1)
    return ExamDraft(
        title=exam.title, kind=exam.kind, opens_at=exam.opens_at, closes_at=exam.closes_at,
        duration_minutes=exam.duration_minutes, pass_mark=exam.pass_mark,
        max_attempts=exam.max_attempts, shuffle_questions=exam.shuffle_questions,
        shuffle_options=exam.shuffle_options, review_policy=exam.review_policy,
        multiple_scoring=exam.multiple_scoring, paper_mode=exam.paper_mode,
        unit_ids=[u.id for u in exam.assigned_units], counted_attempt=exam.counted_attempt,
        exam_only_pool=exam.exam_only_pool,
        rules=[RuleDraft(r.topic_id, r.qtype, r.count, r.points) for r in exam.rules],
        fixed_codes=[f.question.code for f in exam.fixed_questions], fixed_points=fixed_points,
        description=exam.description,
    )


def _settings(d: ExamDraft) -> dict[str, object]:
    """The draft's settings in a form that compares by meaning (Decimal 12 == 12.00)."""
    paper = ([(r.topic_id, r.qtype, r.count, r.points) for r in d.rules] if d.paper_mode == "random"
             else [[c.strip().upper() for c in d.fixed_codes], d.fixed_points])
    values = {k: getattr(d, k) for k in FIELD_LABELS if k not in ("paper", "unit_ids")}
    values.update(unit_ids=sorted(set(d.unit_ids)), paper=paper, title=d.title.strip(),
                  description=d.description.strip())
    return values


def _plain(value: object) -> str:
    """How a setting reads in the audit log: 12 not 12.00, 2026-03-02T01:00:00 for a time."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return str(value)


def _diff(before: ExamDraft, after: ExamDraft) -> dict[str, list[object]]:
    a, b = _settings(before), _settings(after)
    return {k: [_plain(a[k]), _plain(b[k])] for k in a if a[k] != b[k]}


def update_exam(session: Session, exam: Exam, draft: ExamDraft, actor: User, now: datetime) -> dict[str, list[object]]:
    """Save an edit; once someone has started, refuse anything that could change a result."""
    before = draft_of(exam)
    changes = _diff(before, draft)
    if not changes:
        return {}
    if has_attempts(session, exam):
        _check_safe_once_started(session, actor, before, draft, changes)
        exam.title, exam.description = draft.title.strip(), draft.description.strip()
        exam.closes_at, exam.review_policy = draft.closes_at, draft.review_policy
        if "unit_ids" in changes:
            exam.assigned_units = scoped_units(session, draft.unit_ids, actor)
    else:
        checked = check_draft(session, draft, actor, now)
        # The old rules go first: a new rule may take an old one's position (unique per exam).
        exam.rules, exam.fixed_questions = [], []
        session.flush()
        apply_draft(exam, checked)
        if exam.roster_frozen_at is not None and exam.opens_at > now:
            # Moved back before its opening: the list will be taken again when it opens.
            session.execute(delete(ExamExaminee).where(ExamExaminee.exam_id == exam.id)
                            .execution_options(synchronize_session=False))
            exam.roster_frozen_at = None
    session.flush()
    freeze_due_rosters(session, now)
    refresh_open_rosters(session, now, exams=[exam] if exam.roster_frozen_at else [])
    record(session, "exam.update", now, actor.id, exam_id=exam.id, diff=changes)
    return changes


def _check_safe_once_started(session: Session, actor: User, before: ExamDraft, after: ExamDraft,
                             changes: dict[str, list[object]]) -> None:
    problems: dict[str, list[str]] = {}
    locked = [k for k in changes if k not in ("title", "description", "closes_at", "review_policy", "unit_ids")]
    if locked:
        names = "、".join(FIELD_LABELS[k] for k in locked)
        problems.setdefault(locked[0], []).append(f"已有考生开始作答，不能再修改：{names}")
    if after.closes_at < before.closes_at:
        problems.setdefault("closes_at", []).append("已有考生开始作答，截止时间只能推后；如需立即结束请用“提前截止”")
    if REVIEW_OPENNESS[after.review_policy] < REVIEW_OPENNESS[before.review_policy]:
        problems.setdefault("review_policy", []).append("已有考生开始作答，答案公布方式只能放宽，不能收紧")
    if not set(before.unit_ids) <= set(after.unit_ids):
        problems.setdefault("unit_ids", []).append("已有考生开始作答，参考单位只能增加，不能减少")
    elif len(scoped_units(session, after.unit_ids, actor)) != len(set(after.unit_ids)):
        problems.setdefault("unit_ids", []).append("只能选择本单位及下级单位")
    if not after.title.strip():
        problems.setdefault("title", []).append("请填写考试名称")
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)


def close_early(session: Session, exam: Exam, actor: User, now: datetime) -> int:
    """End the exam now: open attempts end too and are graded with what was saved; how many."""
    phase = window_phase(exam.opens_at, exam.closes_at, now)
    if phase == "upcoming":
        raise Conflict("考试尚未开放，不需要提前截止；可以修改开放时间或删除考试")
    if phase == "closed":
        raise Conflict("考试已经截止")
    freeze_due_rosters(session, now)
    old_close = exam.closes_at
    exam.closes_at = now
    still_open = session.scalars(select(Attempt).where(
        Attempt.exam_id == exam.id, Attempt.status == "in_progress")).all()
    graded = sum(expire_now(session, attempt, now) for attempt in still_open)
    record(session, "exam.close", now, actor.id, exam_id=exam.id, before=str(old_close), graded=graded)
    return graded


def reopen(session: Session, exam: Exam, closes_at: datetime, actor: User, now: datetime) -> None:
    """Open a closed exam again until `closes_at`; its 应考 list stays, joins are added from now."""
    if window_phase(exam.opens_at, exam.closes_at, now) != "closed":
        raise Conflict("只有已截止的考试可以重新开放")
    if closes_at <= now:
        raise InvalidInput("新的截止时间必须晚于现在", {"closes_at": ["新的截止时间必须晚于现在"]})
    old_close = exam.closes_at
    exam.closes_at = closes_at
    session.flush()
    freeze_due_rosters(session, now)
    refresh_open_rosters(session, now, exams=[exam] if exam.roster_frozen_at else [])
    record(session, "exam.reopen", now, actor.id, exam_id=exam.id, before=str(old_close), after=str(closes_at))


def copy_draft(exam: Exam, now: datetime, exam_year: int, this_year: int) -> ExamDraft:
    """A new exam's draft from this one: this year's title, the same length of window from now.

    The years are the ones people read (local time): "2025年度…" becomes "2026年度…".
    """
    draft = draft_of(exam)
    if this_year != exam_year and f"{exam_year}年" in draft.title:
        draft.title = draft.title.replace(f"{exam_year}年", f"{this_year}年")
    else:
        draft.title = f"{draft.title}（副本）"
    start = now.replace(second=0, microsecond=0)
    draft.opens_at, draft.closes_at = start, start + (exam.closes_at - exam.opens_at)
    return draft


def delete_exam(session: Session, exam: Exam, actor: User, now: datetime) -> None:
    if has_attempts(session, exam):
        raise Conflict("已有考生作答，不能删除；可以提前截止")
    if session.scalar(select(Exam.id).where(Exam.makeup_of_id == exam.id).limit(1)) is not None:
        raise Conflict("该考试已有补考，不能删除")
    title = exam.title
    session.delete(exam)
    session.flush()
    record(session, "exam.delete", now, actor.id, exam_id=exam.id, title=title)


# ---- 补考 ----------------------------------------------------------------------------------

def makeup_candidates(session: Session, exam: Exam) -> list[int]:
    """Who a 补考 is usually for: expected people who failed, or never finished an attempt."""
    passed = set(session.scalars(select(Attempt.user_id).where(
        Attempt.exam_id == exam.id, Attempt.passed.is_(True))))
    return [e.user.id for e in roster(session, exam) if e.expected and e.user.id not in passed]


def _check_people(session: Session, exam: Exam, user_ids: Sequence[int]) -> None:
    if not user_ids:
        raise InvalidInput("请至少选择一人", {"user_ids": ["请至少选择一人"]})
    if exam.roster_frozen_at is None and exam.roster_mode == RosterMode.UNITS:
        raise Conflict("考试开放后才有应考名单，才能安排补考")
    listed = {e.user.id for e in roster(session, exam) if e.expected}
    if not set(user_ids) <= listed:
        raise InvalidInput("补考人员必须在应考名单中（免考、缓考和已离开的人员除外）",
                           {"user_ids": ["所选人员不在应考名单中"]})


def grant_extra_attempts(session: Session, exam: Exam, user_ids: Sequence[int], extra: int,
                         actor: User, now: datetime) -> int:
    """补考 within the exam: more attempts for these people, while it is open."""
    if not 1 <= extra <= 10:
        raise InvalidInput("增加的作答次数应在 1 到 10 之间", {"extra": ["增加的作答次数应在 1 到 10 之间"]})
    if window_phase(exam.opens_at, exam.closes_at, now) == "closed":
        raise Conflict("考试已截止，请先重新开放（设置新的截止时间）再增加作答次数，或另建补考")
    _check_people(session, exam, user_ids)
    granted = set_extra_attempts(session, exam, user_ids, extra)
    record(session, "exam.extra_attempts", now, actor.id, exam_id=exam.id, user_ids=list(user_ids), extra=extra)
    return granted


def create_makeup(session: Session, exam: Exam, user_ids: Sequence[int], opens_at: datetime,
                  closes_at: datetime, actor: User, now: datetime) -> Exam:
    """补考 as an exam of its own: a copy of this one for these people only."""
    _check_people(session, exam, user_ids)
    draft = draft_of(exam)
    draft.title = re.sub(r"（补考）$", "", draft.title) + "（补考）"
    draft.opens_at, draft.closes_at = opens_at, closes_at
    checked = check_draft(session, draft, actor, now)
    makeup = Exam(owner_unit_id=exam.owner_unit_id, created_by_id=actor.id, created_at=now,
                  roster_mode=RosterMode.LISTED, makeup_of_id=exam.id, roster_frozen_at=now)
    apply_draft(makeup, checked)
    session.add(makeup)
    session.flush()
    original = {r.user_id: r for r in session.scalars(select(ExamExaminee).where(
        ExamExaminee.exam_id == exam.id, ExamExaminee.user_id.in_(user_ids)))}
    session.add_all(ExamExaminee(exam_id=makeup.id, user_id=uid, org_unit_id=r.org_unit_id,
                                 category=r.category, is_leader=r.is_leader, added_at=now,
                                 joined_during_window=False, extra_attempts=0)
                    for uid, r in original.items())
    session.flush()
    record(session, "exam.makeup", now, actor.id, exam_id=makeup.id, makeup_of=exam.id,
           user_ids=sorted(user_ids))
    return makeup
