"""Bank files in the browser: upload -> preview -> confirm, the template, exports."""
import io
import re
import threading

from openpyxl import load_workbook
from sqlalchemy import func, select

from quizapp.db import session_scope
from quizapp.models import Question, Topic

from ..conftest import login

CSV = ("题型,题干,选项A,选项B,选项C,答案,解析,难度\n"
       "单选,村民委员会每届任期几年？,三年,五年,四年,B,村民委员会组织法规定村民委员会每届任期五年。,易\n"
       "判断,接到陌生电话要求转账到安全账户时应当照做。,,,,×,这是典型的电信网络诈骗手法，不能转账。,2\n")


def upload(client, token: str, files: list[tuple[str, bytes]], **fields):
    data = {"csrf_token": token, "files": [(io.BytesIO(b), name) for name, b in files], **fields}
    return client.post("/bank/import", data=data, content_type="multipart/form-data")


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Question))


def test_preview_then_confirm_imports_everything(client, world, db) -> None:
    token = login(client, "trainer")
    before = count(db)
    preview = upload(client, token, [("基层.csv", CSV.encode("gbk"))], topic="基层治理")
    assert preview.status_code == 200
    assert re.search(r'id="count-new">2<', preview.text) and "未注明法条" in preview.text
    assert count(db) == before  # nothing written before the trainer confirms
    bundle = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    done = client.post("/bank/import/confirm", data={"csrf_token": token, "token": bundle, "topic": "基层治理",
                                                     "exam_only": "1"})
    assert "新增 2 题" in done.text and "QB-00001" in done.text
    assert count(db) == before + 2
    imported = db.scalar(select(Question).where(Question.code == "QB-00001"))
    assert (imported.topic.name, imported.exam_only, imported.review_note) == ("基层治理", True, "未注明法条")
    again = client.post("/bank/import/confirm", data={"csrf_token": token, "token": bundle})
    assert again.status_code == 404  # the upload is spent: a second click imports nothing
    assert "这批文件已经确认导入（或预览已超过 1 小时），不会重复导入" in again.text
    assert count(db) == before + 2


def test_a_file_with_problems_is_refused_whole_with_row_and_column(client, world, db) -> None:
    token = login(client, "trainer")
    bad = CSV.replace(",B,村民", ",Z,村民")
    preview = upload(client, token, [("bad.csv", bad.encode("utf-8-sig"))], topic="基层治理")
    assert "发现 1 处问题，整批未导入" in preview.text
    assert "第 2 行" in preview.text and "答案“Z”无法识别" in preview.text
    assert "确认导入" not in preview.text


def test_no_topic_column_and_no_topic_chosen_is_a_problem(client, world) -> None:
    token = login(client, "trainer")
    preview = upload(client, token, [("基层.csv", CSV.encode("utf-8"))])
    assert "文件没有“专题”列，请选择导入到哪个专题（命令行用 --topic）" in preview.text
    assert "确认导入" not in preview.text


def test_uploads_that_are_not_bank_files(client, world, app) -> None:
    token = login(client, "trainer")
    assert "请选择要导入的文件" in upload(client, token, []).text
    assert "只能导入 .xlsx、.csv、.yaml、.gift（或 .txt）、.xml 文件" in upload(client, token, [("a.pdf", b"%PDF")]).text
    assert "文件不是有效的 .xlsx 文件" in upload(client, token, [("a.xlsx", b"\x89PNG\r\n")]).text
    app.config["BANK_IMPORT_MAX_MB"] = 1
    big = upload(client, token, [("big.csv", b"x" * (1024 * 1024 + 10))])
    assert "文件超过 1 MB，请拆分后分批导入" in big.text


def test_someone_elses_upload_cannot_be_confirmed(client, world, app) -> None:
    token = login(client, "trainer")
    bundle = re.search(r'name="token" value="([^"]+)"',
                       upload(client, token, [("基层.csv", CSV.encode())], topic="基层").text).group(1)
    other = app.test_client()
    other_token = login(other, "admin")
    assert other.post("/bank/import/confirm", data={"csrf_token": other_token, "token": bundle}).status_code == 404


