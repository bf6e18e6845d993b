"""The facts behind every figure, read from the database in a handful of queries (never one per
person or per exam), for the pages, the exports and the report alike.

What counts as which figure is domain.statistics; this module only gathers the facts: each
exam's frozen 应考 list, its exemptions, and the attempt that counts for each person.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from ..domain.standing import AttemptSummary, counted_attempt
from ..domain.statistics import Fact, ItemStats, correct_rate, item_stats
from ..domain.vocab import RosterMode
from ..models import (
    Attempt,
    AttemptItem,
    Exam,
    ExamExaminee,
    Exemption,
    OrgUnit,
    Question,
    QuestionVersion,
    Topic,
    User,
)
from .examinees import freeze_due_rosters, roster
from .units import UnitRow, unit_rows

LOCAL = timedelta(hours=8)  # China: every year and date people read is UTC+8


@dataclass(frozen=True)
class ExamInfo:
    id: int
    title: str
    kind: str
    kind_label: str
    opens_at: datetime
    closes_at: datetime
    frozen_at: datetime | None
    full_marks: Decimal
    pass_mark: Decimal
    makeup_of_id: int | None
    audience: str  # who it was for, as a report says it


@dataclass(frozen=True)
class Person:
    id: int
    full_name: str
    username: str
    position: str
    active: bool


@dataclass
class Collected:
    """Everything the figures of a year (or one exam) are made of."""

    exams: list[ExamInfo]
    facts: list[Fact]
    people: dict[int, Person]
    units: dict[int, UnitRow]
    unit: UnitRow | None  # the unit the figures were narrowed to, if any

    def exam(self, exam_id: int) -> ExamInfo:
        return self._by_id[exam_id]

    @cached_property
    def _by_id(self) -> dict[int, ExamInfo]:  # looked up once per row of 100,000-row tables
        return {e.id: e for e in self.exams}


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The local calendar year as naive UTC."""
    return datetime(year, 1, 1) - LOCAL, datetime(year + 1, 1, 1) - LOCAL


def exams_of_year(session: Session, scope: OrgUnit | None, year: int, now: datetime) -> list[Exam]:
    """Exams that opened in the year (local time) and were set by a unit in the scope."""
    start, end = year_bounds(year)
    query = select(Exam).join(OrgUnit, OrgUnit.id == Exam.owner_unit_id).where(
        Exam.opens_at >= start, Exam.opens_at < end, Exam.opens_at <= now)
    if scope is not None:
        query = query.where(OrgUnit.path.startswith(scope.path))
    return list(session.scalars(query.order_by(Exam.opens_at, Exam.id)))


def years_with_exams(session: Session, scope: OrgUnit | None) -> list[int]:
    query = select(Exam.opens_at).join(OrgUnit, OrgUnit.id == Exam.owner_unit_id)
    if scope is not None:
        query = query.where(OrgUnit.path.startswith(scope.path))
    return sorted({(at + LOCAL).year for at in session.scalars(query)}, reverse=True)


def _info(exam: Exam) -> ExamInfo:
    from ..models import EXAM_KINDS

    if exam.roster_mode == RosterMode.LISTED:
        audience = "指定的补考人员"
    else:
        names = [u.name for u in exam.assigned_units]
        audience = f"{names[0]}全体干部职工" if len(names) == 1 else "、".join(names) + "干部职工"
    return ExamInfo(exam.id, exam.title, exam.kind, EXAM_KINDS[exam.kind], exam.opens_at, exam.closes_at,
                    exam.roster_frozen_at, exam.total_points, exam.pass_mark, exam.makeup_of_id, audience)


