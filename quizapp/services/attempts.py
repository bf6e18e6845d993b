"""Taking an exam: start (freeze the paper), save answers, submit once, finalize overdue."""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy import Executable, Select, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..db import begin_writes, rowcount
from ..domain import grading
from ..domain.paper import (
    Candidate,
    PaperItem,
    PaperRule,
    compose_fixed_paper,
    compose_random_paper,
)
from ..domain.standing import AttemptSummary, Standing, examinee_standing
from ..domain.timing import (
    attempt_deadline,
    is_overdue,
    review_hidden_because,
    seconds_left,
    window_phase,
)
from ..errors import AttemptClosed, Conflict, InvalidInput, NotAllowed, NotFound
from ..models import Answer, Attempt, AttemptItem, Exam, QuestionVersion, User
from . import bank
from .audit import record
from .examinees import freeze_due_rosters, may_take, on_roster
from .exams import count_attempts, get_exam


def _compose(session: Session, exam: Exam, rng: random.Random) -> list[PaperItem]:
    if exam.paper_mode == "random":
        rules = [PaperRule(r.topic_id, r.topic.name, r.qtype, r.count, r.points) for r in exam.rules]
        pool = bank.candidate_pool(session, [(r.topic_id, r.qtype) for r in rules], exam.exam_only_pool)
        try:
            return compose_random_paper(rules, pool, rng, exam.shuffle_questions, exam.shuffle_options)
        except ValueError as exc:
            raise InvalidInput(f"题库题目不足，无法组卷（{exc}），请联系培训管理员") from exc
    fixed = []
    for f in exam.fixed_questions:
        if f.question.retired:
            raise InvalidInput(f"试卷中的题目 {f.question.code} 已停用，请联系培训管理员")
        v = bank.current_version(session, f.question)
        fixed.append((Candidate(v.id, v.qtype, len(v.options)), f.points))
    return compose_fixed_paper(fixed, rng, exam.shuffle_questions, exam.shuffle_options)


def open_attempt(session: Session, exam_id: int, user_id: int) -> Attempt | None:
    return session.scalar(select(Attempt).where(
        Attempt.exam_id == exam_id, Attempt.user_id == user_id, Attempt.status == "in_progress"))


def start_attempt(session: Session, exam_id: int, user: User, now: datetime,
                  rng: random.Random | None = None) -> Attempt:
    """Resume the open attempt, or freeze a new paper and set the server-side deadline."""
    exam = get_exam(session, exam_id)
    freeze_due_rosters(session, now)
    if not may_take(session, exam, user):
        raise NotAllowed("您不在本次考试的参考范围内")
    finalize_overdue(session, now, exam_id=exam.id, user_id=user.id)
    current = open_attempt(session, exam.id, user.id)
    if current is not None:
        return current
    phase = window_phase(exam.opens_at, exam.closes_at, now)
    if phase == "upcoming":
        raise Conflict("考试尚未开始，请在开放时间内进入")
    if phase == "closed":
        raise AttemptClosed("考试已截止")
    used = count_attempts(session, exam.id, user.id)
    allowed = attempts_allowed(session, exam, user)
    if used >= allowed:
        raise Conflict(f"本次考试最多可作答 {allowed} 次，您已用完")
    paper = _compose(session, exam, rng or random.Random(secrets.randbits(64)))
    attempt = Attempt(
        exam_id=exam.id, user_id=user.id, attempt_no=used + 1, started_at=now,
        deadline=attempt_deadline(now, exam.duration_minutes, exam.closes_at),
        status="in_progress",
    )
    attempt.items = [
        AttemptItem(question_version_id=p.version_id, position=n, option_order=list(p.option_order),
                    points=p.points)
        for n, p in enumerate(paper, 1)
    ]
    try:
        with session.begin_nested():  # the unique indexes settle a double click or two tabs
            session.add(attempt)
    except IntegrityError:
        current = open_attempt(session, exam.id, user.id)
        if current is not None:
            return current
        raise Conflict("已开始作答，请刷新页面") from None
    record(session, "attempt.start", now, user.id, attempt_id=attempt.id, exam_id=exam.id)
    return attempt


