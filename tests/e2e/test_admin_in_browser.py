"""An admin imports a roster in Chromium; a new cadre logs in with the initial password."""
from __future__ import annotations

from pathlib import Path

from quizapp.formats.tabular import write_xlsx

from .conftest import PAGE_ONLY, screenshot

pytestmark = PAGE_ONLY


def log_in_as(page, base: str, username: str, password: str = "secret123") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_an_admin_imports_a_roster_and_a_new_cadre_changes_the_password(live_server, browser, tmp_path: Path) -> None:
    roster = tmp_path / "东风村名单.xlsx"
    roster.write_bytes(write_xlsx({"名单": [
        ["姓名", "账号", "手机号", "单位", "职务", "人员类别", "是否领导干部"],
        ["孙丽", "", "13912345678", "示例乡/东风村委会", "村委会委员", "村（社区）干部", "否"],
        ["钱多", "", 13912345679, "示例乡/河口村委会", "报账员", "村（社区）干部", "否"],
        ["用户cadre2", "cadre2", "", "示例乡/河口村委会", "村委会主任", "村（社区）干部", "是"],
    ]}))
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = desk.new_page()
    log_in_as(page, live_server, "sadmin")
    page.get_by_role("link", name="人员", exact=True).click()
    page.get_by_role("link", name="批量导入").click()
    page.get_by_label("人员名单文件（.xlsx 或 .csv）").set_input_files(str(roster))
    page.get_by_role("button", name="上传并预览").click()
    assert page.locator("#count-new").inner_text() == "2"
    assert page.locator("#count-changed").inner_text() == "1"
    assert "单位 示例县/示例乡/东风村委会 → 示例县/示例乡/河口村委会" in page.content()
    screenshot(page, "import-preview-desktop")
    page.get_by_role("button", name="确认导入").click()
    assert "新增 2 人，更新 1 人，未变 0 人" in page.locator("#import-result").inner_text()
    rows = page.locator(".passwords-table tbody tr")
    assert rows.count() == 2
    password = rows.first.locator("code").inner_text()
    with page.expect_download() as download:
        page.locator("#download-passwords").click()
    assert download.value.suggested_filename.startswith("初始密码表")
    desk.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True)
    cadre = phone.new_page()
    log_in_as(cadre, live_server, "13912345678", password)
    cadre.wait_for_url(f"{live_server}/password")
    assert "首次登录，请先修改初始密码" in cadre.content()
    cadre.get_by_label("当前密码").fill(password)
    cadre.get_by_label("新密码", exact=True).fill("sunli2026")
    cadre.get_by_label("再次输入新密码").fill("sunli2026")
    cadre.get_by_role("button", name="保存新密码").click()
    cadre.wait_for_url(f"{live_server}/exams")
    assert cadre.get_by_role("link", name="2026年度学法用法考试").is_visible()
    phone.close()


def test_admin_pages_fit_a_phone(live_server, browser) -> None:
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True)
    page = phone.new_page()
    log_in_as(page, live_server, "sadmin")
    for path, name in [("/admin/people", "people-phone-360"), ("/admin/units", "units-phone-360"),
                       ("/admin/people/import", "import-phone-360")]:
        page.goto(f"{live_server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        screenshot(page, name)
    phone.close()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True)
    log_in_trainer = phone.new_page()
    log_in_as(log_in_trainer, live_server, "trainer")
    log_in_trainer.goto(f"{live_server}/manage/exams")
    log_in_trainer.get_by_role("link", name="2026年度学法用法考试").click()
    assert log_in_trainer.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(log_in_trainer, "exam-roster-phone-360")
    phone.close()
