"""The trainer's exam page after creation: edit, close, reopen, copy, delete, 免考, 补考 —
and what cadres then see (开放中, 继续作答 · 剩余, 再次作答)."""
import re

from sqlalchemy import select

from quizapp.db import session_scope
from quizapp.models import Exam, Exemption

from ..conftest import login
from .test_my_exams import cards, start


def exam(app, exam_id: int) -> Exam | None:
    """The exam as stored now, its paper loaded (for its total)."""
    with app.app_context(), session_scope(app) as s:
        found = s.get(Exam, exam_id)
        if found is not None:
            found.total = found.total_points
        return found


def test_the_exam_page_says_how_its_list_was_made(client, world) -> None:
    login(client, "trainer")
    page = client.get(f"/manage/exams/{world.exam.id}").text
    assert "应考名单于 2026-03-02 08:00 考试开放时，按参考单位（含下级单位）的在职考生生成" in page
    assert re.search(r'id="expected">5<', page) and re.search(r'id="finished">1<', page)
    assert 'id="phase">开放中' in page
    upcoming = client.get(f"/manage/exams/{world.upcoming_exam.id}").text
    assert "下表是按目前人员名单预计的应考人员" in upcoming and 'id="phase">未开放' in upcoming


def test_an_exam_nobody_started_is_edited_in_full(app, client, world) -> None:
    from .test_manage import form_data

    token = login(client, "trainer")
    form = client.get(f"/manage/exams/{world.upcoming_exam.id}/edit").text
    assert 'value="宪法宣誓专题测试"' in form and "修改考试" in form and 'value="2026-03-03T09:00"' in form
    data = form_data(app, world, token, title="宪法宣誓专题测试（改期）", pass_mark="5",
                     opens_at="2026-03-04T09:00", counted_attempt="last")
    data.pop("shuffle_questions")
    response = client.post(f"/manage/exams/{world.upcoming_exam.id}/edit", data=data)
    assert response.status_code == 302, re.findall(r"(?:invalid-feedback d-block|rule-error)\">([^<]+)<", response.text)
    changed = exam(app, world.upcoming_exam.id)
    assert (changed.title, changed.pass_mark, changed.shuffle_questions, changed.counted_attempt) == (
        "宪法宣誓专题测试（改期）", 5, False, "last")
    assert changed.opens_at.isoformat() == "2026-03-04T01:00:00" and changed.total == 10
    assert "没有改动" in client.get(client.post(f"/manage/exams/{world.upcoming_exam.id}/edit", data=data).location).text


def test_once_started_the_form_offers_only_what_may_change(app, client, world) -> None:
    token = login(client, "trainer")
    form = client.get(f"/manage/exams/{world.exam.id}/edit").text
    assert "已有考生开始作答" in form and 'name="pass_mark"' not in form
    refused = client.post(f"/manage/exams/{world.exam.id}/edit", data={
        "csrf_token": token, "title": "2026年度学法用法考试", "closes_at": "2026-03-08T09:00",
        "review_policy": "never", "unit_ids": [str(world.township.id)]})
    messages = re.findall(r'invalid-feedback d-block">([^<]+)<', refused.text)
    assert "已有考生开始作答，截止时间只能推后；如需立即结束请用“提前截止”" in messages
    assert "已有考生开始作答，答案公布方式只能放宽，不能收紧" in messages
    saved = client.post(f"/manage/exams/{world.exam.id}/edit", data={
        "csrf_token": token, "title": "2026年度学法用法考试", "closes_at": "2026-03-12T09:00",
        "review_policy": "immediate", "unit_ids": [str(world.township.id)]})
    assert saved.status_code == 302
    assert exam(app, world.exam.id).closes_at.isoformat() == "2026-03-12T01:00:00"


def test_closing_early_and_reopening(app, client, world, clock) -> None:
    token = login(client, "trainer")
    response = client.post(f"/manage/exams/{world.exam.id}/close", data={"csrf_token": token})
    assert "考试已截止，2 份正在进行的作答已按已保存的答案评分" in client.get(response.location).text
    cadre = client.application.test_client()
    login(cadre, "cadre1")
    assert cards(cadre.get("/exams").text)["2026年度学法用法考试"][0] == "已截止"
    client.post(f"/manage/exams/{world.exam.id}/reopen", data={"csrf_token": token, "closes_at": "2026-03-05T18:00"})
    assert cards(cadre.get("/exams").text)["2026年度学法用法考试"][0] == "开放中"
    refused = client.post(f"/manage/exams/{world.exam.id}/reopen", data={"csrf_token": token, "closes_at": "2026-03-06T18:00"})
    assert "只有已截止的考试可以重新开放" in client.get(refused.location).text


