"""The exam page never claims what it has not done, in Chromium at 360 px.

Before its script runs it says 加载中 and picks up what was ticked meanwhile; without script,
交卷 hands in what is ticked; an answer the server refuses is unticked and explained; an answer
the server keeps failing on does not hold up the others; a tab whose attempt was handed in
elsewhere says so; a reload without network shows the paper kept on the phone; and answers not
yet sent survive a restart of a real gunicorn server.
"""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from quizapp.db import session_scope
from quizapp.models import Attempt, User

from ..reliability.servers import AppServer
from .conftest import NO_PLAYWRIGHT, screenshot
from .test_exam_in_browser import choose_first_option, expect_state, log_in, open_exam, saved_answers

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect


def item_id(page, position: int) -> int:
    return int(page.locator(f"#q{position}").get_attribute("data-item-id"))


def test_before_its_script_runs_the_page_says_loading_and_keeps_early_ticks(app, world, live_server, phone) -> None:
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    held: list = []
    page.route("**/static/js/exam.js*", lambda route: held.append(route))  # the script is "on its way"
    open_exam(page, live_server)
    expect(page.locator("#save-state")).to_have_text("加载中…")
    expect(page.locator("#no-script")).to_be_visible()
    choose_first_option(page, 1)  # a tap in the gap: ticked, not sent
    choose_first_option(page, 2)
    expect(page.locator("#save-state")).to_have_text("加载中…")
    assert saved_answers(app) == 0
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect_state(page, "saved")
    assert saved_answers(app) == 2
    expect(page.locator("#answered-count")).to_have_text("2")
    expect(page.locator("#no-script")).to_be_hidden()


def test_without_script_the_ticked_answers_are_handed_in_with_the_paper(app, world, live_server, browser) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    expect(page.locator("#no-script")).to_contain_text("若此提示一直不消失，说明本浏览器没有运行本页的脚本")
    expect(page.locator("#save-state")).not_to_have_text("已保存")
    for position in range(1, 6):
        choose_first_option(page, position)
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url(f"{live_server}/attempts/*/result")
    assert saved_answers(app) == 5
    with app.app_context(), session_scope(app) as s:
        attempt = s.scalar(select(Attempt).join(User, User.id == Attempt.user_id).where(User.username == "cadre1"))
        assert attempt.status == "submitted"
    context.close()


def test_a_refused_answer_is_unticked_and_the_others_still_save(app, world, live_server, phone) -> None:
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    expect_state(page, "saved")
    refused, failing = item_id(page, 1), item_id(page, 2)

    def judge(route):
        body = json.loads(route.request.post_data or "{}")
        if body.get("item_id") == refused:
            route.fulfill(status=400, content_type="application/json",
                          body=json.dumps({"error": "该题答案无效", "code": "invalid"}))
        elif body.get("item_id") == failing:
            route.fulfill(status=500, content_type="application/json", body=json.dumps({"error": "服务器出错"}))
        else:
            route.continue_()

    page.route("**/api/attempts/*/answers", judge)
    choose_first_option(page, 1)
    expect(page.locator("#q1 .refused-note")).to_contain_text("本题答案未能保存（该题答案无效）")
    expect(page.locator("#q1 input:checked")).to_have_count(0)
    choose_first_option(page, 2)  # the server fails on this one, again and again
    choose_first_option(page, 3)
    choose_first_option(page, 4)
    page.wait_for_function("() => document.querySelectorAll('#q3 input:checked, #q4 input:checked').length === 2")
    deadline = time.monotonic() + 15
    while saved_answers(app) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert saved_answers(app) == 2  # questions 3 and 4; question 2 keeps retrying
    expect(page.locator("#save-state")).not_to_have_text("已保存")
    screenshot(page, "exam-refused-answer-360")
    page.unroute("**/api/attempts/*/answers")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect_state(page, "saved")
    assert saved_answers(app) == 3


def test_a_tab_left_open_says_the_paper_was_handed_in_elsewhere(world, live_server, phone) -> None:
    first = phone.new_page()
    log_in(first, live_server, "cadre1")
    open_exam(first, live_server)
    second = phone.new_page()
    second.goto(first.url)
    second.on("dialog", lambda d: d.accept())
    second.get_by_role("button", name="交卷").click()
    second.wait_for_url(f"{live_server}/attempts/*/result")
    choose_first_option(first, 1)
    expect(first.locator("#exam-alert")).to_contain_text("本次考试已交卷")
    expect(first.locator("#save-state")).to_have_text("已停止保存")
    first.wait_for_url(f"{live_server}/attempts/*/result", timeout=15000)


