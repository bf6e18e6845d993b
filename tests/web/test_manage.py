import re

from sqlalchemy import select

from quizapp.db import session_scope
from quizapp.models import Exam, Topic

from ..conftest import login


def form_data(app, world, token, **changes):
    with app.app_context(), session_scope(app) as s:
        topics = {t.name: t.id for t in s.scalars(select(Topic))}
    data = {
        "csrf_token": token, "title": "宪法知识测试（三月）", "kind": "constitution",
        "opens_at": "2026-03-02T08:00", "closes_at": "2026-03-20T18:00", "duration_minutes": "30",
        "pass_mark": "6", "max_attempts": "2", "shuffle_questions": "y", "shuffle_options": "y",
        "review_policy": "immediate", "multiple_scoring": "partial", "paper_mode": "random",
        "unit_ids": [str(world.township.id)],
        "rules-0-topic_id": str(topics["宪法"]), "rules-0-qtype": "single", "rules-0-count": "4", "rules-0-points": "1.5",
        "rules-1-topic_id": str(topics["宪法"]), "rules-1-qtype": "true_false", "rules-1-count": "2", "rules-1-points": "2",
        "rules-2-topic_id": "0", "rules-2-qtype": "single", "rules-2-count": "", "rules-2-points": "",
    }
    data.update(changes)
    return data


def test_trainer_creates_an_exam_in_the_browser(app, client, world) -> None:
    token = login(client, "trainer")
    form = client.get("/manage/exams/new").text
    assert "示例县 / 示例乡 / 东风村委会" in form  # the trainer's own subtree …
    assert f'name="unit_ids" type="checkbox" value="{world.county.id}"' not in form and "邻近镇" not in form  # … and nothing above or beside it
    response = client.post("/manage/exams/new", data=form_data(app, world, token))
    assert response.status_code == 302, response.text
    detail = client.get(response.location).text
    assert "宪法知识测试（三月）" in detail and "宪法 · 单选题 4 题 × 1.5 分" in detail
    with app.app_context(), session_scope(app) as s:
        exam = s.scalar(select(Exam).where(Exam.title == "宪法知识测试（三月）"))
        # 08:00 in China is 00:00 UTC
        assert exam.opens_at.isoformat() == "2026-03-02T00:00:00"
        assert (exam.total_points, exam.max_attempts, exam.multiple_scoring) == (10, 2, "partial")
    # the new exam reaches the township's cadres
    cadre = app.test_client()
    login(cadre, "cadre2")
    assert "宪法知识测试（三月）" in cadre.get("/exams").text


def test_validation_messages_are_shown_next_to_the_fields(app, client, world) -> None:
    token = login(client, "trainer")
    response = client.post("/manage/exams/new", data=form_data(
        app, world, token, closes_at="2026-03-01T08:00", **{"rules-0-count": "40"}))
    assert response.status_code == 200
    assert "截止时间必须晚于开始时间" in response.text
    assert "专题“宪法”的单选题只有 4 道，规则需要 40 道" in response.text
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(Exam).where(Exam.title == "宪法知识测试（三月）")) is None


def test_missing_fields_and_garbage_numbers_are_form_errors(app, client, world) -> None:
    token = login(client, "trainer")
    response = client.post("/manage/exams/new", data=form_data(
        app, world, token, title="", duration_minutes="abc", opens_at="not a date"))
    assert response.status_code == 200
    assert "请填写考试名称" in response.text
    assert response.text.count("invalid-feedback") >= 3
    assert not re.search(r"Not a valid|must be|Invalid choice|is not a valid", response.text)


def test_typed_dates_and_out_of_scope_units_get_chinese_messages(app, client, world) -> None:
    token = login(client, "trainer")
    response = client.post("/manage/exams/new", data=form_data(
        app, world, token, opens_at="2026-03-02 08:00", unit_ids=[str(world.other_township.id)]))
    assert "只能选择本单位及下级单位" in response.text
    assert "请填写开始时间" not in response.text  # the typed date was understood
    garbage = client.post("/manage/exams/new", data=form_data(
        app, world, token, **{"rules-0-points": "0", "fixed_points": "x", "kind": "bogus"}))
    messages = re.findall(r'invalid-feedback d-block">([^<]+)<', garbage.text)
    assert messages and all(re.search(r"[\u4e00-\u9fff]", m) for m in messages), messages


def test_an_exam_drawing_only_exam_only_questions(app, client, world, db) -> None:
    token = login(client, "trainer")
    refused = client.post("/manage/exams/new", data=form_data(app, world, token, exam_only_pool="y"))
    assert refused.status_code == 200 and "题库题目不足" in refused.text  # no 考试专用 questions yet
    from quizapp.models import Question

    for q in db.scalars(select(Question).where(Question.code.like("TXF-%"))):
        q.exam_only = True
    db.flush()
    made = client.post("/manage/exams/new", data=form_data(app, world, token, exam_only_pool="y",
                                                             **{"rules-0-count": "3"}))
    assert made.status_code == 302
    assert 'id="exam-only-pool">只用考试专用题' in client.get(made.location).text