def collect(session: Session, exams: list[Exam], unit: OrgUnit | None = None) -> Collected:
    """The facts of these exams, narrowed to one unit and everything below it when `unit` is
    given. A handful of queries whatever the number of people (an exam that opened but has not
    had its list taken yet costs one more: `prepare` takes them first)."""
    exam_ids = [e.id for e in exams]
    units = {r.id: r for r in unit_rows(session)}
    paths = {uid: tuple(int(p) for p in r.tree_path.strip("/").split("/")) for uid, r in units.items()}
    # Plain column rows through the connection: the ORM's row handling costs more than the query
    # itself when an exam has thousands of people.
    db = session.connection()
    rows: list[tuple[int, int, int, str, bool, datetime | None]] = list(db.execute(
        select(ExamExaminee.exam_id, ExamExaminee.user_id, ExamExaminee.org_unit_id, ExamExaminee.category,
               ExamExaminee.is_leader, ExamExaminee.left_at)
        .where(ExamExaminee.exam_id.in_(exam_ids))).all()) if exam_ids else []
    stored = len(rows)
    for exam in exams:  # opened, but its list not taken yet: the list it would take now
        if exam.roster_frozen_at is None and exam.roster_mode == RosterMode.UNITS:
            rows += [(exam.id, e.user.id, e.unit_id, e.category, e.is_leader, None) for e in roster(session, exam)]
    excused = {(e, u) for e, u in session.execute(
        select(Exemption.exam_id, Exemption.user_id).where(Exemption.exam_id.in_(exam_ids)))} if exam_ids else set()
    attempts: dict[tuple[int, int], list[AttemptSummary]] = defaultdict(list)
    for exam_id, user_id, status, score, passed in db.execute(
            select(Attempt.exam_id, Attempt.user_id, Attempt.status, Attempt.score, Attempt.passed)
            .where(Attempt.exam_id.in_(exam_ids)).order_by(Attempt.attempt_no)).all() if exam_ids else []:
        attempts[(exam_id, user_id)].append(AttemptSummary(status, score, passed))
    rules = {e.id: e.counted_attempt for e in exams}
    infos = {e.id: _info(e) for e in exams}
    facts = []
    for exam_id, user_id, unit_id, category, leader, left_at in rows:
        tried = attempts.get((exam_id, user_id), [])
        which = counted_attempt(tried, rules[exam_id])
        status = "exempt" if (exam_id, user_id) in excused else ("left" if left_at is not None else "expected")
        facts.append(Fact(
            exam_id=exam_id, user_id=user_id, unit_path=paths.get(unit_id, (unit_id,)), category=category,
            is_leader=leader, status=status,
            score=tried[which].score if which is not None else None,
            passed=tried[which].passed if which is not None else None,
            full_marks=infos[exam_id].full_marks,
            in_progress=any(a.status == "in_progress" for a in tried)))
    narrowed = units.get(unit.id) if unit is not None else None
    if unit is not None:
        facts = [f for f in facts if unit.id in f.unit_path]
    # The people of the stored lists by a subquery: an IN list of 5,000 ids costs more to build
    # than the query takes. Lists not taken yet are few and short: their ids are added.
    listed = select(ExamExaminee.user_id).where(ExamExaminee.exam_id.in_(exam_ids))
    unlisted = {row[1] for row in rows[stored:]}
    people = {p.id: p for p in (Person(*row) for row in db.execute(
        select(User.id, User.full_name, User.username, User.position, User.active)
        .where(User.id.in_(listed) | User.id.in_(unlisted))))} if facts else {}
    return Collected([infos[i] for i in exam_ids], facts, people, units, narrowed)


def prepare(session: Session, now: datetime) -> int:
    """Take the lists of exams that have opened, so that figures read stored rows only."""
    return freeze_due_rosters(session, now)


# ---- topics and questions -------------------------------------------------------------------

@dataclass(frozen=True)
class TopicMastery:
    topic: str
    answered: int  # items answered in finished attempts
    correct_rate: Decimal | None


@dataclass(frozen=True)
class QuestionAnalysis:
    question_id: int
    code: str
    topic: str
    stem: str
    answered: int
    correct_rate: Decimal | None  # over every finished attempt
    stats: ItemStats  # first attempts only


@dataclass
class ItemTotals:
    """What the attempts of the figures' people earned on each question, summed in SQL."""

    answered: dict[int, int]  # question -> items answered in finished attempts
    earned: dict[int, Decimal]
    possible: dict[int, Decimal]
    first: dict[int, list[tuple[float, float, int]]]  # question -> (item fraction, rest, count)
    topic: dict[int, str] = field(default_factory=dict)  # question -> its topic's name


def _items_query(exam_ids: list[int], people: set[int] | None,
                 *columns: ColumnElement[Any] | QueryableAttribute[Any]) -> Select[*tuple[Any, ...]]:
    # Grouped by the version each item showed, not its question: a join to question_versions
    # would be made for each of millions of rows; versions map to questions afterwards.
    query = (select(*columns).select_from(AttemptItem).join(Attempt, Attempt.id == AttemptItem.attempt_id)
             .where(Attempt.exam_id.in_(exam_ids), Attempt.status != "in_progress",
                    AttemptItem.earned.is_not(None)))
    if people is not None:
        query = query.where(Attempt.user_id.in_(people))
    return query


