"""A question's life in the bank: versions, stale edits, retirement, topics, 考试专用."""
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from quizapp.domain.questions import QuestionDraft, validate
from quizapp.errors import Conflict, InvalidInput, NotFound
from quizapp.models import Attempt, Question, QuestionVersion
from quizapp.services import bank_versions, practice
from quizapp.services.attempts import load_paper, start_attempt
from quizapp.services.bank_import import apply_import, plan_import, read_sources
from quizapp.services.bank_search import BankFilter, export_records
from quizapp.services.exams import RuleDraft, create_exam

from ..factories import exam_draft


def question(db, code: str) -> Question:
    return bank_versions.get_question(db, code)


def record(db, code: str, **changes):
    current = bank_versions.record_of(bank_versions.latest(db, question(db, code)))
    return replace(current, **changes)


def test_an_edit_after_an_attempt_leaves_its_score_and_review_as_they_were(db, world, clock) -> None:
    finished = db.scalar(select(Attempt).where(Attempt.user_id == world.leader.id, Attempt.status != "in_progress"))
    score, seen = finished.score, {i.id: (i.version.stem, i.version.answer, i.earned) for i in load_paper(db, finished)}
    item = load_paper(db, finished)[0]
    code = item.version.question.code
    flipped = "B" if item.version.answer == "A" else "A"
    if item.version.qtype == "true_false":
        flipped = "false" if item.version.answer == "true" else "true"
    if item.version.qtype == "multiple":
        flipped = "BC" if item.version.answer != "BC" else "AB"
    changed = record(db, code, stem=item.version.stem + "（修订）", answer=flipped)
    saved = bank_versions.edit_question(db, question(db, code), changed, question(db, code).latest_version,
                                        world.trainer, clock(), [], question(db, code).exam_only)
    assert saved is not None and saved.version_no == 2
    db.expire_all()
    assert finished.score == score
    assert {i.id: (i.version.stem, i.version.answer, i.earned) for i in load_paper(db, finished)} == seen
    assert bank_versions.latest(db, question(db, code)).answer == flipped


def test_an_edit_on_a_stale_version_is_refused_with_both_version_numbers(db, world, clock) -> None:
    q = question(db, "TXF-0001")
    bank_versions.edit_question(db, q, record(db, "TXF-0001", difficulty=3), 1, world.trainer, clock(), [], False)
    with pytest.raises(Conflict) as refused:
        bank_versions.edit_question(db, q, record(db, "TXF-0001", difficulty=2), 1, world.trainer, clock(), [], False)
    assert refused.value.message.startswith("这道题已被他人修改（现为第 2 版，您编辑的是第 1 版）")
    assert bank_versions.latest(db, q).difficulty == 3


def test_saving_unchanged_content_makes_no_version_but_keeps_the_marks(db, world, clock) -> None:
    q = question(db, "TXF-0002")
    assert bank_versions.edit_question(db, q, record(db, "TXF-0002"), 1, world.trainer, clock(), [], True) is None
    assert (q.latest_version, q.exam_only) == (1, True)


def test_moving_a_question_to_another_topic_is_not_a_new_version(db, world, clock) -> None:
    q = question(db, "TXF-0002")
    assert bank_versions.edit_question(db, q, record(db, "TXF-0002", topic="宪法学习"), 1, world.trainer, clock(),
                                       [], False) is None
    assert (q.topic.name, q.latest_version) == ("宪法学习", 1)


def test_history_names_the_author_and_each_changed_field(db, world, clock) -> None:
    q = question(db, "TXF-0001")
    bank_versions.edit_question(db, q, record(db, "TXF-0001", explanation="宪法第一条第二款：社会主义制度是根本制度。",
                                               difficulty=2), 1, world.trainer, clock(), [], False)
    newest, first = bank_versions.history(db, q)
    assert (newest.version.version_no, newest.author) == (2, "用户trainer")
    assert [label for label, _, _ in newest.changes] == ["解析", "难度"]
    assert ("难度", "1", "2") in newest.changes
    assert (first.author, first.changes) == ("文件导入", [])


