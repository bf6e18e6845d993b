"""The shipped law texts read into articles, and the Chinese messages a citation gets."""
import pytest

from quizapp.domain import laws
from quizapp.domain.laws import Article, Law

SAMPLE = """\
# 中华人民共和国示例法

2020年1月1日 第一次会议通过

  2021年1月1日 施行  

## 序言

序言第一段。
序言第二段。

## 第一编 总则

编下的说明，不属于任何条文。

### 第一章  基本 规定

第一条 为了示例，制定本法。
  本条的第二段。
第二条   第二条正文。
#### 第一节 小节
第三条 第三条正文。
### 第二章 其他
第四条 第四条正文。
## 第二编 分则
第十条 第十条正文。
第一百零五条 最后一条。
"""


@pytest.mark.parametrize(("numeral", "number"), [
    ("一", 1), ("十", 10), ("十七", 17), ("二十", 20), ("二十一", 21), ("一百", 100), ("一百零五", 105),
    ("一百一十", 110), ("一千零一", 1001), ("一千二百五十四", 1254), ("一千二百六十", 1260), ("零", 0), ("〇", 0),
])
def test_numerals_as_statutes_write_them(numeral: str, number: int) -> None:
    assert laws.number_of(numeral) == number


def test_spaces_do_not_count() -> None:
    assert laws.squash(" 禁止 从建筑物中\n抛掷物品\t。 ") == "禁止从建筑物中抛掷物品。"


def test_a_law_text_read_into_articles() -> None:
    law = laws.parse_law("示例法", SAMPLE)
    assert (law.name, law.title) == ("示例法", "中华人民共和国示例法")
    assert law.history == ("2020年1月1日 第一次会议通过", "2021年1月1日 施行")
    assert list(law.articles) == ["序言", 1, 2, 3, 4, 10, 105]
    assert law.articles["序言"] == Article("序言", ("序言第一段。", "序言第二段。"), ("序言",))
    assert law.articles[1] == Article(1, ("为了示例，制定本法。", "本条的第二段。"), ("第一编 总则", "第一章 基本 规定"))
    assert law.articles[2] == Article(2, ("第二条正文。",), ("第一编 总则", "第一章 基本 规定"))
    assert law.articles[3].headings == ("第一编 总则", "第一章 基本 规定", "第一节 小节")
    assert law.articles[4].headings == ("第一编 总则", "第二章 其他")
    assert law.articles[10] == Article(10, ("第十条正文。",), ("第二编 分则",))
    assert law.articles[105].paragraphs == ("最后一条。",)
    assert law.last_article == 105


def test_a_law_without_a_title_line_keeps_its_name() -> None:
    law = laws.parse_law("示例法", "说明一\n第一条 正文。\n第二条 正文二。")
    assert (law.title, law.history) == ("示例法", ("说明一",))
    assert law.articles[2].paragraphs == ("正文二。",)
    assert law.articles[1].headings == ()
    assert laws.parse_law("空法", "").last_article == 0


def test_a_heading_only_one_hash_deep_starts_the_outline_over() -> None:
    law = laws.parse_law("示例法", "## 第一编\n### 第一章\n第一条 甲。\n#附则\n第二条 乙。")
    assert law.articles[1].headings == ("第一编", "第一章")
    assert law.articles[2].headings == ("附则",)


def test_an_article_reads_as_text_heading_and_label() -> None:
    law = laws.parse_law("示例法", SAMPLE)
    first = law.articles[1]
    assert first.text == "为了示例，制定本法。\n本条的第二段。"
    assert first.heading == "第一编 总则 第一章 基本 规定"
    assert first.label == "第一条"
    assert law.articles[105].label == "第一百零五条"
    assert law.articles["序言"].label == "序言"


def test_parts_follow_the_outermost_heading_and_split_long_ones() -> None:
    law = laws.parse_law("示例法", SAMPLE)

    def keys(parts):
        return [(title, [a.key for a in inside]) for title, inside in parts]

    assert keys(law.parts()) == [("序言", ["序言"]), ("第一编 总则", [1, 2, 3, 4]), ("第二编 分则", [10, 105])]
    # Over `most` articles, a part is read by the headings inside it, as deep as needed.
    assert keys(law.parts(most=4)) == keys(law.parts())
    assert keys(law.parts(most=3)) == [
        ("序言", ["序言"]), ("第一编 总则 第一章 基本 规定", [1, 2, 3]), ("第一编 总则 第二章 其他", [4]),
        ("第二编 分则", [10, 105])]
    assert keys(law.parts(most=2)) == [
        ("序言", ["序言"]), ("第一编 总则 第一章 基本 规定", [1, 2]),
        ("第一编 总则 第一章 基本 规定 第一节 小节", [3]), ("第一编 总则 第二章 其他", [4]),
        ("第二编 分则", [10, 105])]
    # A part with no headings inside it stays whole however long.
    assert keys(law.parts(most=1))[-1] == ("第二编 分则", [10, 105])
    assert Law("空", "空", ()).parts() == []


