"""Who must take an exam (应考), kept by the exam itself from the moment it opens.

Until an exam opens, its list is worked out from the assigned units. From its opening the exam
keeps its own rows: the person, their unit, 人员类别 and 领导干部 flag at that moment. Every
change to the roster (a move, a deactivation, a new person, a moved unit) runs inside
`roster_change`, which first takes the list of every exam that has opened and not yet taken it
(so the list is the roster as it stood at the opening) and afterwards records, for the exams
that are open, who joined their units and who left them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from ..db import rowcount
from ..domain.vocab import Role, RosterMode
from ..models import Attempt, Exam, ExamExaminee, ExamUnit, Exemption, OrgUnit, User


def _eligible(session: Session, exam: Exam, user_ids: Iterable[int] | None = None) -> list[User]:
    """Active cadres in the exam's assigned units and the units below them, now."""
    paths = [u.path for u in exam.assigned_units]
    if not paths:
        return []
    query = (select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
             .where(or_(*[OrgUnit.path.startswith(p) for p in paths]))
             .where(User.active.is_(True), User.role == Role.CADRE))
    if user_ids is not None:
        query = query.where(User.id.in_(list(user_ids)))
    return list(session.scalars(query.order_by(OrgUnit.path, User.username)))


def _row(exam: Exam, user: User, now: datetime, joined: bool) -> ExamExaminee:
    return ExamExaminee(exam_id=exam.id, user_id=user.id, org_unit_id=user.org_unit_id,
                        category=user.category, is_leader=user.is_leader, added_at=now,
                        joined_during_window=joined, extra_attempts=0)


def freeze_due_rosters(session: Session, now: datetime) -> int:
    """Take the 应考 list of every exam that has opened and has none yet; how many were taken."""
    due = session.scalars(select(Exam).where(
        Exam.roster_frozen_at.is_(None), Exam.opens_at <= now, Exam.roster_mode == RosterMode.UNITS)
        .with_for_update()).all()
    for exam in due:
        # Taken at the opening in effect: nothing on the roster changed since, or this would
        # already have run (roster_change takes due lists first).
        frozen_at = min(exam.opens_at, now)
        session.add_all(_row(exam, u, frozen_at, joined=False) for u in _eligible(session, exam))
        exam.roster_frozen_at = frozen_at
    session.flush()
    return len(due)


def has_due_rosters(session: Session, now: datetime) -> bool:
    return session.scalar(select(Exam.id).where(
        Exam.roster_frozen_at.is_(None), Exam.opens_at <= now,
        Exam.roster_mode == RosterMode.UNITS).limit(1)) is not None


def refresh_open_rosters(session: Session, now: datetime, user_ids: Iterable[int] | None = None,
                         exams: Iterable[Exam] | None = None) -> None:
    """In exams open now: add who joined their units, mark (never drop) who left them."""
    if exams is None:
        exams = session.scalars(select(Exam).where(
            Exam.roster_frozen_at.is_not(None), Exam.opens_at <= now, Exam.closes_at > now,
            Exam.roster_mode == RosterMode.UNITS)).all()
    wanted = None if user_ids is None else set(user_ids)
    for exam in exams:
        eligible = {u.id: u for u in _eligible(session, exam, wanted)}
        query = select(ExamExaminee).where(ExamExaminee.exam_id == exam.id)
        if wanted is not None:
            query = query.where(ExamExaminee.user_id.in_(wanted))
        rows = {r.user_id: r for r in session.scalars(query)}
        for user_id, row in rows.items():
            if user_id in eligible and row.left_at is not None:
                row.left_at = None  # back within the window: expected again
            elif user_id not in eligible and row.left_at is None:
                row.left_at = now
        session.add_all(_row(exam, u, now, joined=True) for uid, u in eligible.items() if uid not in rows)
    session.flush()


@contextmanager
def roster_change(session: Session, now: datetime, user_ids: Iterable[int] | None = None) -> Iterator[None]:
    """Wrap a change to who is where: lists are taken before it, joins and leaves recorded after."""
    freeze_due_rosters(session, now)
    yield
    session.flush()
    refresh_open_rosters(session, now, user_ids)


# ---- reading the list ----------------------------------------------------------------------

@dataclass(frozen=True)
class RosterEntry:
    """One person on an exam's 应考 list, as the trainer's roster page shows them."""

    user: User
    unit_id: int
    category: str
    is_leader: bool
    joined_during_window: bool
    left_at: datetime | None
    exemption: Exemption | None
    extra_attempts: int

    @property
    def expected(self) -> bool:
        """In the 应考 denominator: not excused, not gone (someone who left keeps a marked row)."""
        return self.exemption is None and self.left_at is None


