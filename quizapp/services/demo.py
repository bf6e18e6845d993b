"""Demo data for `make run`: 示例乡, its units and cadres, the shipped bank, three open exams."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Topic, User
from . import accounts
from .bank import available_counts
from .bank_import import import_bank_path
from .exams import ExamDraft, RuleDraft, create_exam

DEMO_PASSWORD = "demo2026"
LOGIN_HINT = f"演示账号：admin、trainer、gb01 至 gb30，密码均为 {DEMO_PASSWORD}"
VILLAGES = ("东风村委会", "河口村委会", "新华社区居委会")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = ("建国", "秀英", "志强", "丽娟", "海峰", "桂兰", "春生", "晓燕", "明华", "玉梅",
         "国庆", "红霞", "永军", "淑芬", "振华")
POSITIONS = ("党委委员", "副乡长", "科员", "办事员", "村党支部书记", "村委会主任", "村委会委员",
             "社区主任", "网格员", "会计")

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


def load_demo(session: Session, bank_path: Path, now: datetime) -> list[tuple[str, str, str]]:
    """Create everything; returns (role, username, name) for the logins to print."""
    rng = random.Random(2026)
    township = accounts.create_unit(session, "示例乡", None)
    office = accounts.create_unit(session, "乡直机关", township)
    villages = [accounts.create_unit(session, name, township) for name in VILLAGES]
    logins = []

    def person(username: str, name: str, unit, role: str, **extra) -> User:  # type: ignore[no-untyped-def]
        user = accounts.create_user(session, username=username, password=DEMO_PASSWORD,
                                    full_name=name, unit=unit, role=role, now=now,
                                    must_change_password=False, **extra)
        logins.append((user.role_label, username, f"{name}（{unit.name}）"))
        return user

    admin = person("admin", "系统管理员", township, "admin")
    trainer = person("trainer", "司法所培训员", township, "trainer", position="司法所所长")
    for n in range(1, 31):
        unit = office if n <= 12 else villages[(n - 13) % len(villages)]
        name = SURNAMES[n - 1] + GIVEN[rng.randrange(len(GIVEN))]
        position = POSITIONS[rng.randrange(4) if n <= 12 else 4 + rng.randrange(6)]
        person(f"gb{n:02d}", name, unit, "cadre", position=position,
               category="公务员" if n <= 12 else "村（社区）干部", is_leader=n <= 4 or n % 7 == 0)
    import_bank_path(session, bank_path, now, admin.id)

    def draft(title: str, kind: str, minutes: int, review: str, rules: list[RuleDraft],
              description: str) -> ExamDraft:
        return ExamDraft(
            title=title, kind=kind, opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=30), duration_minutes=minutes, pass_mark=Decimal(60),
            max_attempts=2, shuffle_questions=True, shuffle_options=True, review_policy=review,
            multiple_scoring="all_or_nothing", paper_mode="random", unit_ids=[township.id],
            rules=rules, description=description,
        )

    year = (now + timedelta(hours=8)).year  # the year in China
    create_exam(session, draft(f"{year}年度学法用法考试", "law_study", 60, "immediate",
                               _rules(session, LAW_STUDY_RULES),
                               "本年度学法用法考试，共 45 题，满分 100 分，60 分及格。"), trainer, now)
    create_exam(session, draft("行政执法专项测试", "special", 60, "immediate",
                               _rules(session, LAW_ENFORCEMENT_RULES),
                               "行政处罚、行政许可、行政复议与行政诉讼专项测试，共 40 题，满分 100 分。"),
                trainer, now)
    create_exam(session, draft("宪法知识测试", "constitution", 45, "after_close",
                               _rules(session, CONSTITUTION_RULES),
                               "宪法知识专项测试，答案与解析在测试截止后公布。"), trainer, now)
    return logins
