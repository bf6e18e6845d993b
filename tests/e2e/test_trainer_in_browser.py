"""A trainer composes a fixed-paper exam in Chromium; a cadre then takes it on a phone."""
from __future__ import annotations

import pytest

from .conftest import NO_PLAYWRIGHT, PAGE_ONLY
from .test_exam_in_browser import expect_state, log_in

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
pytestmark = PAGE_ONLY


def test_trainer_creates_a_fixed_paper_exam(world, live_server, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("账号").fill("trainer")
    page.get_by_label("密码").fill("secret123")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="新建考试").click()
    expect(page.locator("#fixed-list")).to_be_hidden()
    expect(page.locator("#random-rules")).to_be_visible()
    page.get_by_label("考试名称").fill("民法典专题测试")
    page.get_by_role("radio", name="固定题目").check()
    expect(page.locator("#random-rules")).to_be_hidden()
    expect(page.locator("#fixed-list")).to_be_visible()
    page.get_by_label("固定题目题号").fill("TXF-0001\nTXF-0002, TMF-0004")
    page.get_by_label("固定试卷每题分值").fill("20")
    page.get_by_label("及格分").fill("40")
    page.get_by_label("每位考生题目顺序随机").uncheck()
    page.get_by_label("每位考生选项顺序随机").uncheck()
    page.get_by_label("答案与解析").select_option("immediate")
    page.get_by_label("示例县 / 示例乡", exact=True).check()
    page.get_by_role("button", name="保存考试").click()
    page.wait_for_url(f"{live_server}/manage/exams/*")
    assert "固定 3 题：TXF-0001、TXF-0002、TMF-0004" in page.content()
    context.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    cadre = phone.new_page()
    cadre.on("dialog", lambda d: d.accept())
    log_in(cadre, live_server, "cadre2")
    cadre.get_by_role("link", name="民法典专题测试").click()
    cadre.get_by_role("button", name="开始考试").click()
    cadre.wait_for_selector("#exam")
    # The trainer's three questions, laid out by type: two single-choice, then the judgement.
    heads = cadre.locator("section.question .qhead").all_inner_texts()
    assert heads == ["第 1 题 · 单选题 · 20 分", "第 2 题 · 单选题 · 20 分", "第 3 题 · 判断题 · 20 分"]
    assert "根本制度" in cadre.locator("#q1 .stem").inner_text()  # TXF-0001, in list order
    # Unshuffled, every key of the test bank is the first option; the judgement is true.
    cadre.locator("#q1 label.option").first.click()
    cadre.locator("#q2 label.option").nth(1).click()  # wrong on purpose
    cadre.locator("#q3 label.option").first.click()
    expect_state(cadre, "saved")
    cadre.get_by_role("button", name="交卷").click()
    cadre.wait_for_url(f"{live_server}/attempts/*/result")
    assert cadre.locator("#score").inner_text().split()[0] == "40"
    assert cadre.locator("#verdict").inner_text() == "合格"
    assert cadre.locator("section.review").count() == 3  # review 'immediate', one attempt
    phone.close()