def test_retire_and_restore_and_never_twice(db, world, clock) -> None:
    q = question(db, "TXF-0003")
    bank_versions.set_retired(db, q, True, world.trainer, clock())
    with pytest.raises(Conflict, match="题目已经停用"):
        bank_versions.set_retired(db, q, True, world.trainer, clock())
    bank_versions.set_retired(db, q, False, world.trainer, clock())
    assert not q.retired and db.get(Question, q.id) is not None


def test_an_import_never_undoes_a_retirement(db, world, clock) -> None:
    q = question(db, "TXF-0001")
    bank_versions.set_retired(db, q, True, world.trainer, clock())
    exported = export_records(db, BankFilter(status="all", topic_name="宪法"))
    from quizapp.formats.bank_yaml import write_bytes

    text = write_bytes([replace(r, difficulty=3) if r.code == "TXF-0001" else r for r in exported])
    plan = plan_import(db, read_sources([("宪法.yaml", text)], None))
    planned = next(i for i in plan.items if i.record.code == "TXF-0001")
    assert planned.status == "changed" and planned.retired
    assert "该题已停用，导入后仍保持停用（需要时在题目页面恢复）" in planned.warnings
    apply_import(db, plan, clock(), world.trainer.id)
    assert q.retired and q.latest_version == 2


def test_a_new_question_gets_the_next_code_of_its_topic(db, world, clock) -> None:
    checked = validate(QuestionDraft("宪法", "true_false", "宪法是国家的根本法，具有最高的法律效力。", (), "true",
                                     "宪法序言规定本宪法是国家的根本法，具有最高的法律效力。",
                                     ({"law": "宪法", "article": "序言", "quote": "是国家的根本法，具有最高的法律效力"},), 1))
    assert checked.record is not None and checked.warnings == []
    created = bank_versions.add_question(db, checked.record, world.trainer, clock(), [], False)
    assert created.code == "TXF-0009"
    fresh = bank_versions.add_question(db, replace(checked.record, topic="新专题"), world.trainer, clock(),
                                       ["未注明法条"], False)
    assert (fresh.code, fresh.needs_review, fresh.review_note) == ("QB-00001", True, "未注明法条")


def test_exam_only_questions_never_reach_practice(db, world, clock) -> None:
    secret = question(db, "TXF-0001")
    secret.exam_only = True
    version = bank_versions.latest(db, secret)
    with pytest.raises(NotFound):
        practice.answer_question(db, world.cadre2, version.id, [0], clock())
    assert practice.question_by_code(db, "TXF-0001") is None
    offered = {practice.next_question(db, world.cadre2, topic_id=secret.topic_id, qtype=None, wrong_book=False).id
               for _ in range(60)}
    assert version.id not in offered


def test_an_exam_can_draw_only_exam_only_questions(db, world, clock) -> None:
    xf = question(db, "TXF-0001").topic_id
    for code in ("TXF-0001", "TXF-0002"):
        question(db, code).exam_only = True
    db.flush()
    draft = exam_draft(db, clock(), [world.township], title="保密题测试", exam_only_pool=True,
                       rules=[RuleDraft(xf, "single", 2, Decimal(50))])
    exam = create_exam(db, draft, world.trainer, clock())
    attempt = start_attempt(db, exam.id, world.cadre2, clock())
    assert sorted(i.version.question.code for i in load_paper(db, attempt)) == ["TXF-0001", "TXF-0002"]
    with pytest.raises(InvalidInput) as refused:
        create_exam(db, replace(draft, title="题不够", rules=[RuleDraft(xf, "single", 3, Decimal(10))]),
                    world.trainer, clock())
    assert any("题库题目不足" in m for m in refused.value.field_errors.get("rules", []))


def test_versions_keep_who_wrote_them(db, world, clock) -> None:
    q = question(db, "TMF-0001")
    bank_versions.edit_question(db, q, record(db, "TMF-0001", tags=("民法典", "总则")), 1, world.trainer, clock(), [],
                                False)
    authors = dict(db.execute(select(QuestionVersion.version_no, QuestionVersion.author_id)
                              .where(QuestionVersion.question_id == q.id)).all())
    assert authors == {1: None, 2: world.trainer.id}
