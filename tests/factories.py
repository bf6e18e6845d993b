"""A small, realistic world for service and web tests: two townships, people, a bank, an exam."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.models import Exam, OrgUnit, Topic, User
from quizapp.services import accounts
from quizapp.services.bank_import import import_bank_path
from quizapp.services.exams import ExamDraft, RuleDraft, create_exam

BANK = Path(__file__).parent / "data" / "bank"
PASSWORD = "secret123"


@dataclass
class World:
    county: OrgUnit
    township: OrgUnit
    office: OrgUnit
    village: OrgUnit
    other_township: OrgUnit
    cadre: User
    cadre2: User
    outsider: User
    trainer: User
    admin: User
    exam: Exam


def topic_id(session: Session, name: str) -> int:
    return session.scalar(select(Topic.id).where(Topic.name == name))  # type: ignore[return-value]


def exam_draft(session: Session, now: datetime, units: list[OrgUnit], **changes) -> ExamDraft:  # type: ignore[no-untyped-def]
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


def build_world(session: Session, now: datetime) -> World:
    county = accounts.create_unit(session, "示例县", None)
    township = accounts.create_unit(session, "示例乡", county)
    office = accounts.create_unit(session, "乡直机关", township)
    village = accounts.create_unit(session, "东风村委会", township)
    other = accounts.create_unit(session, "邻近镇", county)

    def person(username: str, unit: OrgUnit, role: str = "cadre", **extra) -> User:  # type: ignore[no-untyped-def]
        return accounts.create_user(session, username=username, password=PASSWORD,
                                    full_name=f"用户{username}", unit=unit, role=role, now=now,
                                    must_change_password=False, **extra)

    cadre = person("cadre1", office, position="科员")
    cadre2 = person("cadre2", village, position="村委会主任", is_leader=True)
    outsider = person("outsider", other)
    trainer = person("trainer", township, "trainer")
    admin = person("admin", county, "admin")
    import_bank_path(session, BANK, now)
    exam = create_exam(session, exam_draft(session, now, [township]), trainer, now)
    return World(county, township, office, village, other, cadre, cadre2, outsider, trainer, admin, exam)
