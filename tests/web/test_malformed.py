"""A malformed request is a 4xx with a Chinese message, never a 500."""
import re

import pytest

from ..conftest import login


@pytest.fixture
def taking(client, world):
    token = login(client, "cadre1")
    response = client.post(f"/exams/{world.exam.id}/start", data={"csrf_token": token})
    attempt_id = int(re.search(r"/attempts/(\d+)", response.location).group(1))
    item_id = int(re.search(r'data-item-id="(\d+)"', client.get(response.location).text).group(1))
    return token, attempt_id, item_id


@pytest.mark.parametrize(("body", "status", "message"), [
    (b"not json", 400, "请求内容不是有效的 JSON 对象"),
    (b"[1, 2]", 400, "请求内容不是有效的 JSON 对象"),
    (b'{"answer": [0]}', 400, "缺少或无效的字段 item_id"),
    (b'{"item_id": "1", "answer": [0]}', 400, "缺少或无效的字段 item_id"),
    (b'{"item_id": 99999999, "answer": [0]}', 404, "题目不属于本次作答"),
])
def test_bad_save_requests(client, taking, body, status, message) -> None:
    token, attempt_id, _ = taking
    response = client.post(f"/api/attempts/{attempt_id}/answers", data=body,
                           headers={"X-CSRFToken": token, "Content-Type": "application/json"})
    assert (response.status_code, response.json["error"]) == (status, message)


@pytest.mark.parametrize("answer", [[0, 1], [9], "A", {"x": 1}, [True]])
def test_bad_answers_to_a_single_choice(client, taking, answer) -> None:
    token, attempt_id, item_id = taking
    response = client.post(f"/api/attempts/{attempt_id}/answers", headers={"X-CSRFToken": token},
                           json={"item_id": item_id, "answer": answer})
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.json["error"])


def test_bad_practice_requests(client, world) -> None:
    token = login(client, "cadre1")
    for body in ({"answer": [0]}, {"version_id": 999999, "answer": [0]}, {"version_id": True}):
        response = client.post("/api/practice/answer", headers={"X-CSRFToken": token}, json=body)
        assert response.status_code in (400, 404), body
        assert "error" in response.json


def test_unknown_ids_and_query_garbage(client, world) -> None:
    login(client, "cadre1")
    assert client.get("/attempts/999999").status_code == 404
    assert client.get("/practice/question?topic=abc&type=nonsense&after=x").status_code == 200


HUGE = 10**30


def test_huge_ids_are_404_not_500(client, taking) -> None:
    token, attempt_id, _ = taking
    for path in (f"/attempts/{HUGE}", f"/api/attempts/{HUGE}/state", f"/exams/{2**31}",
                 f"/attempts/{attempt_id}/result?x={HUGE}"):
        assert client.get(path).status_code in (302, 404), path
    for body in ({"item_id": HUGE, "answer": [0]}, {"item_id": -1, "answer": [0]}):
        response = client.post(f"/api/attempts/{attempt_id}/answers", headers={"X-CSRFToken": token},
                               json=body)
        assert response.status_code == 400, body
    assert client.get(f"/practice/question?topic={HUGE}&after={HUGE}").status_code == 200


def test_huge_ids_on_staff_pages(client, world) -> None:
    login(client, "trainer")
    assert client.get(f"/manage/exams/{HUGE}").status_code == 404
    assert client.get(f"/bank/?topic={HUGE}&page={HUGE}").status_code == 200
