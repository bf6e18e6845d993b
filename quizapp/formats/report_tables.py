"""The report's tables as rows of cells, the same for .xlsx, .csv and .docx.

Counts are numbers; rates are written as reports write them (96.55%); scores to two decimals.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ..domain import statistics as st
from ..domain.vocab import Category

if TYPE_CHECKING:
    from ..services.report import Report

LOCAL = timedelta(hours=8)

Row = list[object]


@dataclass(frozen=True)
class Table:
    name: str
    headers: list[str]
    rows: list[Row]


FIGURE_HEADERS = ["应考", "免考", "实考", "参考率", "合格", "合格率", "优秀率", "平均分", "最高分", "最低分"]


def figure_cells(f: st.Figures) -> Row:
    return [f.expected, f.exempt, f.taken, st.percent_text(f.participation_rate), f.passed,
            st.percent_text(f.pass_rate), st.percent_text(f.excellent_rate), st.score_text(f.mean),
            st.score_text(f.high), st.score_text(f.low)]


def summary(report: Report) -> Table:
    rows: list[Row] = [[e.title, f"{(e.opens_at + LOCAL):%Y-%m-%d}至{(e.closes_at + LOCAL):%Y-%m-%d}",
                        *figure_cells(report.by_exam[e.id])] for e in report.collected.exams]
    rows.append(["合计（人次）", "", *figure_cells(report.overall)])
    return Table("汇总", ["考试", "时间", *FIGURE_HEADERS], rows)


def units(report: Report) -> Table:
    rows: list[Row] = [["　" * line.depth + line.unit.name, line.unit.path, *figure_cells(line.figures)]
                       for line in report.units]
    return Table("分单位", ["单位", "单位路径", *FIGURE_HEADERS], rows)


def leaders(report: Report) -> Table:
    rows: list[Row] = []
    for e in report.collected.exams:
        facts = [f for f in report.collected.facts if f.exam_id == e.id and f.is_leader]
        rows.append([e.title, *figure_cells(st.figures(facts, report.excellent_percent))])
    rows.append(["合计（人次）", *figure_cells(report.leaders)])
    return Table("领导干部", ["考试", *FIGURE_HEADERS], rows)


def categories(report: Report) -> Table:
    return Table("分人员类别", ["人员类别", *FIGURE_HEADERS],
                 [[label, *figure_cells(f)] for label, f in report.categories])


STATUS_WORDS = {"expected": "应考", "exempt": "免考/缓考", "left": "调离或离职"}


def _person_cells(report: Report, f: st.Fact) -> Row:
    person = report.collected.people.get(f.user_id)
    unit = report.collected.units.get(f.unit_path[-1])
    return [report.collected.exam(f.exam_id).title, unit.path if unit else "", person.full_name if person else "",
            person.username if person else "", person.position if person else "",
            Category(f.category).label, "是" if f.is_leader else "否"]


def people(report: Report) -> Table:
    rows: list[Row] = []
    for f in report.collected.facts:
        result = ("正在作答" if f.in_progress else "未参考") if f.expected and not f.taken else ""
        if f.taken:
            result = "合格" if f.passed else "不合格"
        rows.append([*_person_cells(report, f), STATUS_WORDS[f.status],
                     st.score_text(f.score) if f.score is not None else "", result])
    return Table("人员成绩", ["考试", "单位", "姓名", "账号", "职务", "人员类别", "领导干部", "名单状态",
                          "成绩", "结果"], rows)


def missing(report: Report) -> Table:
    rows: list[Row] = [[*_person_cells(report, f), "正在作答" if f.in_progress else "未作答"]
                       for f in report.missing]
    return Table("未参考名单", ["考试", "单位", "姓名", "账号", "职务", "人员类别", "领导干部", "情况"], rows)


def topics(report: Report) -> Table:
    return Table("专题掌握", ["专题", "作答题次", "正确率"],
                 [[t.topic, t.answered, st.percent_text(t.correct_rate)] for t in report.topics])


def questions(report: Report) -> Table:
    rows: list[Row] = [[q.code, q.topic, q.stem, q.answered, st.percent_text(q.correct_rate),
                        q.stats.count, st.percent_text(q.stats.facility), st.percent_text(q.stats.discrimination),
                        st.percent_text(q.stats.efficiency), "、".join(q.stats.flags)]
                       for q in report.questions or []]
    return Table("题目分析", ["题号", "专题", "题干", "作答次数", "正确率", "首次作答人数", "难度系数（得分率）",
                          "区分度", "区分效率", "提示"], rows)


# The .xlsx sheets and .csv files, in order, by the name each table gives itself.
EXPORTS: dict[str, Callable[[Report], Table]] = {
    "汇总": summary, "分单位": units, "人员成绩": people, "未参考名单": missing, "专题掌握": topics, "题目分析": questions}