def attempts_allowed(session: Session, exam: Exam, user: User) -> int:
    """The exam's attempts, plus any a 补考 granted this person."""
    row = on_roster(session, exam, user)
    return exam.max_attempts + (row.extra_attempts if row is not None else 0)


def get_own_attempt(session: Session, attempt_id: int, user: User) -> Attempt:
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound("作答记录不存在")
    return attempt


def _grade_and_close(session: Session, attempt: Attempt, status: str, now: datetime) -> bool:
    """Close the attempt exactly once (conditional UPDATE) and grade it; False if already closed."""
    closed = session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == "in_progress")
        .values(status=status, finished_at=min(now, attempt.deadline))
        .execution_options(synchronize_session=False)
    )
    if rowcount(closed) != 1:
        session.refresh(attempt)
        return False
    session.refresh(attempt)
    exam = attempt.exam
    total = Decimal(0)
    for item in load_paper(session, attempt):
        response = item.answer.response if item.answer else None
        item.earned = grading.grade(item.version.qtype, item.version.answer, response, item.points,
                                    exam.multiple_scoring)
        total += item.earned
    attempt.score = total
    attempt.passed = total >= exam.pass_mark
    session.flush()
    record(session, f"attempt.{status}", now, attempt.user_id, attempt_id=attempt.id,
           score=str(total))
    return True


def expire_now(session: Session, attempt: Attempt, now: datetime) -> bool:
    """End an open attempt at `now` whatever its deadline (the exam was closed early) and grade
    it with what was saved; False if it was already closed."""
    # CHECK (deadline > started_at): an attempt begun this very instant ends a microsecond on.
    attempt.deadline = max(now, attempt.started_at + timedelta(microseconds=1))
    session.flush()
    return _grade_and_close(session, attempt, "expired", now)


def submit_attempt(session: Session, attempt: Attempt, now: datetime,
                   time_up: bool = False) -> Attempt:
    """Hand in. Submitting twice (double click, two tabs) grades once and returns the result.

    `time_up` is the page's own submit at its countdown's end, which may reach us a moment
    before the server's deadline; it is recorded like a server-side finalization.
    """
    status = "expired" if time_up or is_overdue(attempt.deadline, now) else "submitted"
    _grade_and_close(session, attempt, status, now)
    return attempt


def save_ticked(session: Session, attempt: Attempt, ticked: dict[int, list[str]], now: datetime) -> int:
    """The answers a page whose script never ran sends with 交卷 (its inputs belong to the
    submit form): each ticked question is saved as if chosen, before the paper is graded.

    Values that name no option are left out rather than refusing the whole paper; a question
    with nothing ticked keeps what was saved. Returns how many answers were saved."""
    if attempt.status != "in_progress" or is_overdue(attempt.deadline, now):
        return 0
    paper = {item_id: (qtype, len(order)) for item_id, qtype, order in session.execute(
        select(AttemptItem.id, QuestionVersion.qtype, AttemptItem.option_order)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(AttemptItem.attempt_id == attempt.id))}
    saved = 0
    for item_id, values in ticked.items():
        if item_id not in paper:
            continue
        qtype, options = paper[item_id]
        chosen: object
        if qtype == "true_false":
            if values[-1] not in ("true", "false"):
                continue
            chosen = values[-1] == "true"
        else:
            chosen = sorted({int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 3 and int(v) < options})
            if not chosen:
                continue  # nothing readable ticked: what was saved stands
            if qtype == "single":
                chosen = chosen[-1:]
        try:
            save_answer(session, attempt, item_id, chosen, now)
        except InvalidInput:
            continue
        saved += 1
    return saved


