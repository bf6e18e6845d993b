"""What a second reader found in the bank pages: links rebuilt from the query string, junk ids,
题目纠错 across townships, the editor's legal basis rows and line breaks, the status filter."""
import html
import re
from dataclasses import replace
from urllib.parse import unquote

import lxml.html
import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from quizapp.domain.laws import article_of
from quizapp.models import Question, QuestionReport
from quizapp.services import bank_versions

from ..conftest import login, recorded_statements

# Keys url_for() reads itself: passed through, they crash it or point the link elsewhere.
HOSTILE = "_method=DELETE&endpoint=bank.bulk&_external=1&_anchor=evil&_scheme=javascript&code=X"


@pytest.mark.parametrize(("who", "path"), [
    ("trainer", "/bank/?q=宪法&"), ("trainer", "/bank/?page=2&"), ("trainer", "/stats/?year=2026&"),
    ("trainer", "/stats/people?year=2026&who=taken&"), ("trainer", "/stats/missing?year=2026&"),
    ("trainer", "/stats/items?year=2026&"), ("trainer", "/stats/report?year=2026&"),
    ("admin", "/admin/audit?page=2&group=auth&")])
def test_links_rebuilt_from_the_query_keep_only_the_filters(client, world, db, clock, who, path) -> None:
    from quizapp.services.audit import record

    for _ in range(101):  # two pages of the audit log, so that it links to the other one
        record(db, "auth.login", clock(), world.admin.id)
    db.commit()
    login(client, who)
    page = client.get(path + HOSTILE)
    assert page.status_code == 200
    links = [html.unescape(unquote(h)) for h in re.findall(r'href="([^"]*)"', page.text)]
    assert links
    for bad in ("_method", "endpoint=", "_external", "_anchor", "_scheme", "#evil", "javascript:", "http://", "code=X"):
        assert not [h for h in links if bad in h], bad
    if path.startswith("/bank/?q="):
        assert "/bank/export?q=宪法" in links  # the filter itself still travels to the export
    if path.startswith("/admin/"):
        assert "/admin/audit?page=1&group=auth" in links


@pytest.mark.parametrize("topic", [str(10**30), "99999999999", "-3", "abc", "1e5", ""])
def test_a_new_question_with_a_junk_topic_id_opens_an_empty_editor(client, world, topic) -> None:
    login(client, "trainer")
    page = client.get(f"/bank/questions/new?topic={topic}")
    assert page.status_code == 200 and "新建题目" in page.text
    assert lxml.html.fromstring(page.text).get_element_by_id("topic").value == ""


def test_a_new_question_from_a_topic_starts_in_that_topic(client, world, db) -> None:
    login(client, "trainer")
    topic_id = bank_versions.get_question(db, "TMF-0001").topic_id
    page = client.get(f"/bank/questions/new?topic={topic_id}").text
    assert lxml.html.fromstring(page).get_element_by_id("topic").value == "民法典"


# ---- 题目纠错 stays within the trainer's part of the county ----------------------------------------

def _report(db, world, who, code: str, message: str, clock) -> int:
    from quizapp.services import reports

    version = bank_versions.latest(db, bank_versions.get_question(db, code))
    report = reports.create_report(db, version.id, getattr(world, who), message, clock())
    db.flush()
    return report.id


def test_reports_are_seen_and_answered_only_within_the_trainers_units(client, app, world, db, clock) -> None:
    ours = _report(db, world, "cadre2", "TXF-0003", "东风村：选项C也对吧？", clock)
    theirs = _report(db, world, "outsider2", "TXF-0003", "西山村：题干有错别字", clock)
    db.commit()
    token = login(client, "trainer")
    listing = client.get("/bank/reports?status=all").text
    assert "东风村：选项C也对吧？" in listing and "西山村：题干有错别字" not in listing
    assert "西山村" not in client.get("/bank/questions/TXF-0003").text
    assert re.search(r"题目纠错 <span class=\"badge text-bg-danger\">1<", client.get("/bank/").text)
    refused = client.post(f"/bank/reports/{theirs}", data={"csrf_token": token, "reply": "已核对", "resolve": "y"})
    assert refused.status_code == 404
    assert db.scalar(select(QuestionReport.status).where(QuestionReport.id == theirs)) == "open"
    answered = client.post(f"/bank/reports/{ours}", data={"csrf_token": token, "reply": "已核对，C 不对", "resolve": "y"},
                           follow_redirects=True)
    assert "已答复并标为已处理" in answered.text

    other = app.test_client()
    login(other, "trainer2")
    theirs_listing = other.get("/bank/reports?status=all").text
    assert "西山村：题干有错别字" in theirs_listing and "东风村：选项C也对吧？" not in theirs_listing
    village = app.test_client()
    login(village, "vtrainer")  # a trainer of 东风村委会 sees his village's report
    assert "东风村：选项C也对吧？" in village.get("/bank/reports?status=all").text
    county = app.test_client()
    login(county, "admin")
    both = county.get("/bank/reports?status=all").text
    assert "东风村：选项C也对吧？" in both and "西山村：题干有错别字" in both


