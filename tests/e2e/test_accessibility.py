"""Every page of every role, at 360 px and at desktop width, in Chromium: axe-core finds no WCAG 2.1
A/AA violation, nothing scrolls sideways (also in 大字 and at 200 % text), and tap targets on a
phone are at least 44 px high."""
from __future__ import annotations

import re

import pytest

from .axe import axe_violations, describe
from .conftest import NO_PLAYWRIGHT, PAGE_ONLY, screenshot
from .test_exam_in_browser import expect_state

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
pytestmark = PAGE_ONLY

VIEWS = {
    "phone": dict(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True),
    "desktop": dict(viewport={"width": 1280, "height": 900}),
}
# What scrolls sideways: the page's own width beyond the window's (a table may scroll in its box).
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
AT_200_PERCENT = """() => {
  const root = document.documentElement, before = root.style.fontSize;
  root.style.fontSize = '200%';
  const over = root.scrollWidth - root.clientWidth;
  // The innermost elements that reach past the window's right edge, to say what to fix.
  const wide = over <= 0 ? [] : Array.from(document.body.querySelectorAll('*'))
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
    .filter(el => { for (let a = el.parentElement; a && a !== root; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return false; } return true; })
    .filter(el => !Array.from(el.children).some(c => c.getBoundingClientRect().right > root.clientWidth + 1))
    .slice(0, 3).map(el => el.outerHTML.slice(0, 90));
  root.style.fontSize = before;
  return [over, wide];
}"""
# Controls a finger must hit on a phone, less than 44 px high (links inside running text excepted);
# a checkbox or radio button whose hit area (the label around it, or its row) is under 44 × 44 px.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'button, .btn, input[type=radio], input[type=checkbox], select, .form-control, .nav-link, .sheet-cell, .page-link, label.option'))
  .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden, [hidden], .skip-link'))
  .filter(el => {
    const choice = el.matches('input[type=radio], input[type=checkbox]');
    const box = (choice ? (el.closest('label, .form-check, li') || el) : el).getBoundingClientRect();
    return box.height < 44 || (choice && box.width < 44);
  })
  .map(el => el.outerHTML.slice(0, 100))"""


class Audit:
    """Visits pages, and keeps what each of them fails."""

    def __init__(self, page, base: str, view: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base, self.view = page, base, view
        self.problems: list[str] = []

    def open(self, name: str, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{name} {path}: HTTP {response and response.status}"
        self.check(name)

    def check(self, name: str) -> None:
        where = f"{self.view} {name} ({self.page.url.removeprefix(self.base)})"
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(describe(where, violations))
        if (over := self.page.evaluate(SIDEWAYS)) > 0:
            self.problems.append(f"{where}: scrolls sideways by {over} px")
        if self.view.startswith("phone"):  # phone and phone-large (大字)
            over, wide = self.page.evaluate(AT_200_PERCENT)
            if over > 0:
                self.problems.append(f"{where}: at 200 % text scrolls sideways by {over} px: {wide}")
            if small := self.page.evaluate(SMALL_TARGETS):
                self.problems.append(f"{where}: {len(small)} tap targets under 44 px: {small[:3]}")

    def log_in(self, username: str) -> None:
        self.page.goto(f"{self.base}/login")
        self.page.get_by_label("账号").fill(username)
        self.page.get_by_label("密码").fill("secret123")
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(re.compile(r".*/(exams|manage/exams)$"))

    def log_out(self) -> None:
        self.page.context.clear_cookies()

    def assert_clean(self) -> None:
        if self.problems:
            pytest.fail("\n".join(self.problems), pytrace=False)


@pytest.fixture(params=["phone", "desktop", "phone-large"])
def audit(request, browser, live_server):  # type: ignore[no-untyped-def]
    view = request.param.removesuffix("-large")
    # Reduced motion: Bootstrap's colour transitions would otherwise be caught half-way.
    context = browser.new_context(locale="zh-CN", reduced_motion="reduce", **VIEWS[view])
    if request.param.endswith("-large"):  # 大字, as the navbar's toggle leaves it
        context.add_init_script("window.localStorage.setItem('quizapp:text-size', 'large')")
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    yield Audit(page, live_server, request.param)
    context.close()


def test_cadre_pages(world, audit) -> None:  # type: ignore[no-untyped-def]
    page = audit.page
    audit.open("登录", "/login")
    page.get_by_label("账号").fill("cadre1")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    audit.check("登录失败")
    audit.log_in("cadre1")
    audit.check("我的考试")
    audit.open("考试说明", f"/exams/{world.exam.id}")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#exam")
    expect_state(page, "saved")
    audit.check("答题")
    screenshot(page, f"a11y-exam-{audit.view}")  # 大字 as the phone-large run shows it
    for position in (1, 2, 3):
        page.locator(f"#q{position} label.option").first.click()
    expect_state(page, "saved")
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url(re.compile(r".*/result$"))
    audit.check("成绩")
    audit.open("学法练习", "/practice/")
    audit.open("练习题", "/practice/question")
    page.locator("#practice label.option").first.click()
    page.get_by_role("button", name="提交答案").click()
    expect(page.locator("#feedback")).to_be_visible()
    audit.check("练习判定")
    audit.open("法规库", "/laws/")
    law = page.locator("main a[href^='/laws/']").first.get_attribute("href")
    audit.open("法规", law)
    audit.open("修改密码", "/password")
    audit.assert_clean()


def test_trainer_pages(world, audit) -> None:  # type: ignore[no-untyped-def]
    audit.log_in("trainer")
    for name, path in [
        ("考试管理", "/manage/exams"), ("新建考试", "/manage/exams/new"),
        ("考试详情", f"/manage/exams/{world.exam.id}"), ("编辑考试", f"/manage/exams/{world.fixed_exam.id}/edit"),
        ("题库", "/bank/"), ("题库筛选", "/bank/?q=宪法&type=single"), ("新题", "/bank/questions/new"),
        ("题目", "/bank/questions/TXF-0001"), ("编辑题目", "/bank/questions/TXF-0001/edit"),
        ("专题", "/bank/topics"), ("纠错", "/bank/reports"), ("导入题库", "/bank/import"), ("导出题库", "/bank/export"),
        ("统计", "/stats/"), ("人员统计", "/stats/people"), ("试题分析", "/stats/items"), ("未参考", "/stats/missing"),
        ("报告", "/stats/report"), ("个人档案", f"/stats/cadre/{world.leader.id}"),
        ("成绩单", f"/stats/exams/{world.exam.id}/transcript"),
    ]:
        audit.open(name, path)
    audit.assert_clean()


def test_admin_pages(world, audit) -> None:  # type: ignore[no-untyped-def]
    audit.log_in("sadmin")
    for name, path in [
        ("人员", "/admin/people"), ("新人员", "/admin/people/new"), ("编辑人员", f"/admin/people/{world.cadre.id}"),
        ("导入名单", "/admin/people/import"), ("单位", "/admin/units"), ("编辑单位", f"/admin/units/{world.village.id}"),
        ("审计日志", "/admin/audit"),
    ]:
        audit.open(name, path)
    audit.assert_clean()


# Every checkbox and radio button on the page with the width and height of what takes its taps.
CHOICE_TARGETS = """() => Array.from(document.querySelectorAll('input[type=checkbox], input[type=radio]'))
  .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden, [hidden]'))
  .map(el => { const box = (el.closest('label, .form-check, li') || el).getBoundingClientRect();
               return [el.outerHTML.slice(0, 90), Math.round(box.width), Math.round(box.height)]; })"""


@pytest.mark.parametrize("view", ["phone", "desktop-large"])
def test_a_table_row_checkbox_is_a_44_px_target_on_a_phone_and_in_large_text(  # type: ignore[no-untyped-def]
        world, browser, live_server, view) -> None:
    context = browser.new_context(locale="zh-CN", reduced_motion="reduce", **VIEWS[view.removesuffix("-large")])
    if view.endswith("-large"):
        context.add_init_script("window.localStorage.setItem('quizapp:text-size', 'large')")
    page = context.new_page()
    Audit(page, live_server, view).log_in("trainer")
    page.goto(f"{live_server}/bank/")
    rows = page.locator("input.row-check")
    assert rows.count() >= 10
    for i in range(rows.count()):
        box = rows.nth(i)
        box.evaluate("el => el.scrollIntoView({block: 'center'})")  # clear of the sticky bulk-action bar
        target = box.locator("xpath=ancestor::label[1]").bounding_box()
        assert target and target["width"] >= 44 and target["height"] >= 44, f"{view}: 第 {i + 1} 行 {target}"
        # A tap near the hit area's corner, off the box itself, ticks the row.
        x, y = target["x"] + 2, target["y"] + 2
        page.touchscreen.tap(x, y) if view == "phone" else page.mouse.click(x, y)
        expect(box).to_be_checked()
    screenshot(page, f"bank-rows-ticked-{view}")
    # The other pages with checkboxes and radio buttons: every one of them has 44 × 44 px to tap.
    small = []
    for path in ("/bank/", f"/manage/exams/{world.exam.id}", "/manage/exams/new", "/bank/questions/TXF-0001/edit",
                 "/bank/reports", "/admin/people", "/practice/question"):
        page.goto(live_server + path)
        small += [(path, *t) for t in page.evaluate(CHOICE_TARGETS) if t[1] < 44 or t[2] < 44]
    context.close()
    assert not small, f"{view}: {small[:5]}"