def test_the_shipped_laws() -> None:
    assert laws.LAWS[:2] == ("宪法", "民法典") and len(laws.LAWS) == 14
    constitution = laws.law("宪法")
    assert constitution is not None and constitution.title == "中华人民共和国宪法"
    assert constitution.last_article == 143 and "序言" in constitution.articles
    assert constitution.history[0] == "1982年12月4日 第五届全国人民代表大会第五次会议通过"
    civil = laws.law("民法典")
    assert civil is not None and civil.last_article == 1260
    assert civil.articles[1254].headings[0] == "第七编 侵权责任"
    assert [t for t, _ in civil.parts()][:2] == ["第一编 总则 第一章 基本规定", "第一编 总则 第二章 自然人"]
    for name in laws.LAWS:
        found = laws.law(name)
        assert found is not None and found.last_article > 0, name
    assert laws.law("刑法") is None


def test_article_of() -> None:
    article = laws.article_of("民法典", 1254)
    assert article is not None and article.text.startswith("禁止从建筑物中抛掷物品。")
    assert len(article.paragraphs) == 3 and article.text.endswith("公安等机关应当依法及时调查，查清责任人。")
    assert "侵权责任。\n发生本条第一款" in article.text
    assert laws.article_of("民法典", 1261) is None
    assert laws.article_of("刑法", 1) is None


def test_article_problems_in_chinese() -> None:
    everything = "宪法、民法典、行政处罚法、行政许可法、行政复议法、行政诉讼法、村民委员会组织法、农村土地承包法、" \
                 "人民调解法、法律援助法、反电信网络诈骗法、国家安全法、禁毒法、消费者权益保护法"
    assert laws.article_problem("刑法", 1) == f"法律“刑法”不在可引用的法律之列（{everything}）"
    assert laws.article_problem(None, 1) == f"法律“None”不在可引用的法律之列（{everything}）"
    assert laws.article_problem(["宪法"], 1) == f"法律“['宪法']”不在可引用的法律之列（{everything}）"
    for key in ("十七", "17", 1.0, True, None):
        assert laws.article_problem("宪法", key) == "条款应为条文序号（整数）或“序言”", key
    assert laws.article_problem("民法典", "序言") == "民法典没有序言"
    assert laws.article_problem("民法典", 1261) == "民法典没有第 1261 条（共 1260 条）"
    assert laws.article_problem("宪法", 0) == "宪法没有第 0 条（共 143 条）"
    assert laws.article_problem("宪法", "序言") is None
    assert laws.article_problem("宪法", 143) is None


def test_a_quote_must_stand_word_for_word() -> None:
    assert laws.quote_problem("民法典", 1254, "禁止从建筑物中抛掷物品") is None
    assert laws.quote_problem("民法典", 1254, " 禁止 从建筑物中 抛掷物品 ") is None  # spaces do not count
    # A quote may run from one paragraph of the article into the next.
    assert laws.quote_problem("民法典", 1254, "有权向侵权人追偿。物业服务企业等建筑物管理人") is None
    assert laws.quote_problem("民法典", 1254, "禁止从建筑物中扔东西") == "法条原文在民法典第 1254 条中找不到（须逐字摘录）"
    assert laws.quote_problem("民法典", 1261, "禁止从建筑物中抛掷物品") == "法条原文在民法典第 1261 条中找不到（须逐字摘录）"
    assert laws.quote_problem("宪法", "序言", "中国是世界上历史最悠久的国家之一") is None
    assert laws.quote_problem("宪法", "序言", "中华人民共和国首都是北京") == "法条原文在宪法序言中找不到（须逐字摘录）"


def test_a_quote_needs_six_characters() -> None:
    assert laws.quote_problem("宪法", 143, "首都是北京。") is None  # six, the full stop counts
    assert laws.quote_problem("宪法", 143, "首都是北京") == "法条原文摘录至少 6 个字"
    assert laws.quote_problem("宪法", 143, "首都 是 北 京") == "法条原文摘录至少 6 个字"
    assert laws.quote_problem("宪法", 143, None) == "法条原文摘录至少 6 个字"
    assert laws.quote_problem("宪法", 143, 123456) == "法条原文摘录至少 6 个字"


def test_a_citation_first_needs_its_article_then_its_quote() -> None:
    assert laws.citation_problem("宪法", 143, "中华人民共和国首都是北京") is None
    assert laws.citation_problem("宪法", 144, "中华人民共和国首都是北京") == "宪法没有第 144 条（共 143 条）"
    assert laws.citation_problem("宪法", 142, "中华人民共和国首都是北京") == "法条原文在宪法第 142 条中找不到（须逐字摘录）"
    assert laws.citation_problem("宪法", 143, "北京") == "法条原文摘录至少 6 个字"


@pytest.mark.parametrize(("text", "key"), [
    ("第十七条", 17), ("十七", 17), ("17", 17), ("第17条", 17), (" 第 1254 条 ", 1254), ("第一千二百五十四条", 1254),
    ("序言", "序言"), ("第序言条", "序言"), ("", None), ("第条", None), ("abc", None), ("十七a", None), ("第1.5条", None),
])
def test_an_article_as_people_type_it(text: str, key: int | str | None) -> None:
    assert laws.parse_article(text) == key