# ---- the editor: every basis row and source comes back; line breaks are saved as LF ----------------

def _eight_citations() -> tuple[dict[str, object], ...]:
    rows = []
    for n in range(1, 9):
        text = article_of("宪法", n).text
        rows.append({"law": "宪法", "article": n, "quote": text[:12]})
    return (*rows, {"source": "中共中央办公厅 国务院办公厅《关于完善国家工作人员学法用法制度的意见》"},
            {"source": "全国普法办《学法用法考试大纲》"})


def _submitted(html: str) -> list[tuple[str, str]]:
    """What the browser sends when the editor is saved untouched."""
    form = lxml.html.fromstring(html).get_element_by_id("question-editor")
    return [(name, value) for name, value in form.form_values() if name != "confirm"]


def test_a_question_with_eight_basis_rows_and_two_sources_round_trips_through_the_editor(client, world, db, clock) -> None:
    question = bank_versions.get_question(db, "TXF-0001")
    current = bank_versions.record_of(bank_versions.latest(db, question))
    bank_versions.change_question(db, question, replace(current, basis=_eight_citations()), clock(), None, [])
    db.commit()
    login(client, "trainer")
    page = client.get("/bank/questions/TXF-0001/edit").text
    doc = lxml.html.fromstring(page)
    assert len(doc.find_class("basis-row")) == 9  # eight cited articles and one empty row to add another
    assert doc.get_element_by_id("basis-7-article").value == "8"
    assert doc.get_element_by_id("basis-8-article").value == ""
    assert doc.get_element_by_id("sources-1").value == "全国普法办《学法用法考试大纲》"
    saved = client.post("/bank/questions/TXF-0001/edit", data=MultiDict(_submitted(page)), follow_redirects=True)
    assert "已保存（题目内容没有变化，没有生成新版本）" in saved.text
    db.expire_all()
    question = bank_versions.get_question(db, "TXF-0001")
    assert question.latest_version == 2
    assert tuple(bank_versions.latest(db, question).basis) == _eight_citations()


def test_a_ninth_basis_row_and_a_third_source_are_saved(client, world, db) -> None:
    login(client, "trainer")
    page = client.get("/bank/questions/TXF-0001/edit").text
    data = [(k, v) for k, v in _submitted(page) if not k.startswith(("basis-", "sources-"))]
    for n in range(1, 10):
        data += [(f"basis-{n - 1}-law", "宪法"), (f"basis-{n - 1}-article", str(n)),
                 (f"basis-{n - 1}-quote", article_of("宪法", n).text[:10])]
    data += [(f"sources-{n}", f"文件{n}") for n in range(3)]
    saved = client.post("/bank/questions/TXF-0001/edit", data=MultiDict(data), follow_redirects=True)
    assert "已保存为第 2 版" in saved.text
    basis = bank_versions.latest(db, bank_versions.get_question(db, "TXF-0001")).basis
    assert [b.get("article") for b in basis if "law" in b] == list(range(1, 10))
    assert [b["source"] for b in basis if "law" not in b] == ["文件0", "文件1", "文件2"]


