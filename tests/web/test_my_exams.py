"""我的考试 and the exam pages as a cadre reads them, in a county where colleagues are busy too."""
import re

from sqlalchemy import select

from quizapp.db import session_scope
from quizapp.models import AttemptItem, Question, QuestionVersion

from ..conftest import login
from ..factories import FIXED_LAYOUT


def cards(html: str) -> dict[str, tuple[str, str]]:
    """Exam title -> (status label, the card's text) on 我的考试."""
    found = {}
    for block in html.split('<div class="card exam-card')[1:]:
        title = re.search(r'stretched-link[^>]*>([^<]+)</a>', block).group(1)
        label = re.search(r'<span class="badge status-\w+">([^<]+)</span>', block).group(1)
        found[title] = (label, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)))
    return found


def start(client, exam_id: int, token: str) -> int:
    response = client.post(f"/exams/{exam_id}/start", data={"csrf_token": token})
    assert response.status_code == 302, response.text
    return int(re.search(r"/attempts/(\d+)", response.location).group(1))


def answer_all(app, client, attempt_id: int, token: str, right: int) -> None:
    """Answer through the API as the page does: the first `right` items right, the rest wrong."""
    with app.app_context(), session_scope(app) as s:
        rows = s.execute(select(AttemptItem, QuestionVersion)
                         .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
                         .where(AttemptItem.attempt_id == attempt_id).order_by(AttemptItem.position)).all()
        plan = [(i.id, v.qtype, v.answer, list(i.option_order)) for i, v in rows]
    for n, (item_id, qtype, key, order) in enumerate(plan):
        if qtype == "true_false":
            shown = (key == "true") if n < right else (key != "true")
        else:
            key_shown = sorted(order.index("ABCDEF".index(letter)) for letter in key)
            shown = key_shown if n < right else [next(i for i in range(len(order)) if i not in key_shown)]
        response = client.post(f"/api/attempts/{attempt_id}/answers", headers={"X-CSRFToken": token},
                               json={"item_id": item_id, "answer": shown})
        assert response.status_code == 200, response.json


def test_my_exams_shows_each_exam_as_it_stands_for_me(client, world) -> None:
    login(client, "cadre1")
    mine = cards(client.get("/exams").text)
    assert set(mine) == {"2026年度学法用法考试", "反诈专项测试", "宪法知识测试", "宪法宣誓专题测试"}
    # Colleagues are half-way through or done: none of it is cadre1's.
    assert mine["2026年度学法用法考试"][0] == "开放中"
    assert "可以开始作答" in mine["2026年度学法用法考试"][1]
    assert "成绩" not in mine["2026年度学法用法考试"][1]
    label, text = mine["宪法宣誓专题测试"]
    assert label == "未开放" and "将于 2026-03-03 09:00 开放" in text and "可以开始作答" not in text


def test_a_colleague_in_progress_and_one_who_finished(client, world) -> None:
    login(client, "cadre3")
    busy = cards(client.get("/exams").text)
    assert busy["2026年度学法用法考试"][0] == "进行中" and busy["宪法知识测试"][0] == "进行中"
    assert busy["反诈专项测试"][0] == "开放中" and "可以开始作答" in busy["反诈专项测试"][1]
    other = client.application.test_client()
    login(other, "leader")
    done = cards(other.get("/exams").text)
    label, text = done["2026年度学法用法考试"]
    assert label == "已完成" and "成绩： 8 分 不合格" in text


def test_a_pass_reads_as_passed_with_attempts_counted(app, client, world) -> None:
    token = login(client, "cadre1")
    attempt_id = start(client, world.fixed_exam.id, token)
    answer_all(app, client, attempt_id, token, right=3)  # 3 × 20 = 60, the pass mark
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    label, text = cards(client.get("/exams").text)["反诈专项测试"]
    assert label == "已完成" and "成绩： 60 分 合格" in text and "不合格" not in text
    detail = client.get(f"/exams/{world.fixed_exam.id}").text
    assert "已用 1 次，共可作答 2 次" in detail
    assert "再次作答" in detail  # a second attempt is allowed
    result = client.get(f"/attempts/{attempt_id}/result").text
    assert 'id="score">60' in result and 'id="verdict">合格' in result and "第 1 次作答" in result


