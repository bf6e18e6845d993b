"""Composing and scheduling exams, and who must take them (应考)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from ..domain.paper import PaperRule, rule_shortfalls
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
    ExamUnit,
    Exemption,
    OrgUnit,
    Question,
    Topic,
    User,
)
from .audit import record
from .bank import available_counts


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
    shortfalls = rule_shortfalls(domain_rules, available_counts(session))
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


def create_exam(session: Session, draft: ExamDraft, actor: User, now: datetime) -> Exam:
    """Validate everything at once and create the exam; InvalidInput lists every problem."""
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
    if not 1 <= draft.duration_minutes <= 24 * 60:
        bad("duration_minutes", "考试时长应在 1 到 1440 分钟之间")
    if draft.max_attempts < 1:
        bad("max_attempts", "允许作答次数至少为 1")
    if draft.review_policy not in REVIEW_POLICIES:
        bad("review_policy", "答案公布方式无效")
    if draft.multiple_scoring not in MULTIPLE_SCORING:
        bad("multiple_scoring", "多选题计分方式无效")
    units = _scoped_units(session, draft.unit_ids, actor)
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
    exam = Exam(
        title=draft.title.strip(), kind=draft.kind, description=draft.description.strip(),
        opens_at=draft.opens_at, closes_at=draft.closes_at,
        duration_minutes=draft.duration_minutes, pass_mark=draft.pass_mark,
        max_attempts=draft.max_attempts, shuffle_questions=draft.shuffle_questions,
        shuffle_options=draft.shuffle_options, review_policy=draft.review_policy,
        multiple_scoring=draft.multiple_scoring, paper_mode=draft.paper_mode,
        owner_unit_id=actor.org_unit_id, created_by_id=actor.id, created_at=now,
        rules=rules, fixed_questions=fixed, assigned_units=units,
    )
    session.add(exam)
    session.flush()
    record(session, "exam.create", now, actor.id, exam_id=exam.id, title=exam.title)
    return exam


def _scoped_units(session: Session, unit_ids: list[int], actor: User) -> list[OrgUnit]:
    if not unit_ids:
        return []
    return list(session.scalars(
        select(OrgUnit).where(OrgUnit.id.in_(set(unit_ids)),
                              OrgUnit.path.startswith(actor.org_unit.path))
    ))


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def exams_assigned_to(session: Session, user: User) -> list[Exam]:
    """Exams assigned to the user's unit or any unit above it, unless the user is exempt."""
    exempt = exists().where(Exemption.exam_id == Exam.id, Exemption.user_id == user.id)
    return list(session.scalars(
        select(Exam)
        .join(ExamUnit, ExamUnit.exam_id == Exam.id)
        .where(ExamUnit.org_unit_id.in_(_ancestor_ids(user.org_unit)), ~exempt)
        .distinct()
        .order_by(Exam.closes_at.desc())
    ))


def must_take(session: Session, exam: Exam, user: User) -> bool:
    return user.active and user.role == "cadre" and exam in exams_assigned_to(session, user)


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


def expected_examinees(session: Session, exam: Exam) -> list[User]:
    """应考: active cadres in the assigned units' subtrees, minus exemptions, as of now."""
    paths = [u.path for u in exam.assigned_units]
    if not paths:
        return []
    exempt = select(Exemption.user_id).where(Exemption.exam_id == exam.id)
    return list(session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(or_(*[OrgUnit.path.startswith(p) for p in paths]))
        .where(User.active.is_(True), User.role == "cadre", User.id.not_in(exempt))
        .order_by(OrgUnit.path, User.username)
    ))


@dataclass(frozen=True)
class ExamProgress:
    expected: int
    finished: int
    passed: int
    in_progress: int

    @property
    def participation_rate(self) -> float:
        return self.finished / self.expected if self.expected else 0.0


def exam_progress(session: Session, exam: Exam) -> tuple[ExamProgress, list[tuple[User, Attempt | None]]]:
    """Counts for the trainer's overview, and each examinee with their best finished attempt."""
    examinees = expected_examinees(session, exam)
    attempts = session.scalars(select(Attempt).where(Attempt.exam_id == exam.id)).all()
    best: dict[int, Attempt] = {}
    open_ids: set[int] = set()
    for a in attempts:
        if a.status == "in_progress":
            open_ids.add(a.user_id)
        elif a.user_id not in best or (a.score or 0) > (best[a.user_id].score or 0):
            best[a.user_id] = a
    ids = {u.id for u in examinees}
    progress = ExamProgress(
        expected=len(examinees),
        finished=sum(1 for uid in best if uid in ids),
        passed=sum(1 for uid, a in best.items() if uid in ids and a.passed),
        in_progress=len(open_ids & ids),
    )
    return progress, [(u, best.get(u.id)) for u in examinees]


def count_attempts(session: Session, exam_id: int, user_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Attempt)
        .where(Attempt.exam_id == exam_id, Attempt.user_id == user_id)
    ) or 0
