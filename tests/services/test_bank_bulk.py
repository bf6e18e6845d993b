"""Keeping the bank in order: topics, tags, one action on many questions, 题目纠错."""
import pytest
from sqlalchemy import select

from quizapp.errors import Conflict, InvalidInput, NotFound
from quizapp.models import AuditEvent, Topic
from quizapp.services import bank_bulk, bank_versions, reports
from quizapp.services.attempts import load_paper, start_attempt
from quizapp.services.bank_search import BankFilter, search

from ..conftest import recorded_statements


def codes(db, f: BankFilter) -> list[str]:
    rows, _ = search(db, f, 1, 100)
    return [q.code for _, q in rows]


def test_bulk_tag_makes_new_versions_only_where_the_tag_was_missing(db, world, clock) -> None:
    assert bank_bulk.bulk(db, ["TXF-0001", "TXF-0002"], "tag", world.trainer, clock(), "总纲") == 2
    assert bank_bulk.bulk(db, ["TXF-0001", "TXF-0003"], "tag", world.trainer, clock(), "总纲") == 1
    assert codes(db, BankFilter(tag="总纲")) == ["TXF-0001", "TXF-0002", "TXF-0003"]
    assert bank_versions.get_question(db, "TXF-0001").latest_version == 2
    assert bank_bulk.bulk(db, ["TXF-0001"], "untag", world.trainer, clock(), "总纲") == 1
    assert codes(db, BankFilter(tag="总纲")) == ["TXF-0002", "TXF-0003"]


def test_bulk_retire_move_and_exam_only(db, world, clock) -> None:
    assert bank_bulk.bulk(db, ["TXF-0004", "TXF-0005"], "retire", world.trainer, clock()) == 2
    assert codes(db, BankFilter(status="retired")) == ["TXF-0004", "TXF-0005"]
    assert bank_bulk.bulk(db, ["TXF-0004"], "restore", world.trainer, clock()) == 1
    assert bank_bulk.bulk(db, ["TMF-0001", "TMF-0002"], "move", world.trainer, clock(), "宪法") == 2
    assert bank_versions.get_question(db, "TMF-0001").topic.name == "宪法"
    assert bank_versions.get_question(db, "TMF-0001").latest_version == 1  # moving is not a new version
    assert bank_bulk.bulk(db, ["TMF-0003"], "exam_only", world.trainer, clock()) == 1
    assert codes(db, BankFilter(status="exam_only")) == ["TMF-0003"]
    logged = db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("bank.bulk.%"))).all()
    assert logged == ["bank.bulk.retire", "bank.bulk.restore", "bank.bulk.move", "bank.bulk.exam_only"]


@pytest.mark.parametrize(("chosen", "action", "value", "refusal"), [
    ([], "retire", "", "请先勾选题目"),
    (["TXF-0001"], "delete", "", "请选择要执行的操作"),
    (["TXF-0001"], "move", "  ", "请填写专题名称"),
    (["TXF-0001"], "tag", "很" * 33, "标签不超过 32 字"),
])
def test_bulk_refusals_are_clear(db, world, clock, chosen, action, value, refusal) -> None:
    with pytest.raises(InvalidInput) as refused:
        bank_bulk.bulk(db, chosen, action, world.trainer, clock(), value)
    assert refused.value.message == refusal


def test_bulk_on_a_code_that_does_not_exist_changes_nothing(db, world, clock) -> None:
    with pytest.raises(NotFound):
        bank_bulk.bulk(db, ["TXF-0001", "NOPE-0001"], "retire", world.trainer, clock())
    assert not bank_versions.get_question(db, "TXF-0001").retired


def test_topics_created_renamed_and_only_empty_ones_deleted(db, world, clock) -> None:
    topic = bank_bulk.create_topic(db, " 乡村 振兴 ", world.trainer, clock())
    assert topic.name == "乡村 振兴"
    with pytest.raises(Conflict, match="已经存在"):
        bank_bulk.create_topic(db, "宪法", world.trainer, clock())
    xf = db.scalar(select(Topic).where(Topic.name == "宪法"))
    with pytest.raises(Conflict, match="合并两个专题"):
        bank_bulk.rename_topic(db, xf.id, "民法典", world.trainer, clock())
    bank_bulk.rename_topic(db, xf.id, "宪法知识", world.trainer, clock())
    assert bank_versions.get_question(db, "TXF-0001").topic.name == "宪法知识"
    with pytest.raises(Conflict, match="还有题目"):
        bank_bulk.delete_topic(db, xf.id, world.trainer, clock())
    bank_bulk.delete_topic(db, topic.id, world.trainer, clock())
    assert db.get(Topic, topic.id) is None


def test_a_topic_an_exam_draws_from_cannot_be_deleted(db, world, clock) -> None:
    xf = db.scalar(select(Topic).where(Topic.name == "宪法"))
    bank_bulk.bulk(db, codes(db, BankFilter(topic_id=xf.id, status="all")), "move", world.trainer, clock(), "别处")
    with pytest.raises(Conflict, match="有考试按专题“宪法”抽题"):
        bank_bulk.delete_topic(db, xf.id, world.trainer, clock())


