"""A trainer reads the dashboard in Chromium, drills down to people and downloads the report."""
from __future__ import annotations

from docx import Document

from .conftest import PAGE_ONLY, screenshot
from .test_admin_in_browser import log_in_as

pytestmark = PAGE_ONLY


def test_dashboard_charts_drill_down_and_a_download(live_server, browser) -> None:
    for width, name in ((1280, "stats-desktop"), (360, "stats-phone-360")):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        log_in_as(page, live_server, "trainer")
        page.goto(f"{live_server}/stats/")
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-units')")
        assert page.evaluate("Chart.getChart('chart-units').data.labels") == ["乡直机关", "东风村委会", "河口村委会"]
        assert page.evaluate("Chart.getChart('chart-bands').data.datasets[0].data") == [1, 0, 0, 0, 0]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, name)
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    log_in_as(page, live_server, "trainer")
    page.goto(f"{live_server}/stats/")
    page.locator("#unit-table").get_by_role("link", name="东风村委会").click()
    page.locator("#fig-missing").click()
    assert "用户cadre2" in page.content() and "用户cadre1" not in page.content()
    page.goto(f"{live_server}/stats/report")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith("学法考试情况.docx")
    assert any("学法用法考试和培训情况" in p.text for p in Document(str(path)).paragraphs)
    context.close()
