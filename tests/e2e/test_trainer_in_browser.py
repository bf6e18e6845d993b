"""A trainer composes an exam in Chromium; the cadre then sees it."""
from __future__ import annotations

from playwright.sync_api import expect

from .test_exam_in_browser import log_in


def test_trainer_creates_a_fixed_paper_exam(world, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("账号").fill("trainer")
    page.get_by_label("密码").fill("secret123")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="新建考试").click()
    expect(page.locator("#fixed-list")).to_be_hidden()
    expect(page.locator("#random-rules")).to_be_visible()
    page.get_by_label("考试名称").fill("反诈专项测试")
    page.get_by_role("radio", name="固定题目").check()
    expect(page.locator("#random-rules")).to_be_hidden()
    expect(page.locator("#fixed-list")).to_be_visible()
    page.get_by_label("固定题目题号").fill("TXF-0001\nTXF-0002, TMF-0004")
    page.get_by_label("固定试卷每题分值").fill("20")
    page.get_by_label("及格分").fill("40")
    page.get_by_label("示例县 / 示例乡", exact=True).check()
    page.get_by_role("button", name="保存考试").click()
    page.wait_for_url(f"{live_server}/manage/exams/*")
    assert "固定 3 题：TXF-0001、TXF-0002、TMF-0004" in page.content()
    context.close()

    cadre = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    log_in(cadre, live_server, "cadre2")
    assert cadre.get_by_role("link", name="反诈专项测试").is_visible()
