import re

from sqlalchemy import select

from quizapp.db import session_scope
from quizapp.models import AttemptItem, QuestionVersion

from ..conftest import login


def start(client, world, token):
    response = client.post(f"/exams/{world.exam.id}/start", data={"csrf_token": token})
    assert response.status_code == 302
    return int(re.search(r"/attempts/(\d+)", response.location).group(1))


def paper(app, attempt_id):
    with app.app_context(), session_scope(app) as s:
        rows = s.execute(select(AttemptItem, QuestionVersion)
                         .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
                         .where(AttemptItem.attempt_id == attempt_id).order_by(AttemptItem.position)).all()
        return [(i.id, v.qtype, v.answer, list(i.option_order), v.explanation) for i, v in rows]


def key_as_shown(qtype, answer, order):
    if qtype == "true_false":
        return answer == "true"
    return sorted(order.index("ABCDEF".index(letter)) for letter in answer)


def test_my_exams_shows_status_and_score(client, world) -> None:
    token = login(client, "cadre1")
    page = client.get("/exams").text
    assert "2026年度学法用法考试" in page and "可以开始作答" in page
    attempt_id = start(client, world, token)
    assert "进行中" in client.get("/exams").text
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    page = client.get("/exams").text
    assert "已完成" in page and "成绩：<strong>0</strong> 分" in page


def test_exam_page_never_carries_the_key(app, client, world) -> None:
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    html = client.get(f"/attempts/{attempt_id}").text
    state = client.get(f"/api/attempts/{attempt_id}/state").json
    for _item_id, _qtype, _answer, _order, explanation in paper(app, attempt_id):
        assert explanation not in html
    assert set(state) == {"status", "server_now", "deadline", "seconds_left", "answers"}
    assert "正确答案" not in html and "basis" not in html


def test_answers_are_saved_resumed_and_graded(app, client, world, clock) -> None:
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    items = paper(app, attempt_id)
    for item_id, qtype, answer, order, _ in items:
        response = client.post(f"/api/attempts/{attempt_id}/answers", headers={"X-CSRFToken": token},
                               json={"item_id": item_id, "answer": key_as_shown(qtype, answer, order)})
        assert response.status_code == 200 and response.json["saved"] is True
    # Another device: a new login sees every saved answer, ticked in the page.
    other = app.test_client()
    login(other, "cadre1")
    html = other.get(f"/attempts/{attempt_id}").text
    assert html.count("checked") == sum(
        1 if q == "true_false" else len(a) for _, q, a, _, _ in items)
    state = other.get(f"/api/attempts/{attempt_id}/state").json
    assert len(state["answers"]) == len(items) and state["seconds_left"] == 3600
    # Double submit (two tabs): the second one just shows the same result.
    first = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    second = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    assert first.location == second.location == f"/attempts/{attempt_id}/result"
    result = client.get(first.location).text
    assert 'id="score">20' in result and "合格" in result
    assert items[0][4] in result  # review policy 'immediate': explanations shown
    assert client.get(f"/attempts/{attempt_id}").location.endswith("/result")


def test_late_answer_is_refused_with_a_message(client, world, clock) -> None:
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    item_id = int(re.search(r'data-item-id="(\d+)"', client.get(f"/attempts/{attempt_id}").text).group(1))
    clock.advance(minutes=60, seconds=1)
    response = client.post(f"/api/attempts/{attempt_id}/answers", headers={"X-CSRFToken": token},
                           json={"item_id": item_id, "answer": [0]})
    assert response.status_code == 409
    assert response.json == {"error": "考试时间已到，该答案未能保存", "code": "closed"}
    assert client.get(f"/api/attempts/{attempt_id}/state").json["status"] == "expired"


def test_review_after_close_hides_answers_until_then(app, client, world, clock) -> None:
    from quizapp.models import Exam

    with app.app_context(), session_scope(app) as s:
        s.get(Exam, world.exam.id).review_policy = "after_close"
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    explanation = paper(app, attempt_id)[0][4]
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    page = client.get(f"/attempts/{attempt_id}/result").text
    assert "答案与解析将在考试截止" in page and explanation not in page
    clock.advance(days=8)
    assert explanation in client.get(f"/attempts/{attempt_id}/result").text


def test_abandoned_attempt_is_finalized_when_read(client, world, clock) -> None:
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    clock.advance(hours=2)
    assert client.get(f"/attempts/{attempt_id}").location.endswith("/result")
    assert "时间到，系统按已保存的答案自动交卷" in client.get(f"/attempts/{attempt_id}/result").text


