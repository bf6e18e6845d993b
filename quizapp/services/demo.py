"""Demo data for `make run`: 示例乡 with its units and people, the shipped bank, three open
exams, and an earlier 宪法知识集中测试 that has closed, with passes, failures, an exemption and
someone who never took it, so that the trainer's pages have something real to show."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.grading import displayed_from_response
from ..domain.vocab import Category, ExemptionKind, ExemptionReason, Role, UnitKind
from ..models import Exam, OrgUnit, Topic, User
from . import accounts
from .attempts import load_paper, save_answer, start_attempt, submit_attempt
from .bank import available_counts
from .bank_import import import_bank_path
from .examinees import freeze_due_rosters
from .exams import ExamDraft, RuleDraft, create_exam
from .exemptions import set_exemptions
from .units import create_unit

DEMO_PASSWORD = "demo2026"
LOGIN_HINT = f"演示账号：admin、trainer、gb01 至 gb30，密码均为 {DEMO_PASSWORD}"
# (username, name, 职务, 人员类别, 领导干部) per unit; the leaders are the township's leadership.
OFFICE = [
    ("gb01", "王建国", "党委书记", Category.CIVIL_SERVANT, True),
    ("gb02", "李秀英", "乡长", Category.CIVIL_SERVANT, True),
    ("gb03", "张志强", "副乡长", Category.CIVIL_SERVANT, True),
    ("gb04", "刘丽娟", "党委委员、组织委员", Category.CIVIL_SERVANT, True),
    ("gb05", "陈海峰", "党政办主任", Category.CIVIL_SERVANT, False),
    ("gb06", "杨桂兰", "综合执法队队员", Category.MANAGED_AS_CIVIL_SERVANT, False),
    ("gb07", "黄春生", "科员", Category.CIVIL_SERVANT, False),
    ("gb08", "赵晓燕", "科员", Category.CIVIL_SERVANT, False),
    ("gb09", "吴明华", "农业服务中心干部", Category.PUBLIC_INSTITUTION, False),
    ("gb10", "周玉梅", "便民服务中心干部", Category.PUBLIC_INSTITUTION, False),
]
STATION = [  # 司法所
    ("gb11", "徐国庆", "司法所副所长", Category.CIVIL_SERVANT, False),
    ("gb12", "孙红霞", "人民调解员", Category.OTHER, False),
]
VILLAGES = {
    ("东风村委会", UnitKind.VILLAGE): ["村党组织书记、村委会主任", "村委会副主任", "村委会委员", "村务监督委员会主任", "报账员"],
    ("河口村委会", UnitKind.VILLAGE): ["村党组织书记", "村委会主任", "村委会委员", "村委会委员", "妇联主席"],
    ("新华社区居委会", UnitKind.COMMUNITY): ["社区党组织书记、居委会主任", "居委会副主任", "居委会委员", "社区网格员", "社区网格员"],
}
WORK_TEAM = [("gb28", "马永军", "驻村第一书记", Category.WORK_TEAM_MEMBER, False),
             ("gb29", "朱淑芬", "驻村工作队员", Category.WORK_TEAM_MEMBER, False)]
VILLAGE_NAMES = ["郭振华", "何建平", "高秀兰", "林春花", "罗志明", "郑桂芳", "梁德胜", "谢玉兰", "宋长青",
                 "唐美华", "许国强", "韩雪梅", "冯立新", "邓小红", "彭俊杰"]

# The law-study exam draws from the whole bank, the laws a township applies included; 100 points.
LAW_STUDY_RULES = (
    ("宪法", "single", 6, 2), ("民法典", "single", 6, 2), ("反电信网络诈骗", "single", 3, 2),
    ("行政处罚法", "single", 3, 2), ("行政复议法", "single", 2, 2), ("农村土地承包法", "single", 3, 2),
    ("村民委员会组织法", "single", 2, 2),
    ("民法典", "multiple", 3, 3), ("宪法", "multiple", 2, 3), ("行政处罚法", "multiple", 2, 3),
    ("农村土地承包法", "multiple", 1, 3), ("村民委员会组织法", "multiple", 1, 3),
    ("反电信网络诈骗", "multiple", 1, 3),
    ("宪法", "true_false", 3, 2), ("民法典", "true_false", 3, 2), ("行政诉讼法", "true_false", 1, 2),
    ("人民调解法", "true_false", 1, 2), ("法律援助法", "true_false", 1, 2), ("行政许可法", "true_false", 1, 2),
)
# 行政执法专项测试: 处罚、许可、复议、诉讼; 40 questions, 100 points.
LAW_ENFORCEMENT_RULES = (
    ("行政处罚法", "single", 8, 2), ("行政许可法", "single", 4, 2), ("行政复议法", "single", 4, 2),
    ("行政诉讼法", "single", 4, 2),
    ("行政处罚法", "multiple", 4, 4), ("行政许可法", "multiple", 2, 4), ("行政复议法", "multiple", 2, 4),
    ("行政诉讼法", "multiple", 2, 4),
    ("行政处罚法", "true_false", 4, 2), ("行政许可法", "true_false", 2, 2), ("行政复议法", "true_false", 2, 2),
    ("行政诉讼法", "true_false", 2, 2),
)
CONSTITUTION_RULES = (("宪法", "single", 20, 3), ("宪法", "multiple", 5, 4),
                      ("宪法", "true_false", 10, 2))


def has_accounts(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def _rules(session: Session, spec: tuple[tuple[str, str, int, int], ...]) -> list[RuleDraft]:
    """The spec's rules, each shrunk to what the bank holds (a small bank still gives a demo)."""
    topics = {t.name: t.id for t in session.scalars(select(Topic))}
    available = dict(available_counts(session))
    rules = []
    for name, qtype, count, points in spec:
        key = (topics.get(name, -1), qtype)
        take = min(count, available.get(key, 0))
        if take:
            available[key] -= take
            rules.append(RuleDraft(key[0], qtype, take, Decimal(points)))
    return rules


