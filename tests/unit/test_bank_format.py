"""The shipped YAML format: read into drafts, every problem with its file and question number."""
from quizapp.domain.questions import validate
from quizapp.formats.bank_yaml import read_text, write_yaml

GOOD = """
topic: 宪法
questions:
  - id: XF-0001
    type: single
    stem: 根据宪法，中华人民共和国的根本制度是（　）。
    options: [社会主义制度, 人民代表大会制度]
    answer: A
    explanation: 宪法第一条第二款规定，社会主义制度是根本制度。
    basis: [{law: 宪法, article: 1, quote: 社会主义制度是中华人民共和国的根本制度}]
    difficulty: 1
  - id: XF-0002
    type: true_false
    stem: 根据宪法，全国人民代表大会每届任期五年。
    answer: true
    explanation: 宪法第六十条规定，全国人民代表大会每届任期五年。
    basis: [{law: 宪法, article: 60, quote: 全国人民代表大会每届任期五年}]
    difficulty: 1
    tags: [国家机构]
"""


def test_reads_questions_with_normalised_answers() -> None:
    read = read_text("xf.yaml", GOOD)
    assert read.problems == []
    records = [validate(q.draft).record for q in read.questions]
    assert [(r.code, r.qtype, r.answer) for r in records] == [("XF-0001", "single", "A"), ("XF-0002", "true_false", "true")]
    assert records[1].tags == ("国家机构",) and [q.row for q in read.questions] == [1, 2]


def test_the_format_itself_is_checked_with_where_it_is() -> None:
    bad = GOOD.replace("type: single", "type: essay").replace("    difficulty: 1\n    tags", "    tags")
    read = read_text("xf.yaml", bad)
    assert [str(p) for p in read.problems] == [
        "xf.yaml 第 1 题 type：type 必须是 single、multiple 或 true_false，而不是 'essay'",
        "xf.yaml 第 2 题 difficulty：缺少字段 difficulty"]


def test_a_broken_file_names_the_line() -> None:
    read = read_text("x.yaml", "topic: 宪法\nquestions:\n  - id: [\n")
    assert [(p.row, p.column, p.message) for p in read.problems] == [(0, "YAML", "YAML 格式错误（第 4 行），无法解析")]


def test_aliases_and_deep_nesting_are_refused_before_they_expand() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
    read = read_text("bomb.yaml", laughs)
    assert read.problems[0].message == "YAML 格式错误（第 2 行），无法解析：别名（&/*）不允许使用"
    deep = read_text("deep.yaml", "a: " + "[" * 20000 + "]" * 20000)
    assert deep.problems[0].message.startswith("YAML 格式错误") or "嵌套层数过多" in deep.problems[0].message


def test_written_yaml_reads_back_the_same() -> None:
    records = [validate(q.draft).record for q in read_text("xf.yaml", GOOD).questions]
    again = [validate(q.draft).record for q in read_text("again.yaml", write_yaml(records)).questions]
    assert again == records
