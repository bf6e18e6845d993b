"""A legal basis as readers see it: its label, the whole article with the quote marked, a link
into the 法规库."""
from __future__ import annotations

from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from ..domain.citation import basis_label
from ..domain.laws import article_of


def article_text(entry: dict[str, Any]) -> str:
    """The whole text of the cited article, paragraph per line; "" for a basis that is not a law."""
    if "law" not in entry:
        return ""
    article = entry.get("article")
    found = article_of(entry["law"], article) if article is not None else None
    return found.text if found else ""


def mark_quote(text: str, quote: str) -> Markup:
    """The article with the quoted words marked, escaped; unmarked when the quote is not verbatim."""
    at = text.find(quote) if quote else -1
    if at < 0:
        return escape(text)
    return escape(text[:at]) + Markup("<mark>") + escape(quote) + Markup("</mark>") + escape(text[at + len(quote):])


LONG_ARTICLE = 300  # longer articles show the quoted paragraph first, the whole text one click away


def quoted_paragraph(text: str, quote: str) -> str:
    """The paragraph of an article that holds the quote (the first one when none does)."""
    paragraphs = text.split("\n")
    return next((p for p in paragraphs if quote and quote in p), paragraphs[0])


def law_url(entry: dict[str, Any]) -> str:
    return url_for("laws.article", name=entry["law"], n=str(entry.get("article"))) if "law" in entry else ""


def for_reader(entry: dict[str, Any]) -> dict[str, Any]:
    """What the practice API sends for a basis: the stored fields plus label, article and link."""
    return dict(entry, label=basis_label(entry), article_text=article_text(entry), url=law_url(entry))
