"""A whole exam by keyboard alone, on a phone-sized window: log in, open the exam, answer every
question with Tab and Space, reload, skip to 交卷 and hand in. The focus is always visible and never
under the sticky bar; each option group is named by its question; the answer sheet says which
questions are answered; the time is spoken only at its marks."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from .conftest import NO_PLAYWRIGHT, PAGE_ONLY
from .test_exam_in_browser import expect_state, log_in, open_exam, saved_answers

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
pytestmark = PAGE_ONLY

FOCUS = """() => {
  const el = document.activeElement;
  const section = el.closest('section.question');
  const ring = el.matches('.option input') ? el.closest('label') : el;
  const style = getComputedStyle(ring);
  const bar = document.querySelector('.exam-bar');
  return {
    tag: el.tagName, type: el.type || '', id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 20),
    position: section ? Number(section.id.slice(1)) : null,
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    under_bar: bar ? ring.getBoundingClientRect().top < bar.getBoundingClientRect().bottom - 1 : false,
  };
}"""


def press_tab_until(page, wanted, limit: int = 60) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if wanted(focus):
            return focus
    raise AssertionError(f"no element reached in {limit} Tabs; last focus {focus}")


def test_a_cadre_takes_a_whole_exam_by_keyboard(app, world, live_server, phone) -> None:  # type: ignore[no-untyped-def]
    page = phone.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.goto(f"{live_server}/login")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type("cadre1")  # the account field has the focus on arrival
    page.keyboard.press("Tab")
    page.keyboard.type("secret123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/exams")

    press_tab_until(page, lambda f: f["text"] == "2026年度学法用法考试")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/exams/\d+$"))
    press_tab_until(page, lambda f: f["text"] == "开始考试")
    page.keyboard.press("Enter")
    page.wait_for_selector("#exam")
    expect_state(page, "saved")

    # Screen readers hear each option with its question; the clock ticks silently.
    stem = page.locator("#q1 .stem").inner_text()
    assert page.get_by_role("radiogroup", name=stem).count() + page.get_by_role("group", name=stem).count() == 1
    assert page.locator("#countdown").get_attribute("aria-live") is None
    expect(page.locator("[data-sheet-for] .sheet-state").first).to_have_text("未答")

    answered: set[int] = set()
    tabs = 0
    while len(answered) < 9:
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs < 120, f"only {sorted(answered)} reached by Tab"
        focus = page.evaluate(FOCUS)
        if focus["position"] is None:
            continue
        assert focus["ring"], f"no visible focus ring on question {focus['position']}"
        assert not focus["under_bar"], f"question {focus['position']}'s focused option hides under the sticky bar"
        if focus["position"] not in answered:
            page.keyboard.press("Space")
            answered.add(focus["position"])
    expect_state(page, "saved")
    assert saved_answers(app) == 9
    expect(page.locator("#answered-count")).to_have_text("9")
    expect(page.locator(".sheet-state", has_text="未答")).to_have_count(0)

    # Opened again from the top: two Tabs reach 跳到交卷, which goes straight to the button.
    page.goto(page.url)
    page.wait_for_selector("#exam")
    expect_state(page, "saved")
    first = press_tab_until(page, lambda f: True, limit=1)
    assert first["text"] == "跳到正文" and first["ring"]
    skip = press_tab_until(page, lambda f: True, limit=1)
    assert skip["text"] == "跳到交卷"
    page.keyboard.press("Enter")
    focus = page.evaluate(FOCUS)
    assert focus["id"] == "submit-button" and focus["ring"] and not focus["under_bar"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/attempts/*/result")
    assert dialogs == ["确定要交卷吗？交卷后不能再修改答案。"]


def test_the_time_is_spoken_at_its_marks_not_every_tick(app, world, live_server, phone, clock) -> None:  # type: ignore[no-untyped-def]
    page = phone.new_page()
    log_in(page, live_server, "cadre1")
    open_exam(page, live_server)
    expect_state(page, "saved")
    clock.offset = timedelta(minutes=60) - timedelta(seconds=66)  # 66 s left of the hour
    page.reload()
    page.wait_for_selector("#exam")
    page.evaluate("""() => {
      window.changes = {countdown: 0, spoken: 0};
      new MutationObserver(() => window.changes.countdown++).observe(
        document.getElementById('countdown'), {childList: true, characterData: true, subtree: true});
      new MutationObserver(() => window.changes.spoken++).observe(
        document.getElementById('time-announcement'), {childList: true, characterData: true, subtree: true});
    }""")
    expect(page.locator("#time-announcement")).to_have_text("剩余时间约 1 分钟", timeout=15_000)
    page.wait_for_timeout(1500)
    changes = page.evaluate("window.changes")
    assert changes["countdown"] >= 3 and changes["spoken"] == 1, changes
