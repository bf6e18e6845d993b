"""The question bank in Chromium, at a 360 px phone and a desktop: the editor with its live
preview and article check, the duplicate warning, the import preview, the list's search and
bulk tagging, and the cadre's side (practice with the article, 题目纠错, the law library)."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.domain.laws import article_of

from .conftest import NO_PLAYWRIGHT, PAGE_ONLY, screenshot

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
pytestmark = PAGE_ONLY

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True},
}
ARTICLE_1 = article_of("宪法", 1).text
QUOTE_1 = "社会主义制度是中华人民共和国的根本制度"


class Screen:
    """One browser context at one width; every page it opens reports its console errors."""

    def __init__(self, browser, base: str, name: str) -> None:
        self.base, self.name, self.phone = base, name, name == "phone"
        self.context = browser.new_context(locale="zh-CN", **SCREENS[name])
        self.errors: list[str] = []

    def page(self, username: str | None = None):
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        if username:
            log_in(page, self.base, username)
        return page

    def shot(self, page, what: str) -> Path:
        return screenshot(page, f"bank-{what}-{'phone-360' if self.phone else 'desktop'}")

    def fits(self, page) -> None:
        """At 360 px nothing may need sideways scrolling."""
        if self.phone:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{page.url} is {width} px wide"

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill("secret123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def go_to(page, name: str) -> None:
    """A link of the top menu; on a phone the menu opens from its button first."""
    toggler = page.get_by_role("button", name="菜单")
    if toggler.is_visible():
        toggler.click()
    page.locator("#nav").get_by_role("link", name=name, exact=True).click()


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, live_server) -> Iterator[Screen]:
    opened = Screen(browser, live_server, request.param)
    yield opened
    opened.close()


def flash(page):
    return page.locator("main > .alert-success")


def basis_row(page, n: int = 0):
    return page.locator(".basis-row").nth(n)


def fill_question(page, stem: str, options: list[str], explanation: str) -> None:
    page.get_by_label("专题", exact=True).fill("宪法")
    page.get_by_label("题干", exact=True).fill(stem)
    for letter, text in zip("ABCDEF", options, strict=False):
        page.get_by_label(f"选项{letter}", exact=True).fill(text)
    page.get_by_label("解析", exact=True).fill(explanation)


# ---- 1. the editor ---------------------------------------------------------------------------

def test_editor_preview_article_check_errors_versions_and_conflict(screen: Screen) -> None:
    page = screen.page("trainer")
    go_to(page, "题库")
    page.get_by_role("link", name="新建题目").click()
    expect(page.get_by_role("heading", name="新建题目")).to_be_visible()
    screen.fits(page)

    # The preview follows every keystroke, as the cadre will see the question.
    expect(page.locator("#preview-stem")).to_have_text("（题干）")
    stem = "根据宪法，中华人民共和国的根本制度是什么制度？（　）"
    fill_question(page, stem, ["社会主义制度", "人民代表大会制度", "基层群众自治制度"],
                  "宪法第一条第二款规定，社会主义制度是中华人民共和国的根本制度。")
    preview = page.locator("#preview")
    expect(preview.locator("#preview-stem")).to_have_text(stem)
    expect(preview.locator("#preview-type")).to_have_text("单选题 · 宪法")
    expect(preview.locator("label.option")).to_have_text(
        ["A.社会主义制度", "B.人民代表大会制度", "C.基层群众自治制度"])
    expect(preview.locator("label.option input[type=radio]")).to_have_count(3)
    page.get_by_label("选项D", exact=True).press_sequentially("民族区域自治制度")  # key by key
    expect(preview.locator("label.option")).to_have_count(4)
    expect(preview.locator("label.option").nth(3)).to_have_text("D.民族区域自治制度")

    # 判断题: no options, the 正确/错误 radios instead; the preview follows.
    page.get_by_label("题型", exact=True).select_option(label="判断题")
    expect(page.locator("fieldset.choice-only")).to_be_hidden()
    truth = page.locator("fieldset.truth-only")
    expect(truth).to_be_visible()
    expect(truth.get_by_label("正确")).to_be_visible()
    expect(truth.get_by_label("错误")).to_be_visible()
    expect(preview.locator("label.option")).to_have_text(["正确", "错误"])
    expect(preview.locator("#preview-type")).to_have_text("判断题 · 宪法")
    page.get_by_label("题型", exact=True).select_option(label="单选题")
    expect(page.locator("fieldset.choice-only")).to_be_visible()
    expect(truth).to_be_hidden()
    expect(preview.locator("label.option")).to_have_count(4)

    # The cited article appears as soon as law and article are chosen; the quote is checked.
    row = basis_row(page)
    row.get_by_label("第 1 条依据的法律").select_option("宪法")
    row.get_by_label("条款").fill("1")
    check = row.locator(".article-check")
    expect(check.get_by_role("link", name="宪法第一条")).to_be_visible()
    expect(check.locator(".article-text")).to_have_text(ARTICLE_1)
    row.get_by_label("法条原文").fill(QUOTE_1)
    expect(check.locator(".quote-ok")).to_have_text("✓ 原文逐字出现在该条中")
    expect(check.locator("mark")).to_have_text(QUOTE_1)
    if not screen.phone:
        row.scroll_into_view_if_needed()  # the preview stays in sight beside the form
        screen.shot(page, "editor")
    row.get_by_label("法条原文").fill(QUOTE_1.replace("根本", "基本"))
    expect(check.locator(".quote-bad")).to_have_text("✗ 法条原文在宪法第 1 条中找不到（须逐字摘录）")
    expect(check.locator(".quote-ok")).to_have_count(0)
    expect(check.locator("mark")).to_have_count(0)
    row.get_by_label("法条原文").fill(QUOTE_1)
    expect(check.locator(".quote-ok")).to_be_visible()
    screen.fits(page)
    if screen.phone:
        row.scroll_into_view_if_needed()
        screen.shot(page, "editor-basis")
        preview.scroll_into_view_if_needed()
        screen.shot(page, "editor")

    # No answer ticked: refused, the reason under the answers, nothing typed is lost.
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#editor-problems")).to_contain_text("没有保存")
    expect(page.locator("fieldset.choice-only .invalid-feedback")).to_have_text("没有给出正确答案")
    expect(page.get_by_label("题干", exact=True)).to_have_value(stem)
    expect(page.get_by_label("选项D", exact=True)).to_have_value("民族区域自治制度")
    expect(page.get_by_label("解析", exact=True)).to_contain_text("根本制度")
    row = basis_row(page)
    expect(row.get_by_label("第 1 条依据的法律")).to_have_value("宪法")
    expect(row.get_by_label("条款")).to_have_value("1")
    expect(row.get_by_label("法条原文")).to_have_value(QUOTE_1)
    expect(row.locator(".quote-ok")).to_be_visible()  # checked again on the returned form
    expect(page.locator("#preview-stem")).to_have_text(stem)
    screen.fits(page)
    page.locator("fieldset.choice-only").scroll_into_view_if_needed()
    screen.shot(page, "editor-error")

    # A quote not in the article: saved only once the trainer confirms; here it is corrected instead.
    page.get_by_label("A 是正确答案").check()
    row.get_by_label("法条原文").fill(QUOTE_1.replace("根本", "基本"))
    page.get_by_role("button", name="保存", exact=True).click()
    warning = page.locator("#editor-warnings")
    expect(warning).to_contain_text("请核对")
    expect(warning).to_contain_text("法条原文在宪法第 1 条中找不到（须逐字摘录）")
    expect(warning).to_contain_text("法条原文对不上的题目保存后标为“待核对”")
    expect(page.get_by_label("A 是正确答案")).to_be_checked()
    row = basis_row(page)
    expect(row.locator(".quote-bad")).to_be_visible()
    row.get_by_label("法条原文").fill(QUOTE_1)
    expect(row.locator(".quote-ok")).to_be_visible()
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/bank/questions/TXF-\d+$"))
    code = page.url.rsplit("/", 1)[1]
    expect(page.locator(".badge", has_text="待核对")).to_have_count(0)
    expect(flash(page)).to_contain_text(f"已保存新题 {code}")
    expect(page.get_by_role("heading", name=code)).to_be_visible()
    expect(page.locator(".badge", has_text="第 1 版")).to_be_visible()
    expect(page.locator(".question .stem")).to_have_text(stem)
    expect(page.locator(".history")).to_contain_text("（首次创建）")
    screen.fits(page)
    screen.shot(page, "question")

    # A second version, with the history showing what changed.
    page.get_by_role("link", name="修改", exact=True).click()
    expect(page.get_by_role("heading", name=f"修改题目 {code}（现为第 1 版）")).to_be_visible()
    expect(page.get_by_label("题干", exact=True)).to_have_value(stem)
    stem2 = stem.replace("什么制度", "哪一种制度")
    page.get_by_label("题干", exact=True).fill(stem2)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"**/bank/questions/{code}")
    expect(flash(page)).to_contain_text("已保存为第 2 版")
    expect(page.locator(".badge", has_text="第 2 版")).to_be_visible()
    diff = page.locator(".history li").first
    expect(diff).to_contain_text("第 2 版")
    expect(diff.locator(".history-diff del")).to_have_text(stem)
    expect(diff.locator(".history-diff ins")).to_have_text(stem2)
    diff.scroll_into_view_if_needed()
    screen.fits(page)
    screen.shot(page, "history")

    # Two tabs on the same question: the later save is refused and keeps what was typed.
    first, second = page, screen.page()
    second.goto(f"{screen.base}/bank/questions/{code}/edit")
    first.get_by_role("link", name="修改", exact=True).click()
    first.get_by_label("解析", exact=True).fill("宪法第一条第二款：社会主义制度是中华人民共和国的根本制度。")
    second.get_by_label("题干", exact=True).fill("第二个标签页里改的题干：我国的根本制度是（　）。")
    second.get_by_label("选项C", exact=True).fill("基层群众自治制度（改）")
    first.get_by_role("button", name="保存", exact=True).click()
    expect(flash(first)).to_contain_text("已保存为第 3 版")
    second.get_by_role("button", name="保存", exact=True).click()
    expect(second.locator("#editor-problems")).to_contain_text(
        "这道题已被他人修改（现为第 3 版，您编辑的是第 2 版）")
    expect(second.get_by_label("题干", exact=True)).to_have_value("第二个标签页里改的题干：我国的根本制度是（　）。")
    expect(second.get_by_label("选项C", exact=True)).to_have_value("基层群众自治制度（改）")
    expect(second.get_by_label("A 是正确答案")).to_be_checked()
    expect(basis_row(second).get_by_label("法条原文")).to_have_value(QUOTE_1)
    screen.fits(second)
    screen.shot(second, "editor-conflict")
    first.reload()
    expect(first.locator(".question .stem")).to_have_text(stem2)  # the refused save changed nothing


# ---- 2. the duplicate warning ----------------------------------------------------------------

def test_duplicate_stem_is_warned_and_saved_once_confirmed(screen: Screen) -> None:
    page = screen.page("trainer")
    go_to(page, "题库")
    page.get_by_role("link", name="TXF-0002", exact=True).click()
    stem = page.locator(".question .stem").inner_text()
    assert "一切权力属于" in stem
    page.get_by_role("link", name="在本专题新建").click()
    expect(page.get_by_label("专题", exact=True)).to_have_value("宪法")
    fill_question(page, stem, ["人民", "国务院"], "宪法第二条第一款规定，中华人民共和国的一切权力属于人民。")
    page.get_by_label("A 是正确答案").check()
    page.get_by_role("button", name="保存", exact=True).click()
    warning = page.locator("#editor-warnings")
    expect(warning).to_contain_text("请核对")
    expect(warning).to_contain_text("题干与 TXF-0002 相同或相近，请确认不是重复的题目")
    expect(page.get_by_label("题干", exact=True)).to_have_value(stem)
    expect(warning).not_to_contain_text("法条原文")  # the hint on quotes only when a quote is wrong
    confirm = page.get_by_label("已看过上面的提示，仍要保存")
    expect(confirm).not_to_be_checked()
    screen.fits(page)
    screen.shot(page, "duplicate")
    confirm.check()
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/bank/questions/TXF-\d+$"))
    assert not page.url.endswith("TXF-0002")
    expect(flash(page)).to_contain_text("已保存新题 TXF-")
    expect(page.locator(".question .stem")).to_have_text(stem)


# ---- 3. the import preview -------------------------------------------------------------------

def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEADER = ["专题", "题型", "题干", "选项A", "选项B", "选项C", "答案", "解析", "法律", "条款", "法条原文"]


def upload(page, path: Path) -> None:
    page.get_by_label("题库文件（可多选）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name=f"导入预览：{path.name}")).to_be_visible()


def test_import_preview_rejects_a_bad_row_then_imports_a_good_file(screen: Screen, tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "村务题目.csv", [
        HEADER,
        ["宪法", "单选", "根据宪法，村民委员会是村民自我管理的什么组织？（　）", "基层群众性自治组织", "一级政府", "",
         "A", "宪法第一百一十一条规定，村民委员会是基层群众性自治组织。", "", "", ""],
        ["宪法", "单选", "根据宪法，居民委员会的主任由谁选举产生？（　）", "居民", "乡政府", "", "甲",
         "宪法第一百一十一条规定，居民委员会的主任由居民选举。", "", "", ""],
    ])
    page = screen.page("trainer")
    go_to(page, "题库")
    page.get_by_role("link", name="导入", exact=True).click()
    screen.fits(page)
    screen.shot(page, "import-form")
    upload(page, bad)
    expect(page.locator("#import-rejected")).to_contain_text("发现 1 处问题，整批未导入")
    expect(page.locator(".import-counts")).to_have_count(0)  # no counts of an import that will not happen
    problem = page.locator(".problems-table tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.locator("td[data-label=文件]")).to_have_text("村务题目.csv")
    expect(problem.locator("td[data-label=位置]")).to_have_text("第 3 行")  # the header is row 1
    expect(problem.locator("td[data-label=列]")).to_have_text("答案")
    expect(problem.locator("td[data-label=问题]")).to_have_text("答案“甲”无法识别，请填选项字母，如 A 或 ABD")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    screen.fits(page)
    screen.shot(page, "import-rejected")

    good = write_xlsx(tmp_path / "村务题目.xlsx", [
        HEADER,
        ["宪法", "单选", "根据宪法，村民委员会是村民自我管理的什么组织？（　）", "基层群众性自治组织", "一级政府",
         "事业单位", "A", "宪法第一百一十一条规定，村民委员会是基层群众性自治组织。",
         "宪法", "第一百一十一条", "村民委员会是基层群众性自治组织"],
        ["宪法", "判断", "根据宪法，国家机构实行首长负责制的原则。", None, None, None, "错",
         "宪法第三条规定，国家机构实行民主集中制的原则。", "宪法", 3, "国家机构实行首长负责制的原则"],
    ])
    page.get_by_role("link", name="重新上传").click()
    upload(page, good)
    expect(page.locator("#count-new")).to_have_text("2")
    expect(page.locator("#count-changed")).to_have_text("0")
    expect(page.locator("#count-duplicates")).to_have_text("0")
    expect(page.locator("#import-rejected")).to_have_count(0)
    warnings = page.locator(".warnings-table tbody tr")
    expect(warnings).to_have_count(1)
    expect(warnings.locator("td[data-label=位置]")).to_have_text("第 3 行")
    expect(warnings.locator("td[data-label=提示]")).to_have_text("法条原文在宪法第 3 条中找不到（须逐字摘录）")
    screen.fits(page)
    screen.shot(page, "import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#import-done")).to_have_text(
        "村务题目.xlsx：新增 2 题，更新 0 题（生成新版本），未变 0 题。")
    screen.fits(page)
    screen.shot(page, "import-done")

    page.get_by_role("link", name="查看题库（最近修改的在前）").click()
    page.get_by_label("搜索").fill("村民自我管理")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page.locator("#bank-total")).to_have_text("共 1 题")
    expect(page.locator(".bank-table tbody tr")).to_contain_text("村民自我管理")
    page.get_by_label("搜索").fill("实行首长负责制")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page.locator("#bank-total")).to_have_text("共 1 题")
    row = page.locator(".bank-table tbody tr")
    expect(row).to_contain_text("国家机构实行首长负责制")
    expect(row.locator(".badge")).to_have_text("待核对")  # the quote that is not in the law


# ---- 4. the bank list ------------------------------------------------------------------------

def test_bank_list_search_and_bulk_tag(screen: Screen) -> None:
    page = screen.page("trainer")
    go_to(page, "题库")
    expect(page.locator("#bank-total")).to_contain_text("共 ")
    screen.fits(page)
    screen.shot(page, "list")
    page.get_by_label("搜索").fill("根本制度")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page.locator("#bank-total")).to_have_text("共 1 题")
    expect(page.get_by_role("link", name="TXF-0001", exact=True)).to_be_visible()
    page.get_by_role("link", name="清除").click()
    expect(page.get_by_label("搜索")).to_have_value("")

    page.get_by_label("选择 TXF-0001").check()
    page.get_by_label("选择 TMF-0002").check()
    page.get_by_label("对勾选的题目").select_option(label="加标签")
    page.get_by_label("专题或标签").fill("重点题")
    page.get_by_role("button", name="执行").click()
    expect(flash(page)).to_contain_text("“加标签”：选中 2 题，其中 2 题有变化")
    screen.fits(page)
    screen.shot(page, "list-tagged")
    page.locator("summary", has_text="筛选与排序").click()
    page.get_by_label("标签", exact=True).fill("重点题")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#bank-total")).to_have_text("共 2 题")
    expect(page.locator(".bank-table tbody td[data-label=题号]")).to_have_text(["TMF-0002", "TXF-0001"])


# ---- 5. the cadre's side ---------------------------------------------------------------------

def test_cadre_sees_the_article_reports_a_problem_and_reads_the_answer(screen: Screen, browser, live_server) -> None:
    cadre = screen.page("cadre1")
    # A 判断题 whose answer is 错误 (TMF-0005): the feedback shows, the 错误 option marked as the key.
    cadre.goto(f"{live_server}/practice/question?code=TMF-0005")
    cadre.locator("#practice label.option", has_text="错误").click()
    cadre.get_by_role("button", name="提交答案").click()
    expect(cadre.locator("#verdict")).to_have_text("✓ 回答正确")
    expect(cadre.locator("#practice label.option.key")).to_have_text("错误（正确答案）")  # said, not only tinted
    expect(cadre.locator("#basis .article-text mark")).to_have_text("居住权不得转让、继承")

    cadre.goto(f"{live_server}/practice/question?code=TXF-0001")
    cadre.locator("#practice label.option").first.click()
    cadre.get_by_role("button", name="提交答案").click()
    expect(cadre.locator("#verdict")).to_have_text("✓ 回答正确")
    basis = cadre.locator("#basis")
    expect(basis.locator(".article-text")).to_have_text(ARTICLE_1)  # the whole article
    expect(basis.locator(".article-text mark")).to_have_text(QUOTE_1)
    screen.fits(cadre)
    basis.scroll_into_view_if_needed()
    screen.shot(cadre, "practice-article")

    cadre.locator("summary", has_text="题目纠错").click()
    cadre.get_by_label("这道题哪里有问题？").fill("选项C和选项D的表述不够准确，建议核对。")
    cadre.get_by_role("button", name="提交纠错").click()
    expect(flash(cadre)).to_have_text("已提交纠错，出题老师处理后会在这道题下方答复您。谢谢！")
    expect(cadre.locator(".report-box")).to_contain_text("您的纠错")
    expect(cadre.locator(".report-box")).to_contain_text("待处理")

    desk = Screen(browser, live_server, "desktop")
    trainer = desk.page("trainer")
    go_to(trainer, "题库")
    trainer.get_by_role("link", name="题目纠错").click()
    report = trainer.locator(".report-item")
    expect(report).to_have_count(1)
    expect(report).to_contain_text("选项C和选项D的表述不够准确")
    expect(report.get_by_role("link", name="TXF-0001")).to_be_visible()
    report.get_by_label("处理意见").fill("已核对，选项表述无误，谢谢指正。")
    report.get_by_role("button", name="提交").click()
    expect(flash(trainer)).to_have_text("已答复并标为已处理")
    expect(trainer.locator(".report-item")).to_have_count(0)
    desk.close()

    cadre.reload()
    mine = cadre.locator(".report-box .alert")
    expect(mine).to_contain_text("已处理")
    expect(mine).to_contain_text("答复：已核对，选项表述无误，谢谢指正。")
    screen.fits(cadre)
    mine.scroll_into_view_if_needed()
    screen.shot(cadre, "practice-report-answered")

    # The law library: open a law, jump to an article in another chapter.
    go_to(cadre, "法规库")
    expect(cadre.get_by_role("heading", name="法规库")).to_be_visible()
    screen.fits(cadre)
    screen.shot(cadre, "laws")
    cadre.locator(".law-card", has_text="中华人民共和国宪法").click()
    expect(cadre.get_by_role("heading", name="中华人民共和国宪法", exact=True)).to_be_visible()
    expect(cadre.locator(".law-article").first).to_be_visible()
    expect(cadre.locator("#a-38")).to_have_count(0)  # 第三十八条 is in another chapter
    screen.fits(cadre)
    cadre.get_by_label("跳到第几条").fill("第二百条")
    cadre.get_by_role("button", name="查看").click()
    expect(cadre.get_by_role("alert")).to_have_text("宪法没有“第二百条”这一条（共 143 条）。")
    cadre.get_by_label("跳到第几条").fill("第三十八条")
    cadre.get_by_role("button", name="查看").click()
    cadre.wait_for_url(re.compile(r"#a-38$"))
    article = cadre.locator("#a-38")
    expect(article).to_contain_text("第三十八条")
    expect(article).to_contain_text("人格尊严不受侵犯")
    expect(article).to_be_in_viewport()
    # The page scrolls (smoothly) until the article stands at the top of the screen.
    cadre.wait_for_function("() => document.getElementById('a-38').getBoundingClientRect().top < 40")
    screen.fits(cadre)
    screen.shot(cadre, "law-article")