def _people(session: Session, township: OrgUnit, now: datetime) -> tuple[list[tuple[str, str, str]], dict[str, User]]:
    logins: list[tuple[str, str, str]] = []
    made: dict[str, User] = {}

    def person(username: str, name: str, unit: OrgUnit, role: str, **extra: Any) -> User:
        user = accounts.create_user(session, username=username, password=DEMO_PASSWORD,
                                    full_name=name, unit=unit, role=role, now=now,
                                    must_change_password=False, **extra)
        logins.append((user.role_label, username, f"{name}（{unit.name}）"))
        made[username] = user
        return user

    office = create_unit(session, "乡直机关", township, UnitKind.OFFICE)
    station = create_unit(session, "司法所", township, UnitKind.STATION)
    person("admin", "系统管理员", township, Role.ADMIN, category=Category.CIVIL_SERVANT)
    # The trainer organizes the whole township's exams, so the account sits at the township.
    person("trainer", "司法所培训员", township, Role.TRAINER, position="司法所所长",
           category=Category.CIVIL_SERVANT)
    for unit, rows in ((office, OFFICE), (station, STATION)):
        for username, name, position, category, leader in rows:
            person(username, name, unit, Role.CADRE, position=position, category=category, is_leader=leader)
    names, numbers = iter(VILLAGE_NAMES), iter(range(13, 28))
    for (unit_name, kind), positions in VILLAGES.items():
        unit = create_unit(session, unit_name, township, kind)
        for position in positions:
            person(f"gb{next(numbers):02d}", next(names), unit, Role.CADRE, position=position,
                   category=Category.VILLAGE_CADRE)
    team = create_unit(session, "驻村工作队", township, UnitKind.WORK_TEAM)
    for username, name, position, category, leader in WORK_TEAM:
        person(username, name, team, Role.CADRE, position=position, category=category, is_leader=leader)
    person("gb30", "曹文斌", office, Role.CADRE, position="科员", category=Category.CIVIL_SERVANT)
    return logins, made