def test_other_peoples_attempts_are_404(client, world) -> None:
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    other = client.application.test_client()
    other_token = login(other, "cadre2")
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    assert other.post(f"/api/attempts/{attempt_id}/answers", headers={"X-CSRFToken": other_token},
                      json={"item_id": 1, "answer": [0]}).status_code == 404


def test_outsider_cannot_see_or_start_the_exam(client, world) -> None:
    token = login(client, "outsider")
    assert "2026年度学法用法考试" not in client.get("/exams").text
    assert client.get(f"/exams/{world.exam.id}").status_code == 404
    response = client.post(f"/exams/{world.exam.id}/start", data={"csrf_token": token})
    assert response.status_code == 403 and "不在本次考试的参考范围内" in response.text


def test_practice_page_and_feedback(client, world) -> None:
    token = login(client, "cadre1")
    assert "我的错题本" in client.get("/practice/").text
    page = client.get("/practice/question?type=true_false").text
    version_id = int(re.search(r'data-version-id="(\d+)"', page).group(1))
    response = client.post("/api/practice/answer", headers={"X-CSRFToken": token},
                           json={"version_id": version_id, "answer": True})
    assert response.status_code == 200
    assert set(response.json) == {"correct", "answer", "explanation", "basis", "wrong_book_size"}


def test_immediate_review_waits_while_another_attempt_is_possible(app, client, world, clock) -> None:
    from quizapp.models import Exam

    with app.app_context(), session_scope(app) as s:
        s.get(Exam, world.exam.id).max_attempts = 2
    token = login(client, "cadre1")
    first = start(client, world, token)
    explanation = paper(app, first)[0][4]
    client.post(f"/attempts/{first}/submit", data={"csrf_token": token})
    page = client.get(f"/attempts/{first}/result").text
    assert explanation not in page and "用完作答次数" in page
    second = start(client, world, token)
    assert explanation not in client.get(f"/attempts/{first}/result").text  # not during attempt 2
    client.post(f"/attempts/{second}/submit", data={"csrf_token": token})
    assert explanation in client.get(f"/attempts/{first}/result").text


def form_value(qtype, shown):
    """What a ticked input sends: "true"/"false", or the positions of the ticked options."""
    return ("true" if shown else "false") if qtype == "true_false" else [str(n) for n in shown]


def test_without_script_submit_hands_in_what_is_ticked(app, client, world) -> None:
    """A page whose script never ran sends its ticked inputs with 交卷: graded, never a silent 0."""
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    items = paper(app, attempt_id)
    right = {f"item-{i}": form_value(q, key_as_shown(q, a, o)) for i, q, a, o, _ in items[:5]}
    junk = {"item-999999999": "0", "item-abc": "1", f"item-{items[5][0]}": "七", "item-²": "0"}
    response = client.post(f"/attempts/{attempt_id}/submit",
                           data={"csrf_token": token, "scripted": "0", **right, **junk})
    assert response.status_code == 302 and response.location == f"/attempts/{attempt_id}/result"
    state = client.get(f"/api/attempts/{attempt_id}/state").json
    assert state["status"] == "submitted" and len(state["answers"]) == 5
    with app.app_context(), session_scope(app) as s:
        deserved = sum(s.get(AttemptItem, i).points for i, *_ in items[:5])
    assert deserved > 0
    assert f'id="score">{deserved.normalize():f}' in client.get(response.location).text


def test_with_script_submit_ignores_the_ticked_inputs(app, client, world) -> None:
    """The script saved each answer as it was chosen; a stale tab's inputs must not overwrite them."""
    token = login(client, "cadre1")
    attempt_id = start(client, world, token)
    items = paper(app, attempt_id)
    ticked = {f"item-{i}": form_value(q, key_as_shown(q, a, o)) for i, q, a, o, _ in items}
    response = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, "scripted": "1", **ticked})
    assert response.status_code == 302
    assert client.get(f"/api/attempts/{attempt_id}/state").json["answers"] == {}
    assert 'id="score">0' in client.get(response.location).text


def test_the_exam_page_starts_by_saying_it_is_loading(app, client, world) -> None:
    token = login(client, "cadre1")
    html = client.get(f"/attempts/{start(client, world, token)}").text
    assert "加载中…" in html and ">已保存<" not in html
    assert 'form="submit-form"' in html  # inputs belong to the 交卷 form
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype in ("text/javascript", "application/javascript")
    assert "quizapp-exam" in worker.text
