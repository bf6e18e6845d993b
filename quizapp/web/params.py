"""Reading ids and numbers from requests without letting garbage reach the database."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import request

from ..errors import InvalidInput

MAX_ID = 2**31 - 1  # PostgreSQL's integer; larger values are never a real id


def arg_id(name: str) -> int | None:
    """A positive id from the query string, or None when absent or not a plausible id."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def arg_page(name: str = "page") -> int:
    value = request.args.get(name, 1, type=int)
    return min(max(1, value), 100_000)


def json_id(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
        raise InvalidInput(f"缺少或无效的字段 {name}")
    return value


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so a crafted link cannot send users elsewhere."""
    if not target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target) or "\\" in target:
        return None  # a line break would end the Location header; a backslash reads as //
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def ticked_answers(form: Any) -> dict[int, list[str]]:
    """The exam page's inputs as a form sends them ("item-12" → the ticked values), for a page
    whose script never ran; names that are not a plausible item are left out."""
    ticked: dict[int, list[str]] = {}
    for name in form:
        number = name.removeprefix("item-")
        if name.startswith("item-") and number.isascii() and number.isdigit() and len(number) < 11 and 0 < int(number) <= MAX_ID:
            ticked[int(number)] = form.getlist(name)[:6]
    return ticked