def _draft(title: str, kind: str, minutes: int, review: str, rules: list[RuleDraft], description: str,
           opens_at: datetime, closes_at: datetime, unit_ids: list[int], attempts: int = 2) -> ExamDraft:
    return ExamDraft(
        title=title, kind=kind, opens_at=opens_at, closes_at=closes_at, duration_minutes=minutes,
        pass_mark=Decimal(60), max_attempts=attempts, shuffle_questions=True, shuffle_options=True,
        review_policy=review, multiple_scoring="all_or_nothing", paper_mode="random",
        unit_ids=unit_ids, rules=rules, description=description,
    )


def _earlier_test(session: Session, township: OrgUnit, trainer: User, people: dict[str, User],
                  now: datetime) -> Exam:
    """A 集中测试 six weeks ago: most passed, two failed, one excused, one never came."""
    held = now - timedelta(days=42)
    exam = create_exam(session, _draft(
        "宪法知识集中测试", "constitution", 30, "after_close", _rules(session, CONSTITUTION_RULES),
        "国家宪法日前后组织的集中测试。", held, held + timedelta(days=2), [township.id], attempts=1),
        trainer, held - timedelta(days=7))
    freeze_due_rosters(session, held)
    set_exemptions(session, exam, [people["gb09"].id], ExemptionKind.EXEMPT, ExemptionReason.SICK_LEAVE,
                   "住院治疗", "李秀英（乡长）", trainer, held)
    rng = random.Random(1204)
    absent = {"gb09", "gb29"}  # excused, and the one who never took it
    weak = {"gb17": 0.4, "gb24": 0.45}  # the two who fail
    for n, (username, user) in enumerate(sorted(people.items())):
        if user.role != Role.CADRE or username in absent:
            continue
        at = held + timedelta(hours=1, minutes=3 * n)
        attempt = start_attempt(session, exam.id, user, at, rng)
        right = weak.get(username, 0.72 + 0.25 * rng.random())
        for item in load_paper(session, attempt):
            correct = rng.random() < right
            key = displayed_from_response(item.version.qtype, item.option_order, item.version.answer)
            if correct:
                answer = key
            elif item.version.qtype == "true_false":
                answer = not key
            else:  # a choice question's key is the list of the right options as shown
                right_options = key if isinstance(key, list) else []
                answer = [next(i for i in range(len(item.option_order)) if i not in right_options)]
            save_answer(session, attempt, item.id, answer, at + timedelta(minutes=10))
        submit_attempt(session, attempt, at + timedelta(minutes=20))
    return exam


def load_demo(session: Session, bank_path: Path, now: datetime) -> list[tuple[str, str, str]]:
    """Create everything; returns (role, username, name) for the logins to print."""
    township = create_unit(session, "示例乡", None, UnitKind.TOWNSHIP)
    logins, people = _people(session, township, now - timedelta(days=60))
    import_bank_path(session, bank_path, now - timedelta(days=60), people["admin"].id)
    trainer = people["trainer"]
    _earlier_test(session, township, trainer, people, now)
    year = (now + timedelta(hours=8)).year  # the year in China
    window = (now - timedelta(hours=1), now + timedelta(days=30), [township.id])
    create_exam(session, _draft(f"{year}年度学法用法考试", "law_study", 60, "immediate",
                                _rules(session, LAW_STUDY_RULES),
                                "本年度学法用法考试，共 45 题，满分 100 分，60 分及格。", *window), trainer, now)
    create_exam(session, _draft("行政执法专项测试", "special", 60, "immediate",
                                _rules(session, LAW_ENFORCEMENT_RULES),
                                "行政处罚、行政许可、行政复议与行政诉讼专项测试，共 40 题，满分 100 分。", *window),
                trainer, now)
    create_exam(session, _draft("宪法知识测试", "constitution", 45, "after_close",
                                _rules(session, CONSTITUTION_RULES),
                                "宪法知识专项测试，答案与解析在测试截止后公布。", *window), trainer, now)
    return logins