def test_copying_fills_the_new_exam_form(client, world) -> None:
    login(client, "trainer")
    page = client.get(f"/manage/exams/new?copy={world.fixed_exam.id}").text
    assert "已复制原考试的全部设置" in page and 'value="反诈专项测试（副本）"' in page
    assert "TXF-0001\nTXF-0005\nTXF-0007\nTMF-0004\nTMF-0001" in page
    assert client.get(f"/manage/exams/new?copy={world.other_exam.id}").status_code == 403


def test_deleting_only_what_nobody_started(app, client, world) -> None:
    token = login(client, "trainer")
    refused = client.post(f"/manage/exams/{world.exam.id}/delete", data={"csrf_token": token})
    assert "已有考生作答，不能删除" in client.get(refused.location).text
    gone = client.post(f"/manage/exams/{world.upcoming_exam.id}/delete", data={"csrf_token": token})
    assert gone.location == "/manage/exams" and exam(app, world.upcoming_exam.id) is None


def test_exemptions_for_several_people_at_once(app, client, world) -> None:
    token = login(client, "trainer")
    response = client.post(f"/manage/exams/{world.exam.id}/exemptions", data={
        "csrf_token": token, "user_ids": [str(world.cadre.id), str(world.cadre2.id)], "action": "set",
        "kind": "exempt", "reason": "sick_leave", "note": "住院", "approved_by": "李乡长"})
    page = client.get(response.location.split("#")[0]).text
    assert "已为 2 人登记免考" in page and page.count("免考：长期病假（住院）") == 2
    assert re.search(r'id="expected">3<', page) and "免考 2 人，缓考 0 人，不计入应考" in page
    missing = client.post(f"/manage/exams/{world.exam.id}/exemptions", data={
        "csrf_token": token, "user_ids": [str(world.cadre3.id)], "action": "set", "kind": "exempt",
        "reason": "other", "approved_by": ""})
    assert "请填写批准人" in client.get(missing.location.split("#")[0]).text
    with app.app_context(), session_scope(app) as s:
        assert len(s.scalars(select(Exemption)).all()) == 2


def test_a_makeup_exam_from_the_roster(app, client, world, clock) -> None:
    clock.advance(days=8)
    token = login(client, "trainer")
    response = client.post(f"/manage/exams/{world.exam.id}/makeup", data={
        "csrf_token": token, "user_ids": [str(world.leader.id), str(world.cadre.id)], "mode": "copy",
        "opens_at": "2026-03-10T09:00", "closes_at": "2026-03-12T18:00"})
    page = client.get(response.location).text
    assert "已为 2 人安排补考“2026年度学法用法考试（补考）”" in page
    assert "本场应考名单为安排补考时指定的 2 人" in page
    leader = client.application.test_client()
    login(leader, "leader")
    assert "2026年度学法用法考试（补考）" in cards(leader.get("/exams").text)


def test_a_cadre_continues_with_the_time_left_and_may_try_again_after_failing(app, client, world, clock) -> None:
    token = login(client, "cadre1")
    attempt_id = start(client, world.retake_exam.id, token)
    clock.advance(minutes=12, seconds=30)
    label, text = cards(client.get("/exams").text)["宪法知识测试"]
    assert label == "进行中" and "继续作答 · 剩余 47:30" in text
    assert "继续作答 · 剩余 47:30" in client.get(f"/exams/{world.retake_exam.id}").text
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    result = client.get(f"/attempts/{attempt_id}/result").text
    assert 'id="verdict">不合格' in result and 'id="try-again">再次作答' in result
    assert "还可以作答 2 次，取最高分" in result
    second = start(client, world.retake_exam.id, token)
    client.post(f"/attempts/{second}/submit", data={"csrf_token": token})
    both = client.get(f"/attempts/{second}/result").text
    assert re.findall(r"第 (\d) 次：", both) == ["1", "2"]
    assert both.count("计入成绩") == 1


def test_a_passed_attempt_offers_no_retry(app, client, world) -> None:
    from .test_my_exams import answer_all

    token = login(client, "cadre1")
    attempt_id = start(client, world.fixed_exam.id, token)
    answer_all(app, client, attempt_id, token, right=5)
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    assert "再次作答" not in client.get(f"/attempts/{attempt_id}/result").text


def test_exams_list_tells_open_from_not_yet_open(client, world, clock) -> None:
    login(client, "trainer")
    page = client.get("/manage/exams").text
    assert page.count(">开放中<") == 3 and page.count(">未开放<") == 1
    clock.advance(days=1, hours=1)
    assert client.get("/manage/exams").text.count(">开放中<") == 4
