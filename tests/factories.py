"""A county for the tests: two townships, their people, a bank, exams of every kind, attempts in flight.

It is built once per database and committed (conftest); each test runs on top of it and rolls
back. It is busy on purpose: colleagues are half-way through exams, one has finished, the other
township has its own exam, so that a query missing its user, exam or unit filter shows.

    示例县 (admin)
    ├── 示例乡 (trainer, township_admin)
    │   ├── 乡直机关: cadre1, cadre3, leader (副乡长)
    │   ├── 东风村委会: cadre2 (村委会主任), village_trainer
    │   └── 河口村委会: cadre4
    └── 邻近镇 (trainer2, other_admin)
        ├── 镇直机关: outsider
        └── 西山村委会: outsider2
"""
from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.domain.grading import displayed_from_response
from quizapp.domain.vocab import Category, UnitKind
from quizapp.models import Attempt, Exam, OrgUnit, Topic, User
from quizapp.services import accounts
from quizapp.services.attempts import load_paper, save_answer, start_attempt, submit_attempt
from quizapp.services.bank_import import import_bank_path
from quizapp.services.exams import ExamDraft, RuleDraft, create_exam
from quizapp.services.units import create_unit

BANK = Path(__file__).parent / "data" / "bank"
PASSWORD = "secret123"
WORLD_TIME = datetime(2026, 3, 2, 1, 0)  # 09:00 in China, a Monday
# The fixed paper in list order; it is laid out by type: 单选, 多选, 判断.
FIXED_CODES = ["TXF-0001", "TXF-0005", "TXF-0007", "TMF-0004", "TMF-0001"]
FIXED_LAYOUT = ["TXF-0001", "TMF-0001", "TXF-0005", "TXF-0007", "TMF-0004"]


@dataclass
class World:
    county: OrgUnit
    township: OrgUnit
    office: OrgUnit
    village: OrgUnit
    village2: OrgUnit
    other_township: OrgUnit
    other_office: OrgUnit
    other_village: OrgUnit
    cadre: User  # cadre1: no attempt yet anywhere
    cadre2: User  # a village leader, no attempt yet
    cadre3: User  # half-way through `exam` and `retake_exam`
    cadre4: User  # half-way through `exam`
    leader: User  # finished `exam`: 8 of 20, 不合格
    outsider: User  # 邻近镇, half-way through `other_exam`
    outsider2: User  # 邻近镇, half-way through `other_exam`
    trainer: User  # 示例乡
    village_trainer: User  # a trainer of a sub-unit (东风村委会)
    trainer2: User  # 邻近镇
    admin: User  # 示例县
    township_admin: User  # 示例乡
    other_admin: User  # 邻近镇
    exam: Exam  # random, shuffled, review immediate, 1 attempt, all-or-nothing: 20 points, pass 12
    fixed_exam: Exam  # fixed 5 × 20 points, not shuffled, review after close, 2 attempts, pass 60
    retake_exam: Exam  # random, not shuffled, review never, 3 attempts, partial credit: 10 points
    upcoming_exam: Exam  # opens tomorrow
    other_exam: Exam  # 邻近镇's own exam

    def ids(self) -> WorldIds:
        return WorldIds({f.name: getattr(self, f.name).id for f in fields(self)})


@dataclass(frozen=True)
class WorldIds:
    """What survives between tests: the id of every object of the county."""

    by_name: dict[str, int]


def load_world(session: Session, ids: WorldIds) -> World:
    values = {}
    for f in fields(World):
        model = {"OrgUnit": OrgUnit, "User": User, "Exam": Exam}[str(f.type)]
        values[f.name] = session.get(model, ids.by_name[f.name])
    return World(**values)


def topic_id(session: Session, name: str) -> int:
    return session.scalar(select(Topic.id).where(Topic.name == name))


def exam_draft(session: Session, now: datetime, units: list[OrgUnit], **changes) -> ExamDraft:
    """A valid random-paper exam over the test bank: 5 + 2 + 2 questions, 20 points."""
    xf = topic_id(session, "宪法")
    draft = ExamDraft(
        title="2026年度学法用法考试", kind="law_study", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7), duration_minutes=60, pass_mark=Decimal(12),
        max_attempts=1, shuffle_questions=True, shuffle_options=True,
        review_policy="immediate", multiple_scoring="all_or_nothing", paper_mode="random",
        unit_ids=[u.id for u in units],
        rules=[RuleDraft(xf, "single", 3, Decimal(2)), RuleDraft(topic_id(session, "民法典"), "single", 2, Decimal(2)),
               RuleDraft(xf, "multiple", 2, Decimal(3)), RuleDraft(xf, "true_false", 2, Decimal(2))],
    )
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def right_answer(item) -> object:
    """What the examinee would click to be right, in the order the paper shows the options."""
    return displayed_from_response(item.version.qtype, item.option_order, item.version.answer)


