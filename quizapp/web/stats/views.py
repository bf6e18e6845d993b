"""The dashboard, the people behind each number, the 未参考名单 and the item analysis."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app, render_template, request
from flask_login import current_user

from ...clock import format_local, now, to_local
from ...db import get_session
from ...domain import statistics as st
from ...domain.vocab import Category
from ...models import OrgUnit
from ...services import statistics as stats_service
from ...services import units as unit_service
from ...services.report import Report, build_report
from ..access import roles_required
from ..lazy import prepare_statistics
from ..params import arg_id
from . import bp


@dataclass(frozen=True)
class StatsQuery:
    """What the pages are filtered by: a year, or one exam; the scope, or a unit in it."""

    year: int
    exam_id: int | None
    unit: OrgUnit | None

    def args(self, **extra: object) -> dict[str, object]:
        found: dict[str, object] = {"year": self.year}
        if self.exam_id:
            found["exam"] = self.exam_id
        if self.unit is not None:
            found["unit"] = self.unit.id
        found.update({k: v for k, v in extra.items() if v not in (None, "")})
        return found


def stats_query() -> StatsQuery:
    year = request.args.get("year", type=int)
    if year is None or not 2000 <= year <= 2100:
        year = to_local(now()).year
    unit_id = arg_id("unit")
    unit = unit_service.scoped_unit(get_session(), unit_id, current_user) if unit_id else None
    return StatsQuery(year, arg_id("exam"), unit)


def settings() -> tuple[Decimal, int]:
    """The 参考率 target (%) and the 优秀 threshold (百分制) the office set."""
    return Decimal(current_app.config["STATS_TARGET_PERCENT"]), int(current_app.config["EXCELLENT_PERCENT"])


def report_for(q: StatsQuery, with_questions: bool = False) -> Report:
    prepare_statistics()
    target, excellent = settings()
    return build_report(get_session(), current_user.org_unit, q.year, now(), exam_id=q.exam_id, unit=q.unit,
                        target=target, excellent_percent=excellent, with_questions=with_questions)


def chart_data(report: Report) -> dict[str, str]:
    """The dashboard's three charts as JSON for static/js/stats.js (no inline script)."""
    top = [line for line in report.units if line.depth == 1]
    units = {"labels": [line.unit.name for line in top],
             "values": [float(line.figures.participation_rate or 0) for line in top],
             "links": [line.unit.id for line in top], "target": float(report.target)}
    bands = {"labels": [label for _, _, label in st.BANDS], "values": list(report.overall.bands)}
    weakest = [t for t in report.topics if t.correct_rate is not None][:8]
    topics = {"labels": [t.topic for t in weakest], "values": [float(t.correct_rate or 0) for t in weakest]}
    return {name: json.dumps(value, ensure_ascii=False) for name, value in
            (("units", units), ("bands", bands), ("topics", topics))}


@bp.route("/")
@roles_required("trainer", "admin")
def dashboard() -> str:
    q = stats_query()
    report = report_for(q)
    session = get_session()
    return render_template(
        "stats/dashboard.html", q=q, report=report, charts=chart_data(report),
        years=stats_service.years_with_exams(session, current_user.org_unit) or [q.year],
        exams=stats_service.exams_of_year(session, current_user.org_unit, q.year, now()),
        units=unit_service.unit_rows(session, current_user.org_unit), bands=st.BANDS, pct=st.percent_text,
        score=st.score_text, who_labels=st.WHO_LABELS)


@bp.route("/people")
@roles_required("trainer", "admin")
def people() -> str:
    """The people behind one number of the dashboard."""
    q = stats_query()
    who = request.args.get("who", "expected")
    if who not in st.WHO:
        who = "expected"
    category = request.args.get("category")
    leader = request.args.get("leader") == "1"
    report = report_for(q)
    facts = report.collected.facts
    if category in Category.labels():
        facts = [f for f in facts if f.category == category]
    if leader:
        facts = [f for f in facts if f.is_leader]
    _, excellent = settings()
    shown = st.people_behind(facts, who, excellent)
    return render_template("stats/people.html", q=q, report=report, facts=shown, who=who,
                           who_label=st.WHO_LABELS[who], category=category, leader=leader,
                           category_labels=Category.labels(), score=st.score_text)


@bp.route("/missing")
@roles_required("trainer", "admin")
def missing() -> str:
    """未参考名单 by unit, live while an exam is open, to chase people."""
    q = stats_query()
    report = report_for(q)
    session = get_session()
    facts = report.missing
    groups = st.by_key(facts, lambda f: f.unit_path[-1])
    ordered = sorted(groups.items(), key=lambda kv: [int(p) for p in report.collected.units[kv[0]].tree_path
                                                     .strip("/").split("/")] if kv[0] in report.collected.units else [])
    return render_template("stats/missing.html", q=q, report=report, facts=facts, groups=ordered,
                           years=stats_service.years_with_exams(session, current_user.org_unit) or [q.year],
                           exams=stats_service.exams_of_year(session, current_user.org_unit, q.year, now()),
                           units=unit_service.unit_rows(session, current_user.org_unit),
                           now_text=format_local(now()))


@bp.route("/items")
@roles_required("trainer", "admin")
def items() -> str:
    """Per topic and per question: correct rates and the item analysis, with flags."""
    q = stats_query()
    report = report_for(q, with_questions=True)
    flagged_only = request.args.get("flagged") == "1"
    questions = [x for x in report.questions or [] if x.stats.flags or not flagged_only]
    session = get_session()
    return render_template("stats/items.html", q=q, report=report, questions=questions,
                           flagged_only=flagged_only, pct=st.percent_text,
                           years=stats_service.years_with_exams(session, current_user.org_unit) or [q.year],
                           exams=stats_service.exams_of_year(session, current_user.org_unit, q.year, now()),
                           units=unit_service.unit_rows(session, current_user.org_unit))
