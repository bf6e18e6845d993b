"""The bank in a trainer's browser: list, question page, editor, bulk actions, topics, 纠错."""
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from quizapp.models import Question
from quizapp.services import bank_versions

from ..conftest import login

STEM = "根据宪法，国家保障自然资源的合理利用，保护珍贵的动物和植物。这一规定体现了（　）。"


def editor_form(token: str, **changes) -> dict:
    form = {"csrf_token": token, "topic": "宪法", "qtype": "single", "stem": STEM,
            "options-0": "国家对自然资源的保护", "options-1": "个人对自然资源的处分", "options-2": "", "options-3": "",
            "options-4": "", "options-5": "", "answer_letters": ["A"],
            "explanation": "宪法第九条第二款规定国家保障自然资源的合理利用，保护珍贵的动物和植物。", "difficulty": "2",
            "tags": "总纲、自然资源", "basis-0-law": "宪法", "basis-0-article": "第九条",
            "basis-0-quote": "国家保障自然资源的合理利用，保护珍贵的动物和植物", "basis-1-law": "", "basis-1-article": "",
            "basis-1-quote": "", "basis-2-law": "", "basis-2-article": "", "basis-2-quote": "", "source": "",
            "base_version": ""}
    form.update(changes)
    return form


def test_the_list_searches_and_filters(client, world, db) -> None:
    login(client, "trainer")
    civil = bank_versions.get_question(db, "TMF-0001").topic_id
    page = client.get("/bank/?q=根本制度")
    assert "共 1 题" in page.text and "TXF-0001" in page.text and "TXF-0002" not in page.text
    by_article = client.get("/bank/?law=宪法&article=38")
    assert "共 1 题" in by_article.text and "TXF-0004" in by_article.text
    civil_page = client.get(f"/bank/?topic={civil}&sort=-code").text
    assert "共 5 题" in civil_page and civil_page.index("TMF-0005") < civil_page.index("TMF-0001")
    singles = client.get("/bank/?type=single&difficulty=1")
    assert all(code in singles.text for code in ("TXF-0001", "TXF-0002", "TXF-0003"))
    assert "共 0 题" in client.get("/bank/?status=retired").text
    assert "没有符合条件的题目" in client.get("/bank/?q=%25_").text  # LIKE wildcards are searched as text


def test_the_question_page_shows_key_explanation_article_usage_and_history(client, world) -> None:
    login(client, "trainer")
    page = client.get("/bank/questions/TXF-0001").text
    assert "社会主义制度" in page and "正确答案" in page and "解析" in page
    assert "宪法第一条" in page and "<mark>社会主义制度是中华人民共和国的根本制度</mark>" in page
    assert "首次创建" in page and "已交卷的考试" in page
    assert client.get("/bank/questions/NOPE-0001").status_code == 404


def test_a_new_question_from_the_editor(client, world) -> None:
    token = login(client, "trainer")
    assert "预览（干部看到的样子）" in client.get("/bank/questions/new?topic=1").text
    response = client.post("/bank/questions/new", data=editor_form(token))
    assert response.status_code == 302 and response.location.endswith("/bank/questions/TXF-0009")
    page = client.get(response.location).text
    assert "已保存新题 TXF-0009" in page and "总纲、自然资源" in page


def test_editor_problems_are_shown_under_their_fields_and_nothing_is_lost(client, world) -> None:
    token = login(client, "trainer")
    page = client.post("/bank/questions/new", data=editor_form(
        token, answer_letters=[], stem="太短", **{"basis-1-article": "12"})).text
    assert "没有保存" in page
    assert "单选、多选题需要" not in page
    assert "没有给出正确答案" in page and "题干至少 6 个字" in page
    assert "第 2 条依据：请选择法律" in page
    assert "国家对自然资源的保护" in page  # what was typed is still there
    truth = client.post("/bank/questions/new", data=editor_form(token, qtype="true_false", answer_truth="maybe")).text
    assert "判断题的答案应为 对/错、正确/错误、√/×" in truth


def test_a_quote_not_in_the_article_asks_for_confirmation_then_marks_for_review(client, world) -> None:
    token = login(client, "trainer")
    form = editor_form(token, **{"basis-0-quote": "国家保护一切动物和植物"})
    page = client.post("/bank/questions/new", data=form).text
    assert "请核对" in page and "法条原文在宪法第 9 条中找不到（须逐字摘录）" in page
    saved = client.post("/bank/questions/new", data=dict(form, confirm="y"))
    assert saved.status_code == 302
    page = client.get(saved.location).text
    assert "待核对" in page and "须逐字摘录" in page
    assert "待核对" in client.get("/bank/?status=review").text


def test_a_near_duplicate_stem_needs_confirmation(client, world) -> None:
    token = login(client, "trainer")
    form = editor_form(token, stem="根据宪法，中华人民共和国的根本制度是（ ）")
    page = client.post("/bank/questions/new", data=form).text
    assert "题干与 TXF-0001 相同或相近" in page
    assert client.post("/bank/questions/new", data=dict(form, confirm="y")).status_code == 302