def test_a_tag_renamed_or_removed_everywhere(db, world, clock) -> None:
    bank_bulk.bulk(db, ["TXF-0001", "TMF-0001"], "tag", world.trainer, clock(), "基本原则")
    assert bank_bulk.tag_counts(db)["基本原则"] == 2
    assert bank_bulk.rename_tag(db, "基本原则", "原则", world.trainer, clock()) == 2
    assert "基本原则" not in bank_bulk.tag_counts(db) and bank_bulk.tag_counts(db)["原则"] == 2
    assert bank_bulk.rename_tag(db, "原则", "", world.trainer, clock()) == 2
    assert "原则" not in bank_bulk.tag_counts(db)
    with pytest.raises(NotFound, match="没有题目带有标签“原则”"):
        bank_bulk.rename_tag(db, "原则", "x", world.trainer, clock())


def test_a_cadre_reports_a_problem_and_reads_the_answer(db, world, clock) -> None:
    version = bank_versions.latest(db, bank_versions.get_question(db, "TXF-0002"))
    with pytest.raises(InvalidInput, match="请写明题目哪里有问题"):
        reports.create_report(db, version.id, world.cadre2, "  错 ", clock())
    report = reports.create_report(db, version.id, world.cadre2, "选项B的表述与法条不一致", clock())
    assert reports.open_count(db, world.township) == 1
    with pytest.raises(InvalidInput, match="请写下处理意见"):
        reports.answer(db, report.id, world.trainer, " ", True, clock())
    reports.answer(db, report.id, world.trainer, "已核对，表述无误", True, clock())
    assert reports.open_count(db, world.township) == 0
    mine = reports.mine_by_version(db, world.cadre2, [version.id])[version.id]
    assert [(r.status_label, r.reply) for r in mine] == [("已处理", "已核对，表述无误")]
    with pytest.raises(Conflict):
        reports.answer(db, report.id, world.trainer, "再说一次", True, clock())


def test_an_exam_only_question_is_reported_only_by_who_met_it(db, world, clock) -> None:
    attempt = start_attempt(db, world.exam.id, world.cadre2, clock())
    paper = load_paper(db, attempt)
    seen = paper[0].version
    on_paper = {i.version.question.code for i in paper}
    all_codes = [f"TXF-000{n}" for n in range(1, 9)] + [f"TMF-000{n}" for n in range(1, 6)]
    unseen = bank_versions.latest(db, bank_versions.get_question(db, next(c for c in all_codes if c not in on_paper)))
    seen.question.exam_only = unseen.question.exam_only = True
    db.flush()
    assert reports.create_report(db, seen.id, world.cadre2, "题干有错别字", clock()).version_id == seen.id
    with pytest.raises(NotFound):
        reports.create_report(db, unseen.id, world.cadre2, "题干有错别字", clock())
    assert reports.create_report(db, unseen.id, world.trainer, "出题老师自己也能记下问题", clock())


def test_bulk_tagging_costs_the_same_statements_for_two_questions_or_ten(app, db, world, clock) -> None:
    counts = []
    for chosen in (["TXF-0001", "TMF-0001"], [f"TXF-000{n}" for n in range(2, 9)] + ["TMF-0002", "TMF-0003", "TMF-0004"]):
        db.flush()  # what the previous round left pending is not this round's cost
        with recorded_statements(app) as statements:
            assert bank_bulk.bulk(db, chosen, "tag", world.trainer, clock(), "重点题") == len(chosen)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 5, counts
    assert codes(db, BankFilter(tag="重点题")) == sorted(["TXF-0001", "TMF-0001", *[f"TXF-000{n}" for n in range(2, 9)],
                                                        "TMF-0002", "TMF-0003", "TMF-0004"])
    assert bank_versions.get_question(db, "TMF-0004").latest_version == 2


def test_a_questions_reports_come_with_the_versions_they_were_about(app, db, world, clock) -> None:
    from dataclasses import replace

    from quizapp.db import session_scope
    from quizapp.models import Question

    question = bank_versions.get_question(db, "TXF-0002")
    for n, who in enumerate(("cadre", "cadre2", "cadre3")):
        version = bank_versions.latest(db, question)
        reports.create_report(db, version.id, getattr(world, who), f"第 {n + 1} 版的选项有歧义", clock())
        record = bank_versions.record_of(version)
        bank_versions.change_question(db, question, replace(record, stem=record.stem + "。"), clock(), None, [])
        db.flush()
    db.commit()
    with session_scope(app) as fresh:  # nothing of the question in memory yet, as in a request
        found = reports.of_question(fresh, fresh.scalar(select(Question).where(Question.code == "TXF-0002")),
                                    world.township)
        with recorded_statements(app, selects_only=True) as selects:
            shown = [(r.version.version_no, r.reporter.full_name) for r in found]
    assert sorted(shown) == [(1, "用户cadre1"), (2, "用户cadre2"), (3, "用户cadre3")]
    assert selects == []
