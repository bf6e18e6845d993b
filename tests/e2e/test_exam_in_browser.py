"""The cadre's whole flow in Chromium: log in, start, answer, reload, offline, submit, result."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Answer, Attempt, AttemptItem, User

from .conftest import NO_PLAYWRIGHT, screenshot

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect


def saved_answers(app, username: str = "cadre1") -> int:
    """Answers the server holds for this cadre (colleagues are answering too)."""
    with app.app_context(), session_scope(app) as s:
        return s.scalar(
            select(func.count()).select_from(Answer)
            .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .join(User, User.id == Attempt.user_id).where(User.username == username)) or 0


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill("secret123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/exams")


def open_exam(page, base: str) -> None:
    page.get_by_role("link", name="2026年度学法用法考试").click()
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#exam")


def choose_first_option(page, position: int) -> None:
    page.locator(f"#q{position} label.option").first.click()


def expect_state(page, state: str) -> None:
    page.wait_for_function(
        "s => document.getElementById('save-state').dataset.state === s", arg=state, timeout=15000)


def test_cadre_takes_an_exam_on_a_phone(app, world, live_server, phone) -> None:
    page = phone.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    assert page.locator("section.question").count() == 9
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    choose_first_option(page, 1)
    expect_state(page, "saved")
    assert saved_answers(app) == 1
    screenshot(page, "exam-phone-360")

    page.reload()
    assert page.locator("#q1 input").first.is_checked()
    assert page.locator("#answered-count").inner_text() == "1"

    # The network drops: the answer is kept in the browser, the page says so, and it is
    # delivered once the connection returns.
    phone.set_offline(True)
    choose_first_option(page, 2)
    expect_state(page, "offline")
    assert "离线" in page.locator("#save-state").inner_text()
    assert saved_answers(app) == 1
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect_state(page, "saved")
    assert saved_answers(app) == 2

    for position in range(3, 10):
        choose_first_option(page, position)
    expect_state(page, "saved")
    assert saved_answers(app) == 9
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url(f"{live_server}/attempts/*/result")
    assert dialogs == ["确定要交卷吗？交卷后不能再修改答案。"]
    assert page.locator("#score").is_visible()
    assert page.locator("#verdict").inner_text() in ("合格", "不合格")
    assert page.locator("section.review").count() == 9
    screenshot(page, "result-phone-360")


def test_answers_left_in_the_browser_are_sent_after_a_reload(app, world, live_server, phone) -> None:
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    phone.set_offline(True)
    choose_first_option(page, 3)
    expect_state(page, "offline")
    phone.set_offline(False)
    # Reload before the retry fires: the pending answer comes back from localStorage.
    page.reload()
    expect(page.locator("#q3 input").first).to_be_checked()  # restored by the script, once it runs
    expect_state(page, "saved")
    assert saved_answers(app) == 1


def test_page_submits_itself_at_the_deadline(app, world, live_server, phone, clock) -> None:
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    choose_first_option(page, 1)
    expect_state(page, "saved")
    # The server's clock jumps to 3 seconds before the deadline; the page follows it.
    clock.offset = timedelta(minutes=60) - timedelta(seconds=3)
    page.reload()
    page.wait_for_url(f"{live_server}/attempts/*/result", timeout=20000)
    assert "时间到" in page.content()
    with app.app_context(), session_scope(app) as s:
        attempt = s.scalar(select(Attempt).join(User, User.id == Attempt.user_id)
                           .where(User.username == "cadre1"))
        assert attempt.status == "expired" and attempt.score is not None


def test_exam_page_on_a_desktop_window(app, world, live_server, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    choose_first_option(page, 1)
    expect_state(page, "saved")
    screenshot(page, "exam-desktop-1366")
    assert page.locator("#countdown").inner_text().startswith("59:") or page.locator(
        "#countdown").inner_text() == "1:00:00"
    context.close()
