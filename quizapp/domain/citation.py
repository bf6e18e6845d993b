"""How a legal basis is written for readers: 民法典第一千二百五十四条, 宪法序言."""
from __future__ import annotations

from typing import Any

DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 17 -> 十七, 105 -> 一百零五, 1254 -> 一千二百五十四 (up to 9999)."""
    if not 0 < n < 10000:
        raise ValueError(f"article number out of range: {n}")
    parts: list[str] = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(DIGITS[digit] + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def basis_label(entry: dict[str, Any]) -> str:
    if "law" not in entry:
        return "依据"
    article = entry.get("article")
    if article == "序言":
        return f"{entry['law']}序言"
    if isinstance(article, int) and not isinstance(article, bool) and 0 < article < 10000:
        return f"{entry['law']}第{chinese_numeral(article)}条"
    # Checked on every way in; a row from before the checks still shows rather than breaks the page.
    return f"{entry['law']}第{article}条"