def test_text_typed_with_windows_line_breaks_is_saved_with_plain_ones(client, world, db) -> None:
    from .test_bank_pages import editor_form

    token = login(client, "trainer")
    form = editor_form(token, stem="根据宪法，下列说法正确的是（　）。\r\n请选出一项。",
                       explanation="宪法第九条第二款规定：\r\n国家保障自然资源的合理利用。\r最后一行。",
                       **{"options-0": "国家对自然资源的保护\r\n（第九条）"})
    response = client.post("/bank/questions/new", data=form)
    assert response.status_code == 302
    code = response.location.rsplit("/", 1)[-1]
    version = bank_versions.latest(db, bank_versions.get_question(db, code))
    assert version.stem == "根据宪法，下列说法正确的是（　）。\n请选出一项。"
    assert version.explanation == "宪法第九条第二款规定：\n国家保障自然资源的合理利用。\n最后一行。"
    assert version.options[0] == "国家对自然资源的保护\n（第九条）"
    # Saving the same text again, as the browser sends it (CRLF), is no change at all.
    page = client.get(f"/bank/questions/{code}/edit").text
    again = [(k, v.replace("\n", "\r\n")) for k, v in _submitted(page)]
    assert "没有生成新版本" in client.post(f"/bank/questions/{code}/edit", data=MultiDict(again), follow_redirects=True).text


# ---- the question page reads its reports' versions with them -------------------------------------

def test_the_list_with_an_unknown_status_shows_questions_in_use_only(client, world) -> None:
    token = login(client, "trainer")
    client.post("/bank/questions/TXF-0001/retire", data={"csrf_token": token, "retired": "1"})
    in_use = re.search(r"共 (\d+) 题", client.get("/bank/").text).group(1)
    for status in ("nonsense", "", "ALL", "retired2"):
        page = client.get(f"/bank/?status={status}").text
        assert f"共 {in_use} 题" in page and "TXF-0001" not in page, status
    assert "TXF-0001" in client.get("/bank/?status=all").text


def test_the_question_page_costs_the_same_queries_for_one_report_or_five(client, app, world, db, clock) -> None:
    from quizapp.services import reports

    question = bank_versions.get_question(db, "TXF-0002")
    first = bank_versions.latest(db, question)
    reports.create_report(db, first.id, world.cadre, "第一版：选项有歧义", clock())
    db.commit()
    login(client, "trainer")
    client.get("/bank/questions/TXF-0002")
    with recorded_statements(app, selects_only=True) as one:
        assert "第一版：选项有歧义" in client.get("/bank/questions/TXF-0002").text
    for n in range(4):  # four more reports, each on a version of its own
        record = bank_versions.record_of(bank_versions.latest(db, question))
        version = bank_versions.change_question(db, question, replace(record, stem=record.stem + f"（{n}）"), clock(),
                                                None, [])
        db.flush()
        reports.create_report(db, version.id, getattr(world, ("cadre2", "cadre3", "cadre4", "leader")[n]),
                              f"第 {n + 2} 版有问题", clock())
    db.commit()
    with recorded_statements(app, selects_only=True) as five:
        page = client.get("/bank/questions/TXF-0002").text
    assert "（第 5 版，待处理）" in page and "（第 1 版，待处理）" in page
    assert len(five) == len(one)


def test_the_practice_page_counts_only_what_practice_can_ask(client, world, db) -> None:
    token = login(client, "cadre1")
    before = client.get("/practice/").text
    assert re.search(r"<strong>宪法</strong> <span class=\"small text-secondary\">8 题", before)
    client.post("/api/practice/answer", headers={"X-CSRFToken": token},
                json={"version_id": bank_versions.latest(db, bank_versions.get_question(db, "TXF-0002")).id,
                      "answer": [1]})
    assert 'id="wrong-book-size">1<' in client.get("/practice/").text
    db.scalar(select(Question).where(Question.code == "TXF-0002")).exam_only = True
    db.commit()
    after = client.get("/practice/").text
    assert re.search(r"<strong>宪法</strong> <span class=\"small text-secondary\">7 题", after)
    assert 'id="wrong-book-size">0<' in after and "暂无错题" in after


def test_the_export_page_rebuilds_its_links_from_the_filters_only(client, world) -> None:
    login(client, "trainer")
    page = client.get("/bank/export?q=宪法&endpoint=x&_method=POST&_external=1&_anchor=a&_scheme=javascript")
    assert page.status_code == 200
    for junk in ("endpoint=", "_method", "_external", "_anchor", "_scheme", "javascript:"):
        assert junk not in page.text
    assert "q=%E5%AE%AA%E6%B3%95" in page.text or "q=宪法" in page.text
