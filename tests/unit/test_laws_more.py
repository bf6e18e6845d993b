"""The law texts' edges: what counts as a law's history, long parts on the reading page, headings
kept as written."""
from quizapp.domain import laws
from quizapp.domain.citation import chinese_numeral


def articles(first: int, last: int) -> str:
    return "".join(f"第{chinese_numeral(n)}条 第{n}条正文。\n" for n in range(first, last + 1))


def test_the_history_is_only_what_stands_before_the_first_heading() -> None:
    law = laws.parse_law("示例法", "# 中华人民共和国示例法\n2020年1月1日通过\n"
                                  "## 第一章 总则\n本章说明，不是历史。\n第一条 正文。\n第二条 正文二。")
    assert law.history == ("2020年1月1日通过",)
    assert list(law.articles) == [1, 2]
    assert law.articles[1].paragraphs == ("正文。",)


def test_text_between_a_heading_and_the_first_article_is_not_history() -> None:
    # No preamble, no adoption lines: the law's history is empty, whatever the chapter says first.
    law = laws.parse_law("示例法", "## 第一章 总则\n本章说明。\n第一条 正文。")
    assert law.history == ()


def test_a_part_of_up_to_150_articles_reads_whole_and_a_longer_one_by_chapters() -> None:
    def text(last: int) -> str:
        return "## 第一编 总则\n### 第一章 一般规定\n" + articles(1, 100) + "### 第二章 其他规定\n" + articles(101, last)

    whole = laws.parse_law("示例法", text(150)).parts()
    assert [(title, len(inside)) for title, inside in whole] == [("第一编 总则", 150)]
    split = laws.parse_law("示例法", text(151)).parts()
    assert [(title, len(inside)) for title, inside in split] == [
        ("第一编 总则 第一章 一般规定", 100), ("第一编 总则 第二章 其他规定", 51)]


def test_a_heading_keeps_its_own_text() -> None:
    # Only the Markdown marks are dropped from a heading, even with no space after them, not letters it starts with.
    law = laws.parse_law("示例法", "##X射线装置\n第一条 正文。")
    assert law.articles[1].headings == ("X射线装置",)


def test_an_article_typed_with_latin_letters_is_unreadable_not_an_error() -> None:
    # The editor says it cannot read 第X条 rather than failing on it.
    assert laws.parse_article("第X条") is None
    assert laws.parse_article("十X") is None
