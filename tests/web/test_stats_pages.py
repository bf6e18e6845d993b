"""The statistics pages as a trainer reads them, their exports, and the number of queries they cost."""
import io
import re

from docx import Document
from openpyxl import load_workbook

from quizapp.db import session_scope
from quizapp.models import User
from quizapp.services import accounts
from quizapp.services.attempts import load_paper, save_answer, start_attempt, submit_attempt

from ..conftest import login, recorded_statements
from ..factories import right_answer


def test_the_dashboard_shows_the_figures_and_links_each_to_its_people(client, world) -> None:
    login(client, "trainer")
    page = client.get("/stats/?year=2026").text
    assert re.search(r'id="fig-expected">\s*<div[^>]*>应考</div><div[^>]*>15<', page)
    assert re.search(r'id="fig-taken">\s*<div[^>]*>实考</div><div[^>]*>1<', page)
    assert 'data-chart="{&#34;labels&#34;: [&#34;乡直机关&#34;' in page  # the units chart's data
    people = client.get("/stats/people?year=2026&who=taken").text
    assert "共 1 人次" in people and "用户leader" in people and "不合格" in people
    missing = client.get(f"/stats/people?year=2026&who=missing&unit={world.village.id}").text
    assert "共 3 人次" in missing and "用户cadre2" in missing and "用户cadre1" not in missing


def test_another_townships_figures_are_not_shown(client, world) -> None:
    login(client, "trainer")
    assert "邻近镇学法考试" not in client.get("/stats/?year=2026").text
    assert client.get(f"/stats/?unit={world.other_township.id}").status_code == 404
    assert client.get(f"/stats/cadre/{world.outsider.id}").status_code == 404


def test_the_missing_list_by_unit_prints_and_exports(client, world) -> None:
    login(client, "trainer")
    page = client.get(f"/stats/missing?year=2026&exam={world.exam.id}").text
    assert 'id="missing-count">4<' in page and "正在作答" in page and "data-print" in page
    assert re.findall(r'<h2 class="h6 mt-3">([^<]+)</h2>', page) == [
        "示例县 / 示例乡 / 乡直机关（2）", "示例县 / 示例乡 / 东风村委会（1）", "示例县 / 示例乡 / 河口村委会（1）"]
    sheet = load_workbook(io.BytesIO(client.get(f"/stats/missing.xlsx?year=2026&exam={world.exam.id}").data))["未参考名单"]
    assert len(list(sheet.iter_rows())) == 5
    csv_text = client.get(f"/stats/missing.csv?year=2026&exam={world.exam.id}").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("考试,单位,姓名")


def test_report_preview_and_downloads(client, world) -> None:
    login(client, "trainer")
    page = client.get("/stats/report?year=2026").text
    assert "2026年度示例乡学法用法考试和培训情况" in page and "全年应考15人次" in page and 'data-copy="#report-text"' in page
    docx = client.get("/stats/report.docx?year=2026")
    assert docx.headers["Content-Disposition"].startswith("attachment")
    assert "2026年度示例乡学法用法考试和培训情况" in [p.text for p in Document(io.BytesIO(docx.data)).paragraphs]
    assert load_workbook(io.BytesIO(client.get("/stats/report.xlsx?year=2026").data)).sheetnames[0] == "汇总"
    assert client.get("/stats/report.zip?year=2026").data[:2] == b"PK"
    assert client.get("/stats/report.pdf?year=2026").status_code == 404


def test_item_analysis_and_a_cadres_record(client, world) -> None:
    login(client, "trainer")
    items = client.get("/stats/items?year=2026").text
    assert "宪法" in items and "题目分析" in items and items.count("TXF-") >= 3
    record = client.get(f"/stats/cadre/{world.leader.id}?year=2026").text
    assert "用户leader 的 2026 年学法档案" in record and "第 1 次 8 分" in record and "不合格" in record


def test_a_transcript_and_a_certificate(app, client, world, clock) -> None:
    with app.app_context(), session_scope(app) as s:
        cadre = s.get(User, world.cadre.id)
        attempt = start_attempt(s, world.fixed_exam.id, cadre, clock())
        for item in load_paper(s, attempt):
            save_answer(s, attempt, item.id, right_answer(item), clock())
        submit_attempt(s, attempt, clock())
    login(client, "trainer")
    transcript = client.get(f"/stats/exams/{world.fixed_exam.id}/transcript").text
    assert "反诈专项测试 成绩单" in transcript and "用户cadre1" in transcript and "合格" in transcript
    assert "合格证明" in client.get(f"/manage/exams/{world.fixed_exam.id}").text
    cert = client.get(f"/stats/certificate/{world.fixed_exam.id}/{world.cadre.id}").text
    assert 'id="cert-name">用户cadre1<' in cert and 'id="cert-score">100<' in cert
    assert client.get(f"/stats/certificate/{world.exam.id}/{world.leader.id}").status_code == 404
    own = client.application.test_client()
    login(own, "cadre1")
    assert "考试合格" in own.get(f"/exams/{world.fixed_exam.id}/certificate").text
    assert "合格证明" in own.get(f"/attempts/{attempt.id}/result").text


def test_statistics_pages_cost_the_same_queries_for_five_people_or_forty(app, client, world, clock) -> None:
    login(client, "trainer")
    pages = ["/stats/?year=2026", "/stats/missing?year=2026", "/stats/report?year=2026", "/stats/items?year=2026",
             f"/manage/exams/{world.exam.id}"]
    client.get(pages[0])  # lists taken, overdue attempts graded: the first visit may write
    before = {}
    for page in pages:
        with recorded_statements(app) as statements:
            assert client.get(page).status_code == 200
        before[page] = len(statements)
    from quizapp.services.examinees import refresh_open_rosters

    with app.app_context(), session_scope(app) as s:
        village = s.get(type(world.village), world.village.id)
        newcomers = [accounts.create_user(s, username=f"extra{n}", password_hash="x", full_name=f"新人{n}",
                                          unit=village, role="cadre", now=clock()) for n in range(35)]
        s.flush()
        refresh_open_rosters(s, clock())  # they joined while the exams were open
        for user in newcomers[::3]:
            submit_attempt(s, start_attempt(s, world.exam.id, user, clock()), clock())
    for page in pages:
        with recorded_statements(app) as statements:
            assert client.get(page).status_code == 200
        assert len(statements) == before[page], (page, before[page], len(statements))
