"""Finding a spreadsheet's columns by the names people give them, in any order."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence


def clean_header(header: str | None) -> str:
    """A header as compared: spaces and a required-mark (＊ or *) dropped."""
    return re.sub(r"[\s*＊]", "", header or "")


def match_columns(headers: Sequence[str | None], names: Mapping[str, Sequence[str]], labels: Mapping[str, str],
                  required: Sequence[str]) -> tuple[dict[str, int], list[int], list[str]]:
    """(field -> column index, indexes of the columns no field claimed, problems: a column
    given twice, a required one missing). Names are compared case-insensitively."""
    found: dict[str, int] = {}
    others: list[int] = []
    problems: list[str] = []
    for index, raw in enumerate(headers):
        header = clean_header(raw).lower()
        field = next((f for f, spellings in names.items() if header in spellings), None)
        if field is None:
            others.append(index)
            continue
        if field in found:
            problems.append(f"“{labels[field]}”列出现了两次")
        found[field] = index
    problems += [f"缺少“{labels[field]}”列" for field in required if field not in found]
    return found, others, problems
