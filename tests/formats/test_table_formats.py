"""Excel and CSV as Chinese trainers make them: the columns by name in any order, every spelling
of type, answer and difficulty, UTF-8 or GBK, rows numbered as Excel shows them."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from quizapp.domain.questions import QuestionDraft, validate
from quizapp.formats import ImportProblem
from quizapp.formats.bank_table import read_csv, read_xlsx

from . import GOOD

CSV_DRAFTS = [
    (2, QuestionDraft(
        topic="宪法", qtype="single", stem="根据宪法，中华人民共和国的根本制度是（　）。\n（请选择一项）",
        options=("社会主义制度", "人民代表大会制度", "民族区域自治制度", "基层群众自治制度"), answer="A",
        explanation="宪法第一条第二款规定，社会主义制度是中华人民共和国的根本制度。",
        basis=({"law": "宪法", "article": 1, "quote": "社会主义制度是中华人民共和国的根本制度"},),
        difficulty=1, tags=("总纲", "基本制度"), code="XF-0101")),
    (3, QuestionDraft(
        topic="宪法", qtype="multiple", stem="根据宪法，下列属于公民基本义务的有（　）。",
        options=("依照法律纳税", "维护国家统一和全国各民族团结", "参加宗教活动"), answer="AB",
        explanation="宪法第五十六条规定公民有依照法律纳税的义务；第五十二条规定公民有维护国家统一和全国各民族团结的义务。",
        basis=({"law": "宪法", "article": 56, "quote": "中华人民共和国公民有依照法律纳税的义务"},
               {"law": "宪法", "article": 52, "quote": "中华人民共和国公民有维护国家统一和全国各民族团结的义务"}),
        difficulty=2, tags=(), code=None)),
    (4, QuestionDraft(
        topic="民法典", qtype="true_false", stem="十八周岁以上的自然人为成年人。", options=(), answer="true",
        explanation="民法典第十七条规定，十八周岁以上的自然人为成年人。",
        basis=({"law": "民法典", "article": 17, "quote": "十八周岁以上的自然人为成年人"},
               {"source": "《中华人民共和国民法典》释义"}),
        difficulty=3, tags=("民事主体",), code="MF-0101")),
]


@pytest.mark.parametrize("name", ["questions_utf8.csv", "questions_bom.csv", "questions_gbk.csv"])
def test_csv_in_utf8_with_or_without_bom_or_gbk_reads_the_same_questions(name: str) -> None:
    data = (GOOD / name).read_bytes()
    if name == "questions_gbk.csv":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really GBK, as Excel on Chinese Windows saves it
    assert data.startswith(b"\xef\xbb\xbf") == (name == "questions_bom.csv")
    read = read_csv(data, name, "别的专题")  # the file's 专题 column wins over the chosen topic
    assert (read.problems, read.skipped) == ([], [])
    # Records are counted, not lines: rows 2 and 3 span several lines each.
    assert [(q.file, q.row, q.draft) for q in read.questions] == [(name, row, d) for row, d in CSV_DRAFTS]
    assert [validate(q.draft).problems for q in read.questions] == [[], [], []]


def _xlsx_expected() -> list[tuple[int, str, str, int, tuple[str, ...]]]:
    duties = ("依照法律纳税", "遵守宪法和法律", "参加宗教活动", "维护国家统一")
    rows = [(2, "single", "A", 1, ("人民", "全国人民代表大会", "国务院", "各级人民政府")),
            (3, "single", "B", 2, ("三权分立", "民主集中制", "地方自治")),
            (4, "single", "C", 3, ("未成年人", "限制民事行为能力人", "成年人")),
            (5, "multiple", "ABD", 1, duties), (6, "multiple", "ABD", 2, duties),
            # row 7 is empty in the sheet: the rows after it keep Excel's numbers
            (8, "multiple", "ABD", 3, duties), (9, "multiple", "ABD", 2, duties)]
    truth = ["true", "false"] * 5  # 对 错 正确 错误 √ × 是 否 T F
    return rows + [(10 + n, "true_false", answer, 1, ()) for n, answer in enumerate(truth)]


def test_xlsx_with_shuffled_columns_and_every_spelling_trainers_use() -> None:
    data = (GOOD / "shuffled_spellings.xlsx").read_bytes()
    read = read_xlsx(data, "shuffled_spellings.xlsx", "宪法")  # no 专题 column: the chosen topic
    assert read.problems == []
    assert [(q.row, q.draft.qtype, q.draft.answer, q.draft.difficulty, q.draft.options)
            for q in read.questions] == _xlsx_expected()
    assert {q.draft.topic for q in read.questions} == {"宪法"}
    assert read.questions[0].draft == QuestionDraft(
        topic="宪法", qtype="single", stem="根据宪法，中华人民共和国的一切权力属于（　）。",
        options=("人民", "全国人民代表大会", "国务院", "各级人民政府"), answer="A",
        explanation="宪法第二条规定，中华人民共和国的一切权力属于人民。", basis=(), difficulty=1,
        tags=("总纲",), code="XF-0501")
    assert [validate(q.draft).problems for q in read.questions] == [[]] * 17


def test_formula_cells_and_values_starting_with_operators_are_text() -> None:
    data = (GOOD / "shuffled_spellings.xlsx").read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet["J11"].value, sheet["J11"].data_type) == ("=1+1", "f")  # Excel holds a formula here
    by_row = {q.row: q.draft for q in read_xlsx(data, "shuffled_spellings.xlsx", "宪法").questions}
    assert by_row[11].tags == ("=1+1",)  # the formula's text, not 2
    assert by_row[12].stem == "+86 开头的来电一定来自境外吗？判断题示例。"
    assert by_row[13].explanation == "-这一条解析以减号开头，也是文字。"


def test_a_file_without_a_topic_column_needs_a_topic_chosen() -> None:
    data = (GOOD / "shuffled_spellings.xlsx").read_bytes()
    read = read_xlsx(data, "shuffled_spellings.xlsx", None)
    assert read.questions == []
    assert read.problems == [ImportProblem("shuffled_spellings.xlsx", 1, "表头",
                                           "文件没有“专题”列，请选择导入到哪个专题（命令行用 --topic）")]
    assert {q.draft.topic for q in read_xlsx(data, "x.xlsx", "民法典").questions} == {"民法典"}


def test_an_empty_topic_cell_falls_back_to_the_chosen_topic() -> None:
    text = ("专题,题型,题干,选项A,选项B,答案,解析\n"
            "民法典,单选,十八周岁以上的自然人为（　）。,成年人,未成年人,A,民法典第十七条规定的内容。\n"
            ",判断,十八周岁以上的自然人为成年人。,,,对,民法典第十七条规定的内容。\n")
    read = read_csv(text.encode(), "a.csv", "宪法")
    assert [(q.row, q.draft.topic) for q in read.questions] == [(2, "民法典"), (3, "宪法")]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_cells_holding_quotes_apostrophes_and_separators_read_as_written(delimiter: str) -> None:
    """Excel's way of quoting: "" for a quote inside a quoted cell; an apostrophe is plain text."""
    def cell(text: str) -> str:
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in f'"\n{delimiter}') else text

    rows = [["题型", "题干", "选项A", "选项B", "答案", "解析"],
            ["单选", "含“中文引号”和\"英文引号\"的题干，对吗？", "It's 甲", "乙, 丙", "A", "解析里有 ' 单引号和 ; 分号。"],
            ["判断", "'以单引号开头的题干，应当原样保留。", "", "", "错", f"解析{delimiter}含分隔符也无妨。"],
            ["判断", "包含 ' 单引号 ' 的题干也应当原样保留。", "", "", "对", "'@开头的解析是文字。"],
            ["单选", "法条中的 '应当' 与 '可以' 有何区别？", "'应当' 是义务", "'可以' 是授权", "A", "'应当' 表示义务。"]]
    text = "\r\n".join(delimiter.join(cell(c) for c in row) for row in rows) + "\r\n"
    read = read_csv(text.encode("utf-8"), "a.csv", "宪法")
    assert read.problems == []
    assert [(q.row, q.draft.stem, q.draft.options, q.draft.explanation) for q in read.questions] == [
        (2, "含“中文引号”和\"英文引号\"的题干，对吗？", ("It's 甲", "乙, 丙"), "解析里有 ' 单引号和 ; 分号。"),
        (3, "'以单引号开头的题干，应当原样保留。", (), f"解析{delimiter}含分隔符也无妨。"),
        (4, "包含 ' 单引号 ' 的题干也应当原样保留。", (), "@开头的解析是文字。"),  # our export's ' taken off
        (5, "法条中的 '应当' 与 '可以' 有何区别？", ("'应当' 是义务", "'可以' 是授权"), "'应当' 表示义务。")]