def test_editing_makes_a_version_and_a_stale_form_is_refused(client, world, db) -> None:
    token = login(client, "trainer")
    page = client.get("/bank/questions/TXF-0001/edit").text
    assert 'name="base_version" type="hidden" value="1"' in page and "社会主义制度" in page
    form = editor_form(token, stem="根据宪法，中华人民共和国的根本制度是（　）。（修订）", base_version="1",
                       **{"options-0": "社会主义制度", "options-1": "人民代表大会制度", "basis-0-article": "1",
                          "basis-0-quote": "社会主义制度是中华人民共和国的根本制度"})
    first = client.post("/bank/questions/TXF-0001/edit", data=form)
    assert first.status_code == 302
    assert "已保存为第 2 版" in client.get(first.location).text
    stale = client.post("/bank/questions/TXF-0001/edit", data=dict(form, stem=form["stem"] + "再改"))
    assert stale.status_code == 200 and "这道题已被他人修改（现为第 2 版，您编辑的是第 1 版）" in stale.text
    assert "再改" in stale.text and 'name="base_version" type="hidden" value="2"' in stale.text
    assert db.scalar(select(Question.latest_version).where(Question.code == "TXF-0001")) == 2
    # Having read the other change, the trainer saves again: a third version with their text.
    again = client.post("/bank/questions/TXF-0001/edit", data=dict(form, stem=form["stem"] + "再改", base_version="2"))
    assert again.status_code == 302
    assert db.scalar(select(Question.latest_version).where(Question.code == "TXF-0001")) == 3


def test_article_lookup_for_the_editor(client, world) -> None:
    login(client, "trainer")
    found = client.get("/bank/articles?law=宪法&article=第一条&quote=社会主义制度是中华人民共和国的根本制度").json
    assert found["found"] and found["quote_ok"] and found["label"] == "宪法第一条"
    assert found["text"].startswith("中华人民共和国是工人阶级领导的")
    wrong = client.get("/bank/articles?law=宪法&article=1&quote=资本主义制度是根本制度").json
    assert not wrong["quote_ok"] and wrong["quote_problem"] == "法条原文在宪法第 1 条中找不到（须逐字摘录）"
    assert client.get("/bank/articles?law=宪法&article=999").json == {
        "found": False, "problem": "宪法没有第 999 条（共 143 条）"}
    assert client.get("/bank/articles?law=刑法&article=1").json["problem"] == "请选择法律"
    assert client.get("/bank/articles?law=宪法&article=abc").json["problem"] == "条款请写成 17、第十七条 或 序言"
    villagers = client.get("/bank/articles?law=村民委员会组织法&article=14&quote=村民委员会每届任期五年").json
    assert villagers["quote_ok"]  # the 2025 text: the term moved to article 14


def test_bulk_actions_from_the_list(client, world) -> None:
    token = login(client, "trainer")
    response = client.post("/bank/bulk", data={"csrf_token": token, "codes": ["TXF-0001", "TXF-0002"],
                                               "action": "retire", "next": "/bank/?q=宪法"})
    assert unquote(response.location).endswith("/bank/?q=宪法")
    assert "“停用”：选中 2 题，其中 2 题有变化" in client.get(response.location).text
    refused = client.post("/bank/bulk", data={"csrf_token": token, "action": "retire", "next": "https://evil.example/"},
                          follow_redirects=True)
    assert "请先勾选题目" in refused.text and refused.request.path == "/bank/"


def test_retire_and_restore_from_the_question_page(client, world) -> None:
    token = login(client, "trainer")
    page = client.post("/bank/questions/TXF-0003/retire", data={"csrf_token": token, "retired": "1"},
                       follow_redirects=True).text
    assert "已停用" in page and "恢复使用" in page
    again = client.post("/bank/questions/TXF-0003/retire", data={"csrf_token": token, "retired": "1"},
                        follow_redirects=True).text
    assert "题目已经停用" in again


def test_topics_and_tags_page(client, world) -> None:
    token = login(client, "trainer")
    page = client.get("/bank/topics").text
    assert "宪法" in page and "民法典" in page and "题目还没有标签" in page
    made = client.post("/bank/topics/new", data={"csrf_token": token, "name": "乡村振兴"}, follow_redirects=True)
    assert "已新建专题“乡村振兴”" in made.text
    twice = client.post("/bank/topics/new", data={"csrf_token": token, "name": "乡村振兴"}, follow_redirects=True)
    assert "专题“乡村振兴”已经存在" in twice.text
    topic_id = int(re.search(r'/bank/topics/(\d+)/delete', twice.text).group(1))
    gone = client.post(f"/bank/topics/{topic_id}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "专题已删除" in gone.text


def test_cadres_cannot_touch_the_bank(client, world) -> None:
    token = login(client, "cadre1")
    for path in ("/bank/", "/bank/questions/TXF-0001", "/bank/questions/new", "/bank/import", "/bank/export",
                 "/bank/reports", "/bank/topics", "/bank/articles?law=宪法&article=1"):
        assert client.get(path).status_code == 403, path
    assert client.post("/bank/bulk", data={"csrf_token": token, "codes": ["TXF-0001"], "action": "retire"}
                       ).status_code == 403


@pytest.mark.parametrize("path", ["/bank/?page=abc&difficulty=x&article=一&topic=-1&sort=nonsense",
                                  f"/bank/?page={10**12}", "/bank/questions/" + "X" * 500,
                                  "/bank/export/download?format=pdf", "/bank/reports?status=nonsense"])
def test_garbage_in_bank_urls_is_never_a_500(client, world, path) -> None:
    login(client, "trainer")
    assert client.get(path).status_code in (200, 400, 404)
