"""The laws the bank may cite, defined once, and their official texts read into articles.

The texts ship with the product (quizapp/laws/, with SOURCES.md saying where each comes from;
laws are not under copyright, 著作权法第五条). Each article starts its own paragraph as
`第X条 正文`; the paragraphs after it belong to it until the next article or heading. The
Constitution's 序言 is an article of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import cast

from .citation import chinese_numeral

LAW_DIR = Path(__file__).resolve().parents[1] / "laws"
# Short name (as questions cite it) -> file. The order is the order people browse them in.
LAW_FILES: dict[str, str] = {
    "宪法": "constitution.md",
    "民法典": "civil_code.md",
    "行政处罚法": "administrative_penalty.md",
    "行政许可法": "administrative_licensing.md",
    "行政复议法": "administrative_reconsideration.md",
    "行政诉讼法": "administrative_litigation.md",
    "村民委员会组织法": "villagers_committees.md",
    "农村土地承包法": "rural_land_contracting.md",
    "人民调解法": "peoples_mediation.md",
    "法律援助法": "legal_aid.md",
    "反电信网络诈骗法": "anti_telecom_fraud.md",
    "国家安全法": "national_security.md",
    "禁毒法": "narcotics_control.md",
    "消费者权益保护法": "consumer_protection.md",
}
LAWS = tuple(LAW_FILES)
PREAMBLE = "序言"
_ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条\s*(.*)$")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def number_of(numeral: str) -> int:
    """一千二百五十四 -> 1254, 十七 -> 17 (the numerals statutes write)."""
    total, digit = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + digit


def squash(text: str) -> str:
    """Spaces do not count when a quote is compared with the text."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Article:
    key: int | str  # the number, or 序言
    paragraphs: tuple[str, ...]  # the article's text, paragraph by paragraph (the first without 第X条)
    headings: tuple[str, ...]  # the part, chapter and section it stands in, outermost first

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def heading(self) -> str:
        return " ".join(self.headings)

    @property
    def label(self) -> str:
        return PREAMBLE if self.key == PREAMBLE else f"第{chinese_numeral(int(self.key))}条"


@dataclass(frozen=True)
class Law:
    name: str  # as cited: 民法典
    title: str  # 中华人民共和国民法典
    history: tuple[str, ...]  # adoption and amendments, as the text lists them
    articles: dict[int | str, Article] = field(default_factory=dict)

    @property
    def last_article(self) -> int:
        return max((k for k in self.articles if isinstance(k, int)), default=0)

    def parts(self, most: int = 150) -> list[tuple[str, list[Article]]]:
        """The articles grouped by heading, in order, for reading one part at a time: by the
        outermost heading (编 or 章), and a part longer than `most` articles by the headings inside it."""

        def group(articles: list[Article], depth: int) -> list[tuple[str, list[Article]]]:
            grouped: list[tuple[str, list[Article]]] = []
            for article in articles:
                title = " ".join(article.headings[: depth + 1])
                if not grouped or grouped[-1][0] != title:
                    grouped.append((title, []))
                grouped[-1][1].append(article)
            return grouped

        def split(articles: list[Article], depth: int) -> list[tuple[str, list[Article]]]:
            parts: list[tuple[str, list[Article]]] = []
            for title, inside in group(articles, depth):
                deeper = len(inside) > most and any(len(a.headings) > depth + 1 for a in inside)
                parts += split(inside, depth + 1) if deeper else [(title, inside)]
            return parts

        return split(list(self.articles.values()), 0)


def parse_law(name: str, text: str) -> Law:
    title, history, articles = name, [], {}
    current: int | str | None = None
    lines: list[str] = []
    chapter: list[str] = []

    def close() -> None:
        if current is not None:
            articles[current] = Article(current, tuple(lines), tuple(chapter))

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# "):
            title = line[2:].strip()
            continue
        match = _ARTICLE.match(line)
        if match:
            close()
            current, lines = number_of(match.group(1)), [match.group(2)]
        elif line.startswith("#"):
            close()
            level, heading = len(line) - len(line.lstrip("#")), " ".join(line.lstrip("#").split())
            chapter = chapter[: max(0, level - 2)] + [heading]
            current, lines = (PREAMBLE, []) if heading == PREAMBLE else (None, [])
        elif current is not None:
            lines.append(line)
        elif not articles and current is None and not chapter:
            history.append(line)
    close()
    return Law(name, title, tuple(history), articles)


@cache
def law(name: str) -> Law | None:
    """The shipped text of a law the bank may cite; None for any other name."""
    if name not in LAW_FILES:
        return None
    return parse_law(name, (LAW_DIR / LAW_FILES[name]).read_text(encoding="utf-8"))


def article_of(name: str, key: int | str) -> Article | None:
    found = law(name)
    return found.articles.get(key) if found else None


def article_problem(name: object, key: object) -> str | None:
    """Why `name` / `key` is not an article the bank may cite; None when it is."""
    found = law(name) if isinstance(name, str) else None
    if found is None:
        return f"法律“{name}”不在可引用的法律之列（{'、'.join(LAWS)}）"
    if not (key == PREAMBLE or (isinstance(key, int) and not isinstance(key, bool))):
        return "条款应为条文序号（整数）或“序言”"
    if key not in found.articles:
        return f"{name}没有序言" if key == PREAMBLE else f"{name}没有第 {key} 条（共 {found.last_article} 条）"
    return None


def quote_problem(name: str, key: int | str, quote: object) -> str | None:
    """Why the quote does not stand word for word in an article that exists; None when it does."""
    if not isinstance(quote, str) or len(squash(quote)) < 6:
        return "法条原文摘录至少 6 个字"
    article = article_of(name, key)
    if article is None or squash(quote) not in squash(article.text):
        where = "序言" if key == PREAMBLE else f"第 {key} 条"
        return f"法条原文在{name}{where}中找不到（须逐字摘录）"
    return None


def citation_problem(name: object, key: object, quote: object) -> str | None:
    """Why a citation does not hold, in Chinese; None when the article exists and holds the quote."""
    # Once article_problem accepts them, the name is a law's and the key an article's.
    return article_problem(name, key) or quote_problem(cast(str, name), cast(int | str, key), quote)


def parse_article(text: str) -> int | str | None:
    """第十七条, 十七, 17, 第17条, 序言 -> 17 or 序言; None when unreadable."""
    value = text.strip().removeprefix("第").removesuffix("条").strip()
    if value == PREAMBLE:
        return PREAMBLE
    if value.isdigit():
        return int(value)
    if value and all(c in "零〇一二三四五六七八九十百千" for c in value):
        return number_of(value)
    return None