def wrong_answer(item) -> object:
    """A choice that is surely wrong: the other truth value, or one option outside the key."""
    if item.version.qtype == "true_false":
        return item.version.answer != "true"
    key = right_answer(item)
    return [next(i for i in range(len(item.option_order)) if i not in key)]


def answer_items(session: Session, attempt: Attempt, now: datetime, right: int) -> None:
    """Answer the first `right` items correctly and the rest wrongly."""
    for n, item in enumerate(load_paper(session, attempt)):
        save_answer(session, attempt, item.id, right_answer(item) if n < right else wrong_answer(item),
                    now)


def build_world(session: Session, now: datetime) -> World:
    county = create_unit(session, "示例县", None, UnitKind.OTHER)
    township = create_unit(session, "示例乡", county, UnitKind.TOWNSHIP)
    office = create_unit(session, "乡直机关", township, UnitKind.OFFICE)
    village = create_unit(session, "东风村委会", township, UnitKind.VILLAGE)
    village2 = create_unit(session, "河口村委会", township, UnitKind.VILLAGE)
    other = create_unit(session, "邻近镇", county, UnitKind.TOWNSHIP)
    other_office = create_unit(session, "镇直机关", other, UnitKind.OFFICE)
    other_village = create_unit(session, "西山村委会", other, UnitKind.VILLAGE)

    def person(username: str, where: OrgUnit, role: str = "cadre", **extra) -> User:
        return accounts.create_user(session, username=username, password=PASSWORD,
                                    full_name=f"用户{username}", unit=where, role=role, now=now,
                                    must_change_password=False, **extra)

    people = dict(
        cadre=person("cadre1", office, position="科员", category=Category.CIVIL_SERVANT),
        cadre2=person("cadre2", village, position="村委会主任", category=Category.VILLAGE_CADRE,
                      is_leader=True),
        cadre3=person("cadre3", office, position="办事员", category=Category.PUBLIC_INSTITUTION),
        cadre4=person("cadre4", village2, position="村委会委员", category=Category.VILLAGE_CADRE),
        leader=person("leader", office, position="副乡长", category=Category.CIVIL_SERVANT, is_leader=True),
        outsider=person("outsider", other_office, category=Category.CIVIL_SERVANT),
        outsider2=person("outsider2", other_village, category=Category.VILLAGE_CADRE),
        trainer=person("trainer", township, "trainer", position="司法所所长"),
        village_trainer=person("vtrainer", village, "trainer"),
        trainer2=person("trainer2", other, "trainer"),
        admin=person("admin", county, "admin"),
        township_admin=person("sadmin", township, "admin"),
        other_admin=person("oadmin", other, "admin"),
    )
    import_bank_path(session, BANK, now)
    trainer = people["trainer"]
    xf = topic_id(session, "宪法")
    exams = dict(
        exam=create_exam(session, exam_draft(session, now, [township]), trainer, now),
        fixed_exam=create_exam(session, exam_draft(
            session, now, [township], title="反诈专项测试", kind="special", paper_mode="fixed",
            fixed_codes=FIXED_CODES, fixed_points=Decimal(20), pass_mark=Decimal(60),
            max_attempts=2, shuffle_questions=False, shuffle_options=False,
            review_policy="after_close"), trainer, now),
        retake_exam=create_exam(session, exam_draft(
            session, now, [township], title="宪法知识测试", kind="constitution", max_attempts=3,
            shuffle_questions=False, shuffle_options=False, review_policy="never",
            multiple_scoring="partial", pass_mark=Decimal(6),
            rules=[RuleDraft(xf, "multiple", 2, Decimal("2.5")), RuleDraft(xf, "true_false", 2, Decimal("2.5"))],
        ), trainer, now),
        upcoming_exam=create_exam(session, exam_draft(
            session, now, [township], title="宪法宣誓专题测试", opens_at=now + timedelta(days=1)),
            trainer, now),
        other_exam=create_exam(session, exam_draft(session, now, [other], title="邻近镇学法考试"),
                               people["trainer2"], now),
    )
    # Colleagues in flight, so that a missing filter shows.
    rng = random.Random(2026)
    for who, which in (("cadre3", "exam"), ("cadre4", "exam"), ("cadre3", "retake_exam"),
                       ("outsider", "other_exam"), ("outsider2", "other_exam")):
        attempt = start_attempt(session, exams[which].id, people[who], now, rng)
        answer_items(session, attempt, now, right=2)
    finished = start_attempt(session, exams["exam"].id, people["leader"], now, rng)
    answer_items(session, finished, now, right=4)  # 4 right answers are 8 of 20 points (不合格)
    submit_attempt(session, finished, now)
    return World(county, township, office, village, village2, other, other_office, other_village,
                 **people, **exams)
