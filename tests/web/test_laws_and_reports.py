"""The 法规库, the whole article in practice and review, and 题目纠错 from a cadre's page."""
import re

from quizapp.services import bank_versions

from ..conftest import login


def test_the_law_library_lists_the_fourteen_laws(client, world) -> None:
    login(client, "cadre1")
    page = client.get("/laws/").text
    assert page.count('class="card card-body h-100 text-decoration-none law-card"') == 14
    assert "中华人民共和国村民委员会组织法" in page and "8 道题引用" in page


def test_a_law_page_shows_its_articles_and_the_questions_citing_them(client, world, db) -> None:
    login(client, "cadre1")
    page = client.get("/laws/宪法?part=1").text
    assert 'id="a-1"' in page and "社会主义制度是中华人民共和国的根本制度" in page
    assert "引用本条的题目（1）" in page and "/practice/question?code=TXF-0001" in page
    bank_versions.get_question(db, "TXF-0001").exam_only = True
    db.flush()
    assert "TXF-0001" not in client.get("/laws/宪法?part=1").text  # a cadre never sees 考试专用 ones
    trainer = client.application.test_client()
    login(trainer, "trainer")
    assert "考试专用" in trainer.get("/laws/宪法?part=1").text


def test_jump_to_an_article(client, world) -> None:
    login(client, "cadre1")
    jump = client.get("/laws/民法典/article?n=第一千零四十五条")
    assert jump.status_code == 302 and jump.location.endswith("#a-1045") and "part=" in jump.location
    assert client.get("/laws/宪法/article?n=序言").location.endswith("#a-序言") or "a-%E5%BA%8F%E8%A8%80" in \
        client.get("/laws/宪法/article?n=序言").location
    missing = client.get("/laws/宪法/article?n=999", follow_redirects=True)
    assert "宪法没有“999”这一条（共 143 条）" in missing.text
    assert client.get("/laws/刑法").status_code == 404
    assert client.get("/laws/宪法?part=999").status_code == 200


def test_practice_feedback_carries_the_whole_article(client, world, db) -> None:
    token = login(client, "cadre1")
    version = bank_versions.latest(db, bank_versions.get_question(db, "TXF-0002"))
    feedback = client.post("/api/practice/answer", headers={"X-CSRFToken": token},
                           json={"version_id": version.id, "answer": [0]}).json
    cite = feedback["basis"][0]
    assert cite["label"] == "宪法第二条" and cite["url"].startswith("/laws/")
    assert cite["article_text"].startswith("中华人民共和国的一切权力属于人民。")
    assert "人民依照法律规定" in cite["article_text"]  # the article's later paragraphs too


def test_exam_only_questions_are_refused_to_the_practice_api(client, world, db) -> None:
    token = login(client, "cadre1")
    question = bank_versions.get_question(db, "TXF-0002")
    question.exam_only = True
    db.flush()
    version = bank_versions.latest(db, question)
    response = client.post("/api/practice/answer", headers={"X-CSRFToken": token},
                           json={"version_id": version.id, "answer": [0]})
    assert response.status_code == 404 and "answer" not in response.json
    assert "TXF-0002" not in client.get("/practice/question?code=TXF-0002").text


def test_a_report_from_practice_reaches_the_trainer_and_the_answer_comes_back(client, world, app) -> None:
    token = login(client, "cadre1")
    page = client.get("/practice/question?code=TXF-0003").text
    version_id = re.search(r'name="version_id" value="(\d+)"', page).group(1)
    sent = client.post("/bank/reports/new", data={"csrf_token": token, "version_id": version_id,
                                                  "message": "选项C的说法也对吧？", "next": "/practice/question?code=TXF-0003"},
                       follow_redirects=True)
    assert "已提交纠错" in sent.text and "选项C的说法也对吧？" in sent.text and "待处理" in sent.text
    trainer = app.test_client()
    trainer_token = login(trainer, "trainer")
    listing = trainer.get("/bank/reports").text
    assert "选项C的说法也对吧？" in listing and "用户cadre1" in listing
    report_id = re.search(r"/bank/reports/(\d+)", listing).group(1)
    trainer.post(f"/bank/reports/{report_id}", data={"csrf_token": trainer_token, "reply": "C 不符合第三条的规定",
                                                     "resolve": "y"})
    assert "没有待处理的纠错" in trainer.get("/bank/reports").text
    back = client.get("/practice/question?code=TXF-0003").text
    assert "C 不符合第三条的规定" in back and "已处理" in back


def test_a_report_needs_words_and_a_real_question(client, world) -> None:
    token = login(client, "cadre1")
    short = client.post("/bank/reports/new", data={"csrf_token": token, "version_id": "1", "message": "错"},
                        follow_redirects=True)
    assert "请写明题目哪里有问题" in short.text
    for version_id in ("abc", "99999999", str(2**40)):
        gone = client.post("/bank/reports/new", data={"csrf_token": token, "version_id": version_id,
                                                      "message": "题目有错别字"}, follow_redirects=True)
        assert gone.status_code == 200 and "题目不存在" in gone.text


def test_the_review_page_shows_the_article_and_the_report_box(client, world, db) -> None:
    login(client, "leader")
    from sqlalchemy import select

    from quizapp.models import Attempt

    attempt = db.scalar(select(Attempt).where(Attempt.user_id == world.leader.id, Attempt.status != "in_progress"))
    page = client.get(f"/attempts/{attempt.id}/result").text
    assert "article-text" in page and "<mark>" in page
    assert page.count("题目纠错") >= 9 and 'name="next" value="/attempts/' in page
