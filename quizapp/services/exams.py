"""Composing and scheduling exams, and who must take them (应考)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.paper import PaperRule, rule_shortfalls
from ..domain.timing import MAX_EXAM_MINUTES
from ..domain.vocab import CountedAttempt, RosterMode
from ..errors import InvalidInput, NotAllowed, NotFound
from ..models import (
    EXAM_KINDS,
    MULTIPLE_SCORING,
    QUESTION_TYPES,
    REVIEW_POLICIES,
    Attempt,
    Exam,
    ExamFixedQuestion,
    ExamRule,
    OrgUnit,
    Question,
    Topic,
    User,
)
from .audit import record
from .bank import available_counts
from .examinees import RosterEntry, roster


@dataclass
class RuleDraft:
    topic_id: int
    qtype: str
    count: int
    points: Decimal


@dataclass
class ExamDraft:
    title: str
    kind: str
    opens_at: datetime  # naive UTC
    closes_at: datetime
    duration_minutes: int
    pass_mark: Decimal
    max_attempts: int
    shuffle_questions: bool
    shuffle_options: bool
    review_policy: str
    multiple_scoring: str
    paper_mode: str
    unit_ids: list[int]
    counted_attempt: str = CountedAttempt.BEST
    exam_only_pool: bool = False  # draw only 考试专用 questions
    rules: list[RuleDraft] = field(default_factory=list)
    fixed_codes: list[str] = field(default_factory=list)
    fixed_points: Decimal = Decimal(1)
    description: str = ""


def _check_rules(session: Session, draft: ExamDraft, errors: dict[str, list[str]]) -> list[ExamRule]:
    if not draft.rules:
        errors.setdefault("rules", []).append("随机组卷至少需要一条抽题规则")
        return []
    topics = {t.id: t for t in session.scalars(select(Topic))}
    rules: list[ExamRule] = []
    domain_rules: list[PaperRule] = []
    for n, r in enumerate(draft.rules, 1):
        if r.topic_id not in topics or r.qtype not in QUESTION_TYPES:
            errors.setdefault("rules", []).append(f"第 {n} 条规则的专题或题型无效")
            continue
        if r.count < 1 or r.points <= 0:
            errors.setdefault("rules", []).append(f"第 {n} 条规则的题数和每题分值必须大于 0")
            continue
        rules.append(ExamRule(position=n, topic_id=r.topic_id, qtype=r.qtype, count=r.count,
                              points=r.points))
        domain_rules.append(PaperRule(r.topic_id, topics[r.topic_id].name, r.qtype, r.count,
                                      r.points))
    shortfalls = rule_shortfalls(domain_rules, available_counts(session, draft.exam_only_pool))
    if shortfalls:
        errors.setdefault("rules", []).extend(s + "，题库题目不足" for s in shortfalls)
    return rules


def _check_fixed(session: Session, draft: ExamDraft, errors: dict[str, list[str]]) -> list[ExamFixedQuestion]:
    codes = [c.strip().upper() for c in draft.fixed_codes if c.strip()]
    if not codes:
        errors.setdefault("fixed_codes", []).append("固定试卷至少需要一道题")
        return []
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        errors.setdefault("fixed_codes", []).append("题号重复：" + "、".join(duplicates))
    found = {q.code: q for q in session.scalars(select(Question).where(Question.code.in_(codes)))}
    missing = [c for c in codes if c not in found or found[c].retired]
    if missing:
        errors.setdefault("fixed_codes", []).append("题库中没有这些题号（或已停用）：" + "、".join(missing))
    if draft.fixed_points <= 0:
        errors.setdefault("fixed_points", []).append("每题分值必须大于 0")
    return [
        ExamFixedQuestion(question_id=found[c].id, position=n, points=draft.fixed_points)
        for n, c in enumerate(dict.fromkeys(codes), 1) if c in found
    ]


@dataclass
class CheckedDraft:
    """A draft that passed every check, with what it refers to loaded."""

    draft: ExamDraft
    rules: list[ExamRule]
    fixed: list[ExamFixedQuestion]
    units: list[OrgUnit]


def check_draft(session: Session, draft: ExamDraft, actor: User, now: datetime) -> CheckedDraft:
    """Validate everything at once; InvalidInput lists every problem by field."""
    errors: dict[str, list[str]] = {}

    def bad(fieldname: str, message: str) -> None:
        errors.setdefault(fieldname, []).append(message)

    if not draft.title.strip():
        bad("title", "请填写考试名称")
    if draft.kind not in EXAM_KINDS:
        bad("kind", "考试类型无效")
    if draft.closes_at <= draft.opens_at:
        bad("closes_at", "截止时间必须晚于开始时间")
    elif draft.closes_at <= now:
        bad("closes_at", "截止时间已过，请重新设置")
    if not 1 <= draft.duration_minutes <= MAX_EXAM_MINUTES:
        bad("duration_minutes", f"考试时长应在 1 到 {MAX_EXAM_MINUTES} 分钟之间")
    if draft.max_attempts < 1:
        bad("max_attempts", "允许作答次数至少为 1")
    if draft.review_policy not in REVIEW_POLICIES:
        bad("review_policy", "答案公布方式无效")
    if draft.multiple_scoring not in MULTIPLE_SCORING:
        bad("multiple_scoring", "多选题计分方式无效")
    if draft.counted_attempt not in CountedAttempt.labels():
        bad("counted_attempt", "成绩计算方式无效")
    units = scoped_units(session, draft.unit_ids, actor)
    if not draft.unit_ids:
        bad("unit_ids", "请至少选择一个参考单位")
    elif len(units) != len(set(draft.unit_ids)):
        bad("unit_ids", "只能选择本单位及下级单位")
    rules: list[ExamRule] = []
    fixed: list[ExamFixedQuestion] = []
    if draft.paper_mode == "random":
        rules = _check_rules(session, draft, errors)
        total = sum((r.points * r.count for r in rules), Decimal(0))
    elif draft.paper_mode == "fixed":
        fixed = _check_fixed(session, draft, errors)
        total = draft.fixed_points * len(fixed)
    else:
        bad("paper_mode", "组卷方式无效")
        total = Decimal(0)
    if draft.pass_mark < 0:
        bad("pass_mark", "及格分不能为负数")
    elif total and draft.pass_mark > total:
        bad("pass_mark", f"及格分 {draft.pass_mark} 超过了试卷总分 {total}")
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors)
    return CheckedDraft(draft, rules, fixed, units)


def apply_draft(exam: Exam, checked: CheckedDraft) -> None:
    """Every setting of the draft onto the exam (a new one, or one nobody has started)."""
    d = checked.draft
    exam.title, exam.kind, exam.description = d.title.strip(), d.kind, d.description.strip()
    exam.opens_at, exam.closes_at, exam.duration_minutes = d.opens_at, d.closes_at, d.duration_minutes
    exam.pass_mark, exam.max_attempts = d.pass_mark, d.max_attempts
    exam.shuffle_questions, exam.shuffle_options = d.shuffle_questions, d.shuffle_options
    exam.review_policy, exam.multiple_scoring = d.review_policy, d.multiple_scoring
    exam.paper_mode, exam.counted_attempt = d.paper_mode, d.counted_attempt
    exam.exam_only_pool = d.exam_only_pool
    exam.rules, exam.fixed_questions = checked.rules, checked.fixed
    exam.assigned_units = checked.units


def create_exam(session: Session, draft: ExamDraft, actor: User, now: datetime) -> Exam:
    """Validate everything at once and create the exam; InvalidInput lists every problem."""
    checked = check_draft(session, draft, actor, now)
    exam = Exam(owner_unit_id=actor.org_unit_id, created_by_id=actor.id, created_at=now,
                roster_mode=RosterMode.UNITS)
    apply_draft(exam, checked)
    session.add(exam)
    session.flush()
    record(session, "exam.create", now, actor.id, exam_id=exam.id, title=exam.title)
    return exam


def scoped_units(session: Session, unit_ids: list[int], actor: User) -> list[OrgUnit]:
    """The active units among `unit_ids` that lie in the actor's subtree."""
    if not unit_ids:
        return []
    return list(session.scalars(
        select(OrgUnit).where(OrgUnit.id.in_(set(unit_ids)), OrgUnit.active.is_(True),
                              OrgUnit.path.startswith(actor.org_unit.path))
    ))