def item_totals(session: Session, exam_ids: list[int], people: set[int] | None = None,
                first_attempts: bool = True) -> ItemTotals:
    """Every answered item of these exams (millions of rows in a county's year), of `people`
    only when given (a report narrowed to one unit), read in one grouped query: per question totals, and (for the item analysis) for first attempts the
    counts of each (item fraction, rest of test). One pass, because on SQLite the grouping sort
    costs far more than the scan, and a second query would sort the same rows again."""
    totals = ItemTotals({}, {}, {}, defaultdict(list))
    if not exam_ids:
        return totals
    # With the item analysis, one group per (item's score, attempt's score) of first attempts and
    # the rest; without it, one per version, which sorts faster.
    item = AttemptItem.question_version_id
    detail = (Attempt.attempt_no == 1, AttemptItem.earned, AttemptItem.points, Attempt.score) \
        if first_attempts else ()
    grouped = session.connection().execute(_items_query(
        exam_ids, people, item, func.count(), func.sum(AttemptItem.earned), func.sum(AttemptItem.points), *detail)
        .group_by(item, *detail)).all()
    question_of: dict[int, int] = {}
    for vid, qid, topic in session.execute(
            select(QuestionVersion.id, QuestionVersion.question_id, Topic.name)
            .join(Question, Question.id == QuestionVersion.question_id).join(Topic, Topic.id == Question.topic_id)
            .where(QuestionVersion.id.in_({row[0] for row in grouped}))):
        question_of[vid], totals.topic[qid] = qid, topic
    for vid, n, earned, possible, *attempt in grouped:  # attempt: its detail columns, if asked for
        qid = question_of[vid]
        totals.answered[qid] = totals.answered.get(qid, 0) + n
        totals.earned[qid] = totals.earned.get(qid, Decimal(0)) + Decimal(earned)
        totals.possible[qid] = totals.possible.get(qid, Decimal(0)) + Decimal(possible)
        if not attempt:
            continue
        first, item_earned, points, score = attempt
        if first:
            # The same (fraction, rest) twice, under two versions of a question or two point
            # values: two weighted entries, which item_stats counts exactly as one.
            totals.first[qid].append((float(item_earned) / float(points), float(score - item_earned), n))
    return totals


def topic_mastery(totals: ItemTotals) -> list[TopicMastery]:
    """Each topic's correct rate over the finished attempts of the people counted, weakest first."""
    if not totals.answered:
        return []
    answered: dict[str, int] = defaultdict(int)
    earned: dict[str, Decimal] = defaultdict(Decimal)
    possible: dict[str, Decimal] = defaultdict(Decimal)
    for qid, n in totals.answered.items():
        name = totals.topic[qid]
        answered[name] += n
        earned[name] += totals.earned[qid]
        possible[name] += totals.possible[qid]
    found = [TopicMastery(name, answered[name], correct_rate(earned[name], possible[name])) for name in answered]
    return sorted(found, key=lambda t: (t.correct_rate is None, t.correct_rate or 0, t.topic))


def question_analysis(session: Session, totals: ItemTotals) -> list[QuestionAnalysis]:
    """Per question: the correct rate over every finished attempt, and Moodle's item analysis
    over first attempts (the attempt's score without the item is the 'rest of the test')."""
    if not totals.answered:
        return []
    meta = {qid: (code, topic, stem) for qid, code, topic, stem in session.execute(
        select(Question.id, Question.code, Topic.name, QuestionVersion.stem)
        .join(Topic, Topic.id == Question.topic_id)
        .join(QuestionVersion, and_(QuestionVersion.question_id == Question.id,
                                    QuestionVersion.version_no == Question.latest_version))
        .where(Question.id.in_(list(totals.answered))))}
    return sorted(
        (QuestionAnalysis(qid, *meta[qid], n, correct_rate(totals.earned[qid], totals.possible[qid]),
                          item_stats(totals.first.get(qid, []))) for qid, n in totals.answered.items()),
        key=lambda q: (q.correct_rate is None, q.correct_rate or 0, q.code))


def flagged_codes(session: Session, scope: OrgUnit | None, year: int, now: datetime, flag: str) -> frozenset[str]:
    """Codes of the questions the item analysis of the year's exams flags (过易, 过难, 区分度为负)."""
    totals = item_totals(session, [e.id for e in exams_of_year(session, scope, year, now)])
    return frozenset(q.code for q in question_analysis(session, totals) if flag in q.stats.flags)