def _overdue(now: datetime, exam_id: int | None, user_id: int | None) -> Select[Attempt]:
    query = select(Attempt).where(Attempt.status == "in_progress", Attempt.deadline <= now)
    if exam_id is not None:
        query = query.where(Attempt.exam_id == exam_id)
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    return query


def has_overdue(session: Session, now: datetime, exam_id: int | None = None,
                user_id: int | None = None) -> bool:
    """Whether any open attempt has run out of time (a cheap read before finalizing)."""
    first = session.scalar(_overdue(now, exam_id, user_id).with_only_columns(Attempt.id).limit(1))
    return first is not None


def finalize_overdue(session: Session, now: datetime, exam_id: int | None = None,
                     user_id: int | None = None) -> int:
    """Grade, with what was saved, every open attempt whose deadline has passed."""
    attempts = session.scalars(_overdue(now, exam_id, user_id)).all()
    return sum(_grade_and_close(session, a, "expired", now) for a in attempts)


def save_answer(session: Session, attempt: Attempt, item_id: int, chosen: object,
                now: datetime) -> datetime:
    """Save (or clear) one answer; refused once the attempt is closed or past its deadline."""
    item = session.get(AttemptItem, item_id)
    if item is None or item.attempt_id != attempt.id:
        raise NotFound("题目不属于本次作答")
    response = _response(item.version.qtype, item.option_order, chosen)
    if not _store_answer(session, attempt.id, item.id, response, now):
        session.refresh(attempt)
        raise _closed(attempt.status)
    return now


# The autosave's statements, built once: building them per save (the upsert's `excluded` alias
# above all) cost more CPU than running them. They run on the session's connection as plain
# Core statements, which skips the ORM's per-statement work too.
_OWN_ITEM = (
    select(QuestionVersion.qtype, AttemptItem.option_order)
    .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
    .join(Attempt, Attempt.id == AttemptItem.attempt_id)
    .where(AttemptItem.id == bindparam("item_id"), Attempt.id == bindparam("attempt_id"),
           Attempt.user_id == bindparam("user_id"))
)
# Taking the attempt row's lock here orders a save against a concurrent submit.
_STILL_OPEN = (
    update(Attempt)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.status == "in_progress",
           Attempt.deadline > bindparam("now"))
    .values(last_saved_at=bindparam("now"))
)
_CLEAR_ANSWER = delete(Answer).where(Answer.attempt_item_id == bindparam("item_id"))


@cache
def _upsert_answer(dialect: str) -> Executable:
    """One answer per item: the unique index decides between insert and update."""
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Answer)
    return stmt.on_conflict_do_update(
        index_elements=[Answer.attempt_item_id],
        set_={"response": stmt.excluded.response, "saved_at": stmt.excluded.saved_at},
    )


def save_own_answer(session: Session, attempt_id: int, user_id: int, item_id: int, chosen: object,
                    now: datetime) -> datetime:
    """The exam page's autosave: `save_answer` on the user's own attempt, by ids.

    The hottest path of an exam day, so it loads no ORM object and runs three statements: one
    read (the item, its question type, and that item and attempt belong to this user), then
    the writes. The writes alone decide whether the attempt is still open, so on SQLite the read
    may run before the write lock is taken (`begin_writes`).
    """
    found = session.connection().execute(
        _OWN_ITEM, {"item_id": item_id, "attempt_id": attempt_id, "user_id": user_id}).first()
    if found is None:  # which refusal: rare, so a second read is fine here
        if session.scalar(select(Attempt.id).where(Attempt.id == attempt_id, Attempt.user_id == user_id)) is None:
            raise NotFound("作答记录不存在")
        raise NotFound("题目不属于本次作答")
    response = _response(found.qtype, found.option_order, chosen)
    begin_writes(session)
    if not _store_answer(session, attempt_id, item_id, response, now):
        raise _closed(session.scalar(select(Attempt.status).where(Attempt.id == attempt_id)))
    return now