def test_a_reload_without_network_shows_the_paper_kept_on_the_phone(app, world, live_server, phone) -> None:
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")  # (a promise: evaluate awaits it)
    page.reload()  # now under the worker, which keeps this page
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    choose_first_option(page, 1)
    expect_state(page, "saved")
    phone.set_offline(True)
    page.reload()
    expect(page.locator("#exam-alert")).to_contain_text("网络未连接：这是本机保存的答卷")
    expect(page.locator("#q1 input").first).to_be_checked()  # saved after the page was kept
    choose_first_option(page, 2)
    expect_state(page, "offline")
    screenshot(page, "exam-offline-reload-360")
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect_state(page, "saved")
    assert saved_answers(app) == 2


# What the worker's cache holds, as paths (?v=… kept), and how to plant an entry in it.
CACHED = """name => caches.open(name).then(c => c.keys()).then(ks => ks.map(k => k.url.replace(location.origin, '')))"""
PLANT = """([name, url, body, type]) => caches.open(name).then(c => c.put(url,
  new Response(body, {headers: {'Content-Type': type}})))"""


def eventually(page, check: str, arg: object = None, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    """Polls a check that returns a promise (wait_for_function takes a promise itself as true)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(check, arg):
        assert time.monotonic() < deadline, f"{check} 在 {seconds} 秒内未成立；缓存：{page.evaluate(CACHED, 'quizapp-exam')}"
        page.wait_for_timeout(100)


def test_the_phone_keeps_only_the_static_files_a_kept_exam_page_loads(app, world, live_server, phone) -> None:
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the worker, which keeps this page and the files it loads
    eventually(page, "() => navigator.serviceWorker.controller !== null")
    script = page.locator("script[src*='/static/js/exam.js']").get_attribute("src")
    css = page.locator("link[href*='/static/css/app.css']").get_attribute("href")
    eventually(page, "urls => caches.open('quizapp-exam').then(c => Promise.all(urls.map(u => c.match(u))))"
                     ".then(hits => hits.every(Boolean))", [script, css, page.url])

    older = "/static/js/exam.js?v=000000000000"  # the same file, an earlier release
    dropped = "/static/vendor/bootstrap-5.3.9/bootstrap.min.css?v=000000000000"  # a file no release loads now
    other_page, its_script = "/attempts/999999", "/static/js/exam.js?v=111111111111"  # another attempt's copy
    for url, body, kind in [(older, "old", "text/javascript"), (dropped, "old", "text/css"),
                            (other_page, f'<script src="{its_script}" defer></script>', "text/html"),
                            (its_script, "old", "text/javascript")]:
        page.evaluate(PLANT, ["quizapp-exam", url, body, kind])
    page.evaluate(PLANT, ["quizapp-static-v0", "/static/js/app.js?v=000000000000", "old", "text/javascript"])
    gone = "urls => caches.open('quizapp-exam').then(c => Promise.all(urls.map(u => c.match(u)))).then(hits => !hits.some(Boolean))"

    page.reload()  # a new copy of the page is kept: the files no kept page loads go
    eventually(page, gone, [older, dropped])
    kept = page.evaluate(CACHED, "quizapp-exam")
    assert {script, css, other_page, its_script} <= set(kept), kept

    # A new worker takes over (here: the old one unregistered, the page registers it again).
    page.evaluate(PLANT, ["quizapp-exam", older, "old", "text/javascript"])
    assert page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.unregister())")
    page.reload()
    eventually(page, "() => caches.keys().then(names => names.join() === 'quizapp-exam')")
    eventually(page, gone, [older])
    assert {script, css, its_script} <= set(page.evaluate(CACHED, "quizapp-exam"))

    # What is left is enough for the page to work without network.
    eventually(page, "() => navigator.serviceWorker.controller !== null")
    phone.set_offline(True)
    page.reload()
    expect(page.locator("#exam-alert")).to_contain_text("网络未连接：这是本机保存的答卷")
    expect(page.locator("section.question").first).to_have_css("border-top-style", "solid")  # Bootstrap's .card
    choose_first_option(page, 1)
    expect_state(page, "offline")
    phone.set_offline(False)


def test_unsent_answers_reach_a_restarted_gunicorn_server(app, world, phone, tmp_path) -> None:
    server = AppServer(app.config["DATABASE_URL"], tmp_path).start()
    try:
        page = phone.new_page()
        log_in(page, server.url, "cadre1")
        open_exam(page, server.url)
        choose_first_option(page, 1)
        expect_state(page, "saved")
        server.kill()  # kill -9 of master and workers
        choose_first_option(page, 2)
        choose_first_option(page, 3)
        expect_state(page, "offline")
        assert saved_answers(app) == 1
        server.start()  # the same port: the page's retries find it again
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect_state(page, "saved")
        assert saved_answers(app) == 3
    finally:
        server.stop()
