"""Practice in Chromium: instant feedback with the article, and the 错题本 emptying."""
from __future__ import annotations

from .test_exam_in_browser import log_in


def answer(page, wrong: bool) -> None:
    """The test bank keys every single-choice question on its first option."""
    page.locator("#practice label.option").nth(1 if wrong else 0).click()
    page.get_by_role("button", name="提交答案").click()
    page.wait_for_selector("#feedback:not(.d-none)")


def test_practice_feedback_and_wrong_book(world, live_server, phone) -> None:
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    page.goto(f"{live_server}/practice/")
    page.get_by_role("link", name="全部题型").first.click()
    page.wait_for_selector("#practice")  # a topic's questions open from the practice home
    page.goto(f"{live_server}/practice/question?type=single")
    answer(page, wrong=True)
    assert "回答错误，已加入错题本" in page.locator("#verdict").inner_text()
    assert "条" in page.locator("#basis").inner_text()  # the article, e.g. 宪法第一条
    assert page.locator("label.option.key").count() == 1
    page.goto(f"{live_server}/practice/")
    assert page.locator("#wrong-book-size").inner_text() == "1"
    page.get_by_role("link", name="练习错题").click()
    answer(page, wrong=False)
    assert "回答正确" in page.locator("#verdict").inner_text()
    assert page.locator("#wrong-book-size").inner_text() == "0"
    page.get_by_role("link", name="下一题").click()
    assert "错题本已清空" in page.content()