def _response(qtype: str, option_order: list[int], chosen: object) -> str:
    try:
        return grading.response_from_displayed(qtype, option_order, chosen)
    except grading.BadResponse as exc:
        raise InvalidInput(str(exc)) from None


def _closed(status: str | None) -> AttemptClosed:
    if status != "in_progress":
        return AttemptClosed("本次考试已交卷，答案不能再修改")
    return AttemptClosed("考试时间已到，该答案未能保存")


def _store_answer(session: Session, attempt_id: int, item_id: int, response: str, now: datetime) -> bool:
    """Write one checked answer ("" clears it); False, writing nothing, once the attempt is
    closed or past its deadline. The conditional UPDATE is the check (whichever of a save and a
    submit commits first wins; a save acknowledged before the submit is graded)."""
    session.flush()  # Core statements skip the ORM's autoflush
    connection = session.connection()
    if connection.execute(_STILL_OPEN, {"attempt_id": attempt_id, "now": now}).rowcount != 1:
        return False
    if not response:
        connection.execute(_CLEAR_ANSWER, {"item_id": item_id})
    else:
        connection.execute(_upsert_answer(connection.dialect.name),
                           {"attempt_item_id": item_id, "response": response, "saved_at": now})
    return True


@dataclass(frozen=True)
class AttemptState:
    """What the exam page needs to resume: no answer key, only the examinee's own answers."""

    status: str
    server_now: datetime
    deadline: datetime
    seconds_left: int
    answers: dict[int, object]


def attempt_state(session: Session, attempt: Attempt, now: datetime,
                  items: list[AttemptItem] | None = None) -> AttemptState:
    """`items`: the paper when the caller has already loaded it (the exam page)."""
    if items is None:
        items = load_paper(session, attempt)
    answers = {
        item.id: grading.displayed_from_response(item.version.qtype, item.option_order,
                                                 item.answer.response)
        for item in items if item.answer is not None
    }
    return AttemptState(attempt.status, now, attempt.deadline,
                        seconds_left(attempt.deadline, now), answers)


def load_paper(session: Session, attempt: Attempt) -> list[AttemptItem]:
    return list(session.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
        .options(selectinload(AttemptItem.version), selectinload(AttemptItem.answer))
        .execution_options(populate_existing=True)  # answers are written with Core upserts
        .order_by(AttemptItem.position)
    ))


def can_review(session: Session, attempt: Attempt, now: datetime) -> bool:
    return review_hidden(session, attempt, now) is None


def review_hidden(session: Session, attempt: Attempt, now: datetime) -> str | None:
    """None when the attempt's key may be shown; else why not (a key of REVIEW_NOTICES)."""
    if attempt.status == "in_progress":
        return "after_close"  # never during an attempt, whatever the policy
    exam = attempt.exam
    tried = attempts_of(session, exam.id, attempt.user_id)
    may_try_again = (any(a.status == "in_progress" for a in tried)
                     or len(tried) < attempts_allowed(session, exam, attempt.user))
    return review_hidden_because(exam.review_policy, exam.closes_at, now, may_try_again)


def standing_on(session: Session, exam: Exam, user: User,
                now: datetime) -> tuple[Standing, list[Attempt]]:
    """Where the user stands on the exam (status, best score, may start), and their attempts."""
    tried = attempts_of(session, exam.id, user.id)
    summaries = [AttemptSummary(a.status, a.score, a.passed) for a in tried]
    standing = examinee_standing(exam.opens_at, exam.closes_at, attempts_allowed(session, exam, user),
                                 summaries, now, exam.counted_attempt)
    return standing, tried


def attempts_of(session: Session, exam_id: int, user_id: int) -> list[Attempt]:
    return list(session.scalars(
        select(Attempt).where(Attempt.exam_id == exam_id, Attempt.user_id == user_id)
        .order_by(Attempt.attempt_no)
    ))
