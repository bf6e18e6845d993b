"""Keeping a bank in order: topics and tags by name, and one action on many questions at once
(retire or restore, move to a topic, add or remove a tag, 考试专用 on or off).

A tag is part of what cadres saw, so tagging makes new versions; retiring, moving and marking
change the question in place. Each question an action did not change is left alone.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session, joinedload

from ..domain.questions import MAX_TAG, MAX_TOPIC, QuestionRecord
from ..errors import Conflict, InvalidInput, NotFound
from ..models import ExamRule, Question, QuestionVersion, Topic, User
from .audit import record as audit
from .bank_versions import move_question, new_version, record_of

ACTIONS = {"retire": "停用", "restore": "恢复使用", "move": "移到专题", "tag": "加标签", "untag": "去掉标签",
           "exam_only": "设为考试专用", "practice": "取消考试专用"}
MAX_BULK = 2000
VERSION_COLUMNS = [c.key for c in inspect(QuestionVersion).column_attrs if c.key not in ("id", "question_id")]


def _name(text: str, limit: int, what: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidInput(f"请填写{what}")
    if len(name) > limit:
        raise InvalidInput(f"{what}不超过 {limit} 字")
    return name


def create_topic(session: Session, name: str, actor: User, now: datetime) -> Topic:
    name = _name(name, MAX_TOPIC, "专题名称")
    if session.scalar(select(Topic.id).where(Topic.name == name)) is not None:
        raise Conflict(f"专题“{name}”已经存在")
    topic = Topic(name=name)
    session.add(topic)
    session.flush()
    audit(session, "topic.create", now, actor.id, topic=name)
    return topic


def rename_topic(session: Session, topic_id: int, name: str, actor: User, now: datetime) -> Topic:
    topic = session.get(Topic, topic_id)
    if topic is None:
        raise NotFound("专题不存在")
    name = _name(name, MAX_TOPIC, "专题名称")
    if name != topic.name and session.scalar(select(Topic.id).where(Topic.name == name)) is not None:
        raise Conflict(f"专题“{name}”已经存在；要合并两个专题，请在题库中全选后“移到专题”")
    audit(session, "topic.rename", now, actor.id, before=topic.name, after=name)
    topic.name = name
    return topic


def delete_topic(session: Session, topic_id: int, actor: User, now: datetime) -> None:
    """Only an empty topic no exam draws from can go."""
    topic = session.get(Topic, topic_id)
    if topic is None:
        raise NotFound("专题不存在")
    if session.scalar(select(func.count()).select_from(Question).where(Question.topic_id == topic.id)):
        raise Conflict(f"专题“{topic.name}”中还有题目（包括已停用的），请先把题目移到其他专题")
    if session.scalar(select(func.count()).select_from(ExamRule).where(ExamRule.topic_id == topic.id)):
        raise Conflict(f"有考试按专题“{topic.name}”抽题，不能删除")
    audit(session, "topic.delete", now, actor.id, topic=topic.name)
    session.delete(topic)
    session.flush()


def tag_counts(session: Session) -> Counter[str]:
    """Every tag on a current version, with how many questions carry it."""
    counts: Counter[str] = Counter()
    for tags in session.scalars(select(QuestionVersion.tags).join(Question, Question.id == QuestionVersion.question_id)
                                .where(QuestionVersion.version_no == Question.latest_version)):
        counts.update(tags or [])
    return counts


def _questions(session: Session, codes: Sequence[str]) -> list[Question]:
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise InvalidInput("请先勾选题目")
    if len(codes) > MAX_BULK:
        raise InvalidInput(f"一次最多处理 {MAX_BULK} 题")
    found = list(session.scalars(select(Question).options(joinedload(Question.topic))
                                 .where(Question.code.in_(codes)).order_by(Question.code)))
    if len(found) != len(codes):
        raise NotFound("有题目不存在，请刷新页面后重试")
    return found


def _current_versions(session: Session, questions: Sequence[Question]) -> dict[int, QuestionVersion]:
    """Question id -> its current version, for all of them in one query."""
    return {v.question_id: v for v in session.scalars(
        select(QuestionVersion).join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.id.in_([q.id for q in questions]), QuestionVersion.version_no == Question.latest_version))}


def _retag(session: Session, changes: Sequence[tuple[Question, QuestionVersion, tuple[str, ...]]], actor: User,
           now: datetime) -> int:
    """A new version of each question whose tags differ from the wanted ones; how many.

    The questions' UPDATE and the versions' INSERT go out as one batched statement each (an ORM
    flush of new versions would insert them one by one on SQLite, for their ids)."""
    rows = []
    for question, version, tags in changes:
        current = record_of(version)
        if tags == current.tags:
            continue
        changed = QuestionRecord(current.topic, current.qtype, current.stem, current.options, current.answer,
                                 current.explanation, current.basis, current.difficulty, tags, current.code)
        question.latest_version += 1
        made = new_version(question, changed, question.latest_version, now, actor.id)
        rows.append({**{column: getattr(made, column) for column in VERSION_COLUMNS}, "question_id": question.id})
    if rows:
        session.flush()
        session.execute(insert(QuestionVersion), rows)
    return len(rows)


def bulk(session: Session, codes: Sequence[str], action: str, actor: User, now: datetime, value: str = "") -> int:
    """Apply one action to the chosen questions; how many it changed."""
    if action not in ACTIONS:
        raise InvalidInput("请选择要执行的操作")
    questions = _questions(session, codes)
    changed = 0
    if action == "move":
        name = _name(value, MAX_TOPIC, "专题名称")
        topics: dict[str, Topic] = {}
        for q in questions:
            if q.topic.name != name:
                move_question(session, q, name, actor, now, topics)
                changed += 1
    elif action in ("tag", "untag"):
        tag = "".join(_name(value, MAX_TAG, "标签").split())  # files split tags at spaces
        # Every current version read at once, every new one written at once: a few statements
        # whatever the number of questions ticked.
        versions = _current_versions(session, questions)
        retags = []
        for q in questions:
            tags = tuple(versions[q.id].tags)
            retags.append((q, versions[q.id], tuple(dict.fromkeys((*tags, tag))) if action == "tag"
                           else tuple(t for t in tags if t != tag)))
        changed = _retag(session, retags, actor, now)
    else:
        attribute, wanted = {"retire": ("retired", True), "restore": ("retired", False),
                             "exam_only": ("exam_only", True), "practice": ("exam_only", False)}[action]
        for q in questions:
            if getattr(q, attribute) != wanted:
                setattr(q, attribute, wanted)
                changed += 1
    session.flush()
    audit(session, f"bank.bulk.{action}", now, actor.id, codes=[q.code for q in questions][:200], value=value,
          changed=changed)
    return changed


def rename_tag(session: Session, old: str, new: str, actor: User, now: datetime) -> int:
    """Rename (or, with an empty new name, remove) a tag on every current question carrying it."""
    new = "".join(new.split())  # files split tags at spaces
    if len(new) > MAX_TAG:
        raise InvalidInput(f"标签不超过 {MAX_TAG} 字")
    carrying = [q for q, tags in session.execute(
        select(Question, QuestionVersion.tags).join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .where(QuestionVersion.version_no == Question.latest_version)) if old in (tags or [])]
    if not carrying:
        raise NotFound(f"没有题目带有标签“{old}”")
    versions = _current_versions(session, carrying)
    _retag(session, [(q, versions[q.id], tuple(dict.fromkeys(new if t == old else t for t in versions[q.id].tags
                                                              if t != old or new))) for q in carrying], actor, now)
    session.flush()
    audit(session, "tag.rename", now, actor.id, before=old, after=new, questions=len(carrying))
    return len(carrying)

