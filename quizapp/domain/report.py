"""The narrative of the annual report's training section, written from figures the way
法治政府建设情况报告 write them: percentages to two decimals, counts with 人 or 人次.

Pure: figures in, sentences out. Every number comes from domain.statistics.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .statistics import Figures, percent_text, score_text

KIND_WORDS = {"law_study": "学法用法考试", "constitution": "宪法知识测试", "special": "专项测试"}


@dataclass(frozen=True)
class ExamLine:
    title: str
    kind: str
    opens_at: datetime  # local time
    closes_at: datetime  # local time
    audience: str  # 参考单位, e.g. "全乡干部职工"
    figures: Figures


@dataclass(frozen=True)
class WeakTopic:
    topic: str
    correct_rate: Decimal | None


@dataclass(frozen=True)
class ReportData:
    year: int
    scope: str  # the unit the section speaks for: 示例乡
    exams: Sequence[ExamLine]
    overall: Figures
    leaders: Figures
    below_target: Sequence[tuple[str, Decimal | None]]  # (unit, 参考率)
    target: Decimal
    weakest: Sequence[WeakTopic]


def day(value: datetime) -> str:
    return f"{value.month}月{value.day}日"


def span(start: datetime, end: datetime) -> str:
    if (start.year, start.month, start.day) == (end.year, end.month, end.day):
        return day(start)
    return f"{day(start)}至{day(end) if end.year == start.year else f'{end.year}年{day(end)}'}"


def count(n: int, unit: str) -> str:
    return f"{n}{unit}"


def overview(data: ReportData) -> str:
    """Which exams were held, when and for whom."""
    if not data.exams:
        return f"{data.year}年，{data.scope}未组织学法用法考试。"
    kinds = [KIND_WORDS[e.kind] for e in data.exams]
    held = "、".join(f"{k}{kinds.count(k)}场" for k in dict.fromkeys(kinds))
    each = "；".join(f"{span(e.opens_at, e.closes_at)}组织{e.audience}参加“{e.title}”，"
                     f"应考{count(e.figures.expected, '人')}，实考{count(e.figures.taken, '人')}，"
                     f"参考率{percent_text(e.figures.participation_rate)}"
                     for e in data.exams)
    return f"{data.year}年，{data.scope}共组织{held}：{each}。"


def totals(data: ReportData) -> str:
    f = data.overall
    text = (f"全年应考{count(f.expected, '人次')}，实考{count(f.taken, '人次')}，参考率{percent_text(f.participation_rate)}；"
            f"合格{count(f.passed, '人次')}，合格率{percent_text(f.pass_rate)}；"
            f"平均分{score_text(f.mean)}分")
    if f.exempt:
        text += f"；经批准免考、缓考{count(f.exempt, '人次')}，不计入应考"
    return text + "。"


def leaders(data: ReportData) -> str:
    f = data.leaders
    if not f.expected:
        return "本年度考试中无领导干部应考人员。"
    return (f"其中领导干部应考{count(f.expected, '人次')}，实考{count(f.taken, '人次')}，"
            f"参考率{percent_text(f.participation_rate)}，合格率{percent_text(f.pass_rate)}，"
            f"平均分{score_text(f.mean)}分。")


def units(data: ReportData) -> str:
    target = f"{data.target.normalize():f}%"
    if not data.below_target:
        return f"各单位参考率均达到{target}。"
    listed = "、".join(f"{name}（{percent_text(r)}）" for name, r in data.below_target)
    return f"参考率低于{target}的单位有{len(data.below_target)}个：{listed}。"


def problems(data: ReportData) -> list[str]:
    """One sentence per weak topic, for 存在的问题."""
    return [f"干部对{t.topic}相关内容掌握还不够扎实，考试中该专题题目正确率为{percent_text(t.correct_rate)}。"
            for t in data.weakest]


def next_steps(data: ReportData) -> list[str]:
    """One sentence per weak topic, for 下一步工作打算."""
    return [f"围绕{t.topic}组织专题学习和针对性练习，提高干部运用相关法律解决实际问题的能力。"
            for t in data.weakest]


def narrative(data: ReportData) -> list[str]:
    """The section's paragraphs, in order."""
    paragraphs = [overview(data)]
    if data.exams:
        paragraphs += [totals(data) + leaders(data), units(data)]
        if data.weakest:
            topics = "、".join(t.topic for t in data.weakest)
            paragraphs.append(f"从答题情况看，{topics}是干部掌握相对薄弱的内容。")
    return paragraphs