def test_an_exam_not_yet_open_cannot_be_started(client, world) -> None:
    token = login(client, "cadre1")
    page = client.get(f"/exams/{world.upcoming_exam.id}").text
    assert "考试尚未开放，请在 2026-03-03 09:00 之后进入" in page
    assert "开始考试" not in page
    response = client.post(f"/exams/{world.upcoming_exam.id}/start", data={"csrf_token": token})
    assert response.status_code == 409 and "考试尚未开始，请在开放时间内进入" in response.text


def test_a_fixed_paper_taken_in_the_browser_flow(app, client, world, clock) -> None:
    token = login(client, "cadre2")
    attempt_id = start(client, world.fixed_exam.id, token)
    page = client.get(f"/attempts/{attempt_id}").text
    heads = re.findall(r"第 (\d+) 题 · (\S+) · (\S+) 分", page)
    assert heads == [("1", "单选题", "20"), ("2", "单选题", "20"), ("3", "多选题", "20"),
                     ("4", "判断题", "20"), ("5", "判断题", "20")]
    with app.app_context(), session_scope(app) as s:
        stems = dict(s.execute(select(Question.code, QuestionVersion.stem)
                               .join(Question, Question.id == QuestionVersion.question_id)).all())
    positions = [page.index(stems[c]) for c in FIXED_LAYOUT]
    assert positions == sorted(positions)  # the trainer's list, laid out by type
    answer_all(app, client, attempt_id, token, right=2)
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    result = client.get(f"/attempts/{attempt_id}/result").text
    assert 'id="score">40' in result and "/ 100 分" in result and 'id="verdict">不合格' in result
    assert "答案与解析将在考试截止（2026-03-09 09:00）后公布" in result
    assert "正确选项" not in result
    clock.advance(days=8)
    reviewed = client.get(f"/attempts/{attempt_id}/result").text
    # Two single-choice keys and the two of TXF-0005 (AB) are marked.
    assert reviewed.count("（正确选项）") == 4 and "第 5 题" in reviewed


def test_a_second_attempt_is_numbered_and_the_key_stays_hidden(client, world) -> None:
    token = login(client, "cadre1")
    first = start(client, world.retake_exam.id, token)
    client.post(f"/attempts/{first}/submit", data={"csrf_token": token})
    second = start(client, world.retake_exam.id, token)
    assert second != first
    assert re.findall(r"第 (\d+) 题", client.get(f"/attempts/{second}").text)[:4] == ["1", "2", "3", "4"]
    client.post(f"/attempts/{second}/submit", data={"csrf_token": token})
    result = client.get(f"/attempts/{second}/result").text
    assert "第 2 次作答" in result and "本次考试不公布答案与解析" in result
    detail = client.get(f"/exams/{world.retake_exam.id}").text
    assert "已用 2 次，共可作答 3 次" in detail
    assert re.findall(r"第 (\d) 次 ·", detail) == ["1", "2"]


def test_my_exams_does_not_wait_for_colleagues_overdue_attempts(client, world, clock) -> None:
    clock.advance(minutes=61)
    login(client, "cadre1")
    mine = cards(client.get("/exams").text)
    assert mine["2026年度学法用法考试"][0] == "开放中"
    busy = client.application.test_client()
    login(busy, "cadre3")
    late = cards(busy.get("/exams").text)
    assert late["2026年度学法用法考试"][0] == "已完成"  # graded with what was saved: 2 right
    assert "成绩： 4 分 不合格" in late["2026年度学法用法考试"][1]
