"""A year's figures for a unit, put together once for the dashboard, the exports and the report.

The same `Figures` feed the HTML preview, the .docx, the .xlsx and the CSV files: nothing is
counted twice in two places.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from sqlalchemy.orm import Session

from ..domain import statistics as st
from ..domain.report import ExamLine, ReportData, WeakTopic
from ..domain.vocab import Category
from ..models import Exam, OrgUnit
from ..snapshot import twin_session
from .statistics import (
    LOCAL,
    Collected,
    QuestionAnalysis,
    TopicMastery,
    collect,
    exams_of_year,
    item_totals,
    question_analysis,
    topic_mastery,
)
from .units import UnitRow

DEFAULT_TARGET = Decimal(100)  # 参考率 target, %
WEAKEST = 3

# Topic mastery, and the item analysis when asked for: summed from every answered item.
ItemFigures = tuple[list[TopicMastery], list[QuestionAnalysis] | None]


@dataclass(frozen=True)
class UnitLine:
    unit: UnitRow
    depth: int
    figures: st.Figures


@dataclass
class Report:
    year: int
    scope: UnitRow | None
    generated_at: datetime  # naive UTC
    collected: Collected
    overall: st.Figures
    by_exam: dict[int, st.Figures]
    units: list[UnitLine]
    leaders: st.Figures
    categories: list[tuple[str, st.Figures]]
    target: Decimal
    excellent_percent: int
    item_figures: Callable[[], ItemFigures] = field(repr=False)  # waits for them when still being summed

    @cached_property
    def topics(self) -> list[TopicMastery]:
        return self.item_figures()[0]

    @cached_property
    def questions(self) -> list[QuestionAnalysis] | None:
        return self.item_figures()[1]

    @property
    def scope_name(self) -> str:
        return self.scope.name if self.scope else "全部单位"

    @property
    def missing(self) -> list[st.Fact]:
        return st.people_behind(self.collected.facts, "missing")

    def data(self) -> ReportData:
        """What the narrative is written from."""
        lines = [ExamLine(e.title, e.kind, e.opens_at + LOCAL, e.closes_at + LOCAL, e.audience,
                          self.by_exam[e.id]) for e in self.collected.exams]
        below = [(line.unit.name, line.figures.participation_rate) for line in self.units
                 if line.depth == 1 and line.figures.participation_rate is not None
                 and line.figures.participation_rate < self.target]
        weak = [WeakTopic(t.topic, t.correct_rate) for t in self.topics[:WEAKEST] if t.correct_rate is not None]
        return ReportData(self.year, self.scope_name, lines, self.overall, self.leaders, below, self.target, weak)

    def sources(self) -> list[str]:
        """From which 应考 lists the figures come: for the report's last lines."""
        lines = []
        for e in self.collected.exams:
            size = sum(1 for f in self.collected.facts if f.exam_id == e.id)
            taken = f"{(e.frozen_at + LOCAL):%Y-%m-%d %H:%M}" if e.frozen_at else "未生成"
            lines.append(f"“{e.title}”应考名单（{taken}考试开放时生成，{size}人）")
        return lines


def build_report(session: Session, scope: OrgUnit | None, year: int, now: datetime, *,
                 exam_id: int | None = None, unit: OrgUnit | None = None,
                 target: Decimal = DEFAULT_TARGET, excellent_percent: int = st.EXCELLENT_PERCENT,
                 with_questions: bool = True) -> Report:
    """The year's figures (or one exam's) for the scope, narrowed to `unit` when given.

    `session` must not have written anything: the report reads one snapshot of the database,
    on two connections when it can (see `twin_session`)."""
    twin = twin_session(session)
    item_figures: Callable[[], ItemFigures] | None = None  # once set, the twin is its thread's
    try:
        exams = _one(session, exam_id, scope) if exam_id is not None else exams_of_year(session, scope, year, now)
        exam_ids = [e.id for e in exams]
        if unit is None:  # everyone's items: summed from the start
            item_figures = _item_figures_alongside(twin, session, exam_ids, None, with_questions)
        collected = collect(session, exams, unit)
        if item_figures is None:  # one unit's: its people are known now
            item_figures = _item_figures_alongside(twin, session, exam_ids, {f.user_id for f in collected.facts},
                                                   with_questions)
    except BaseException:
        if twin is not None and item_figures is None:
            twin.close()
        raise
    facts = collected.facts
    root = unit or scope or _only_root(session)
    root_depth = root.path.count("/") - 1 if root is not None else 1
    groups = st.by_unit(facts)
    lines = []
    for unit_id, group in groups.items():
        row = collected.units.get(unit_id)
        depth = row.tree_path.count("/") - 1 - root_depth if row else 0
        if row is not None and depth >= 0:
            lines.append(UnitLine(row, depth, st.figures(group, excellent_percent)))
    lines.sort(key=lambda line: [int(p) for p in line.unit.tree_path.strip("/").split("/")])
    by_category = st.by_key(facts, lambda f: f.category)
    categories = [(label, st.figures(by_category[code], excellent_percent))
                  for code, label in Category.labels().items() if code in by_category]
    per_exam = st.by_key(facts, lambda f: f.exam_id)
    by_exam = {e.id: st.figures(per_exam.get(e.id, []), excellent_percent) for e in collected.exams}
    return Report(
        year=year, scope=collected.units.get(root.id) if root is not None else None, generated_at=now,
        collected=collected, overall=st.figures(facts, excellent_percent), by_exam=by_exam, units=lines,
        leaders=st.figures([f for f in facts if f.is_leader], excellent_percent), categories=categories,
        target=target, excellent_percent=excellent_percent, item_figures=item_figures)


def _item_figures(session: Session, exam_ids: list[int], people: set[int] | None,
                  with_questions: bool) -> ItemFigures:
    totals = item_totals(session, exam_ids, people, first_attempts=with_questions)
    return topic_mastery(totals), question_analysis(session, totals) if with_questions else None


def _item_figures_alongside(twin: Session | None, session: Session, exam_ids: list[int], people: set[int] | None,
                            with_questions: bool) -> Callable[[], ItemFigures]:
    """The item figures, summed in a thread on the twin (closed when done) while the caller
    collects the people's figures and writes their tables: at a county's scale the grouping of
    millions of answered items takes seconds, and the database does it in C or in its own
    process, beside Python's work. Without a twin they are summed on `session`, here and now."""
    if twin is None:
        done = _item_figures(session, exam_ids, people, with_questions)
        return lambda: done

    def work() -> ItemFigures:
        try:
            return _item_figures(twin, exam_ids, people, with_questions)
        finally:
            twin.close()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-items")
    future = pool.submit(work)
    pool.shutdown(wait=False)  # the thread ends with its one task
    return future.result


def _one(session: Session, exam_id: int, scope: OrgUnit | None) -> list[Exam]:
    exam = session.get(Exam, exam_id)
    if exam is None:
        return []
    owner = session.get(OrgUnit, exam.owner_unit_id)
    return [exam] if owner is not None and (scope is None or scope.contains(owner)) else []


def _only_root(session: Session) -> OrgUnit | None:
    """The top unit when the install has one (a township): the report speaks for it."""
    from sqlalchemy import select

    roots = session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).limit(2)).all()
    return roots[0] if len(roots) == 1 else None