@pytest.mark.parametrize(("spelling", "qtype"), [
    ("单选", "single"), ("单选题", "single"), ("单项选择题", "single"), ("多选", "multiple"),
    ("多选题", "multiple"), ("多项选择题", "multiple"), ("判断", "true_false"), ("判断题", "true_false")])
def test_every_spelling_of_the_question_type(spelling: str, qtype: str) -> None:
    answer = {"single": "A", "multiple": "AB", "true_false": "对"}[qtype]
    options = ",," if qtype == "true_false" else ",甲选项,乙选项"
    text = f"题型,题干,选项A,选项B,答案,解析\n{spelling},这是一道示例题目的题干{options},{answer},这是示例题目的解析。\n"
    (question,) = read_csv(text.encode(), "a.csv", "宪法").questions
    assert validate(question.draft).record.qtype == qtype


def test_legal_basis_is_optional_and_checked_against_the_shipped_text_when_given() -> None:
    text = ("题型,题干,答案,解析,法律,条款,法条原文\n"
            "判断,全国人民代表大会每届任期五年。,对,宪法第六十条规定每届任期五年。,,,\n"
            "判断,全国人民代表大会每届任期五年。,对,宪法第六十条规定每届任期五年。,宪法,第六十条,全国人民代表大会每届任期五年\n"
            "判断,全国人民代表大会每届任期五年。,对,宪法第六十条规定每届任期五年。,宪法,60,全国人民代表大会每届任期六年\n")
    read = read_csv(text.encode(), "a.csv", "宪法")
    checked = [validate(q.draft) for q in read.questions]
    assert [c.problems for c in checked] == [[], [], []]  # all three import
    assert [c.warnings for c in checked] == [
        [("law", "未注明法条")], [], [("quote", "法条原文在宪法第 60 条中找不到（须逐字摘录）")]]


def test_several_citations_one_per_line_keep_quotes_ending_in_a_semicolon_as_written() -> None:
    # The law's enumerations end in "；"; a trainer may also end 法律 and 条款 lines with one.
    text = ("题型,题干,答案,解析,法律,条款,法条原文\n"
            "判断,行政处罚的证据包括视听资料和电子数据。,对,行政处罚法第四十六条列举了证据的种类。,"
            "\"行政处罚法；\n行政处罚法\",\"第四十六条；\n46\",\"（三）视听资料；\n（四）电子数据；\"\n")
    read = read_csv(text.encode(), "a.csv", "行政处罚法")
    checked = validate(read.questions[0].draft)
    assert (read.problems, checked.problems, checked.warnings) == ([], [], [])
    assert checked.record is not None and checked.record.basis == (
        {"law": "行政处罚法", "article": 46, "quote": "（三）视听资料；"},
        {"law": "行政处罚法", "article": 46, "quote": "（四）电子数据；"})