def test_the_template_has_the_columns_instructions_and_examples(client, world) -> None:
    login(client, "trainer")
    response = client.get("/bank/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("题号", "专题", "题型", "题干") and len(rows) == 4
    assert "填写说明" in book.sheetnames[1] or "说明" in book.sheetnames[1]


def test_an_export_imports_back_unchanged(client, world) -> None:
    token = login(client, "trainer")
    assert "将导出 <strong id=\"export-total\">8</strong> 题" in client.get("/bank/export?q=宪法").text \
        or "将导出" in client.get("/bank/export").text
    for fmt, name in (("xlsx", "a.xlsx"), ("csv", "a.csv"), ("yaml", "a.yaml"), ("gift", "a.gift"), ("xml", "a.xml")):
        exported = client.get(f"/bank/export/download?format={fmt}")
        assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
        preview = upload(client, token, [(name, exported.data)])
        assert re.search(r'id="count-unchanged">13<', preview.text), fmt
        assert re.search(r'id="count-new">0<', preview.text), fmt


def test_export_of_a_filtered_part(client, world) -> None:
    login(client, "trainer")
    page = client.get("/bank/export?law=宪法&article=38").text
    assert 'id="export-total">1<' in page
    data = client.get("/bank/export/download?format=yaml&law=宪法&article=38").data.decode("utf-8")
    assert "TXF-0004" in data and "TXF-0001" not in data



def test_edits_made_after_the_preview_are_not_overwritten_by_the_confirmation(client, world, db, app) -> None:
    from .test_bank_pages import editor_form

    token = login(client, "trainer")
    exported = client.get("/bank/export/download?format=csv").data
    preview = upload(client, token, [("题库.csv", exported)])
    assert re.search(r'id="count-unchanged">13<', preview.text)
    bundle = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    # Meanwhile the admin corrects TXF-0001 and retires TXF-0003.
    admin = app.test_client()
    admin_token = login(admin, "admin")
    edited = "根据宪法，中华人民共和国的根本制度是（　）。（管理员更正）"
    form = editor_form(admin_token, stem=edited, base_version="1",
                       **{"options-0": "社会主义制度", "options-1": "人民代表大会制度", "basis-0-article": "1",
                          "basis-0-quote": "社会主义制度是中华人民共和国的根本制度"})
    assert admin.post("/bank/questions/TXF-0001/edit", data=form).status_code == 302
    admin.post("/bank/questions/TXF-0003/retire", data={"csrf_token": admin_token, "retired": "1"})

    stale = client.post("/bank/import/confirm", data={"csrf_token": token, "token": bundle})
    assert stale.status_code == 200
    assert "预览之后题库有变动（2 道题被修改：TXF-0001、TXF-0003），请核对后重新确认导入" in stale.text
    assert re.search(r'id="count-changed">1<', stale.text)  # the file would now undo the correction
    question = db.scalar(select(Question).where(Question.code == "TXF-0001"))
    db.refresh(question)
    assert question.latest_version == 2  # nothing applied
    # Having seen it, the trainer confirms the new preview: now the file's text is wanted.
    again = re.search(r'name="token" value="([^"]+)"', stale.text).group(1)
    assert again != bundle
    done = client.post("/bank/import/confirm", data={"csrf_token": token, "token": again})
    assert "更新 1 题" in done.text and "未变 12 题" in done.text
    db.refresh(question)
    assert question.latest_version == 3


def test_two_confirmations_posted_at_once_import_once(live_app, live_world) -> None:
    """A double click, or two tabs: the upload is taken by one request; the other is told so."""
    tabs = [live_app.test_client(), live_app.test_client()]
    tokens = [login(tab, "trainer") for tab in tabs]
    preview = upload(tabs[0], tokens[0], [("基层.csv", CSV.encode())], topic="基层治理")
    bundle = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    barrier, responses = threading.Barrier(2), []

    def confirm(tab, csrf: str) -> None:
        barrier.wait(5)
        responses.append(tab.post("/bank/import/confirm", data={"csrf_token": csrf, "token": bundle,
                                                                 "topic": "基层治理"}))

    threads = [threading.Thread(target=confirm, args=pair) for pair in zip(tabs, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    done, gone = sorted(responses, key=lambda r: r.status_code)
    assert (done.status_code, gone.status_code) == (200, 404)
    assert "新增 2 题" in done.text
    assert "这批文件已经确认导入（或预览已超过 1 小时），不会重复导入" in gone.text
    with live_app.app_context(), session_scope(live_app) as s:
        assert s.scalar(select(func.count()).select_from(Question).join(Topic).where(Topic.name == "基层治理")) == 2
