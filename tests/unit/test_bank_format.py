from quizapp.formats.bank_yaml import read_documents

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
    questions, problems = read_documents([("xf.yaml", GOOD)])
    assert problems == []
    assert [(q.code, q.qtype, q.answer) for q in questions] == [
        ("XF-0001", "single", "A"), ("XF-0002", "true_false", "true")]
    assert questions[1].tags == ["国家机构"]


def test_every_problem_is_reported_with_where_it_is() -> None:
    bad = GOOD.replace("answer: A", "answer: C").replace("article: 60", "article: 第六十条") \
        .replace("    difficulty: 1\n    tags", "    difficulty: 5\n    tags")
    questions, problems = read_documents([("xf.yaml", bad)])
    text = [str(p) for p in problems]
    assert any(t.startswith("xf.yaml 第 1 题（XF-0001）") and "answer 'C'" in t for t in text)
    assert any("第 2 题（XF-0002）" in t and "article" in t for t in text)
    assert any("第 2 题（XF-0002）" in t and "difficulty" in t for t in text)
    assert questions == []


def test_duplicate_ids_and_stems_across_files() -> None:
    _, problems = read_documents([("a.yaml", GOOD), ("b.yaml", GOOD)])
    messages = " ".join(str(p) for p in problems)
    assert "id 与 a.yaml 第 1 题（XF-0001） 重复" in messages
    assert "题干与" in messages


def test_broken_yaml_names_the_line() -> None:
    _, problems = read_documents([("x.yaml", "topic: 宪法\nquestions:\n  - id: [\n")])
    assert len(problems) == 1 and problems[0].where.startswith("x.yaml 第")


def test_multiple_needs_two_letters_and_source_basis_is_allowed() -> None:
    doc = GOOD.replace("type: single", "type: multiple").replace(
        "basis: [{law: 宪法, article: 1, quote: 社会主义制度是中华人民共和国的根本制度}]",
        "basis: [{source: 公安部刑事侦查局反诈宣传（2021年）}]")
    _, problems = read_documents([("xf.yaml", doc)])
    assert [p.message for p in problems] == ["多选题需要两个或以上互不相同的答案字母"]