def get_exam(session: Session, exam_id: int) -> Exam:
    exam = session.get(Exam, exam_id)
    if exam is None:
        raise NotFound("考试不存在")
    return exam


def managed_exam(session: Session, exam_id: int, actor: User) -> Exam:
    """An exam the trainer/admin may see: one owned by a unit in their subtree."""
    exam = get_exam(session, exam_id)
    owner = session.get(OrgUnit, exam.owner_unit_id)
    if owner is None or not actor.org_unit.contains(owner):
        raise NotAllowed("该考试不属于您管理的单位")
    return exam


def managed_exams(session: Session, actor: User) -> list[Exam]:
    return list(session.scalars(
        select(Exam).join(OrgUnit, OrgUnit.id == Exam.owner_unit_id)
        .where(OrgUnit.path.startswith(actor.org_unit.path))
        .order_by(Exam.opens_at.desc())
    ))


@dataclass(frozen=True)
class ExamProgress:
    expected: int
    finished: int
    passed: int
    in_progress: int
    open_user_ids: frozenset[int] = frozenset()  # who has an attempt open now

    @property
    def participation_rate(self) -> float:
        return self.finished / self.expected if self.expected else 0.0


def exam_progress(session: Session, exam: Exam) -> tuple[ExamProgress, list[tuple[RosterEntry, Attempt | None]]]:
    """Counts for the trainer's overview over the exam's 应考 list, and each entry's counted attempt."""
    entries = roster(session, exam)
    attempts = session.scalars(select(Attempt).where(Attempt.exam_id == exam.id)
                               .order_by(Attempt.attempt_no)).all()
    counted: dict[int, Attempt] = {}
    open_ids: set[int] = set()
    for a in attempts:
        if a.status == "in_progress":
            open_ids.add(a.user_id)
        elif a.score is not None and (
                a.user_id not in counted or exam.counted_attempt == CountedAttempt.LAST
                or a.score > (counted[a.user_id].score or 0)):
            counted[a.user_id] = a
    expected = {e.user.id for e in entries if e.expected}
    progress = ExamProgress(
        expected=len(expected),
        finished=sum(1 for uid in counted if uid in expected),
        passed=sum(1 for uid, a in counted.items() if uid in expected and a.passed),
        in_progress=len(open_ids & expected),
        open_user_ids=frozenset(open_ids),
    )
    return progress, [(e, counted.get(e.user.id)) for e in entries]


def count_attempts(session: Session, exam_id: int, user_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Attempt)
        .where(Attempt.exam_id == exam_id, Attempt.user_id == user_id)
    ) or 0