@dataclass(frozen=True)
class RosterSummary:
    """How an exam's list stands: what the exam page says about how it was made."""

    listed: int
    expected: int
    joined: int
    left: int
    exempt: int
    deferred: int


def summarize(entries: list[RosterEntry]) -> RosterSummary:
    kinds = [e.exemption.kind for e in entries if e.exemption is not None]
    return RosterSummary(
        listed=len(entries), expected=sum(1 for e in entries if e.expected),
        joined=sum(1 for e in entries if e.joined_during_window),
        left=sum(1 for e in entries if e.left_at is not None),
        exempt=kinds.count("exempt"), deferred=kinds.count("deferred"))


def roster(session: Session, exam: Exam) -> list[RosterEntry]:
    """The exam's list: its own rows once it has opened, worked out from its units before."""
    exemptions = {e.user_id: e for e in session.scalars(
        select(Exemption).where(Exemption.exam_id == exam.id)
        .execution_options(populate_existing=True))}  # they are written with Core upserts
    if exam.roster_frozen_at is None and exam.roster_mode == RosterMode.UNITS:
        return [RosterEntry(u, u.org_unit_id, u.category, u.is_leader, False, None,
                            exemptions.get(u.id), 0) for u in _eligible(session, exam)]
    rows = session.execute(
        select(ExamExaminee, User).join(User, User.id == ExamExaminee.user_id)
        .join(OrgUnit, OrgUnit.id == ExamExaminee.org_unit_id)
        .where(ExamExaminee.exam_id == exam.id).order_by(OrgUnit.path, User.username)).all()
    return [RosterEntry(user, r.org_unit_id, r.category, r.is_leader, r.joined_during_window,
                        r.left_at, exemptions.get(user.id), r.extra_attempts) for r, user in rows]


def on_roster(session: Session, exam: Exam, user: User) -> ExamExaminee | None:
    """The user's row when the exam keeps its list; None when not on it (or not yet frozen)."""
    return session.scalar(select(ExamExaminee).where(
        ExamExaminee.exam_id == exam.id, ExamExaminee.user_id == user.id))


def may_take(session: Session, exam: Exam, user: User) -> bool:
    """Whether the user is expected to take the exam now: on its list, not excused, not gone."""
    if not user.active or user.role != Role.CADRE:
        return False
    excused = session.scalar(select(Exemption.id).where(
        Exemption.exam_id == exam.id, Exemption.user_id == user.id)) is not None
    if excused:
        return False
    if exam.roster_frozen_at is not None or exam.roster_mode == RosterMode.LISTED:
        row = on_roster(session, exam, user)
        return row is not None and row.left_at is None
    return any(u.id in _ancestor_ids(user.org_unit) for u in exam.assigned_units)


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def exams_for(session: Session, user: User) -> list[Exam]:
    """我的考试: exams whose list holds the user (or, before it opens, whose units do).

    Someone who left an exam's units while it was open still sees it if they had taken it.
    """
    excused = exists().where(Exemption.exam_id == Exam.id, Exemption.user_id == user.id)
    tried = exists().where(Attempt.exam_id == Exam.id, Attempt.user_id == user.id)
    listed = exists().where(ExamExaminee.exam_id == Exam.id, ExamExaminee.user_id == user.id,
                            or_(ExamExaminee.left_at.is_(None), tried))
    by_units = exists().where(ExamUnit.exam_id == Exam.id,
                              ExamUnit.org_unit_id.in_(_ancestor_ids(user.org_unit)))
    unfrozen = (Exam.roster_frozen_at.is_(None)) & (Exam.roster_mode == RosterMode.UNITS)
    return list(session.scalars(
        select(Exam).where(~excused, or_(unfrozen & by_units, ~unfrozen & listed))
        .order_by(Exam.closes_at.desc(), Exam.id.desc())
    ))


def set_extra_attempts(session: Session, exam: Exam, user_ids: Iterable[int], extra: int) -> int:
    """补考: grant `extra` attempts on top of the exam's, to people on its list; how many."""
    return rowcount(session.execute(
        update(ExamExaminee).where(ExamExaminee.exam_id == exam.id, ExamExaminee.user_id.in_(list(user_ids)))
        .values(extra_attempts=ExamExaminee.extra_attempts + extra)
        .execution_options(synchronize_session=False)))
