"""Grading: the answer key against a response, in the original option order."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

LETTERS = "ABCDEF"
CENT = Decimal("0.01")


class BadResponse(ValueError):
    """A response that cannot belong to the question (wrong type, unknown option)."""


def response_from_displayed(qtype: str, option_order: Sequence[int], chosen: object) -> str:
    """Turn what the page sent (displayed option positions, or a bool) into stored letters.

    Returns "" for a cleared answer. Raises BadResponse for anything malformed.
    """
    if qtype == "true_false":
        if chosen is None:
            return ""
        if not isinstance(chosen, bool):
            raise BadResponse("判断题的答案只能是“正确”或“错误”")
        return "true" if chosen else "false"
    if not isinstance(chosen, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in chosen
    ):
        raise BadResponse("选择题的答案格式不正确")
    if len(set(chosen)) != len(chosen) or any(not 0 <= i < len(option_order) for i in chosen):
        raise BadResponse("所选选项不存在")
    if qtype == "single" and len(chosen) > 1:
        raise BadResponse("单选题只能选择一个选项")
    return "".join(sorted(LETTERS[option_order[i]] for i in chosen))


def displayed_from_response(qtype: str, option_order: Sequence[int], response: str) -> object:
    """The inverse of response_from_displayed, for showing a saved answer on the page."""
    if qtype == "true_false":
        return {"true": True, "false": False}.get(response)
    shown_at = {original: shown for shown, original in enumerate(option_order)}
    return sorted(shown_at[LETTERS.index(letter)] for letter in response)


def grade(qtype: str, key: str, response: str | None, points: Decimal, scoring: str) -> Decimal:
    """Points earned. Multiple choice under 'partial': a correct subset earns its share."""
    if not response:
        return Decimal(0)
    if response == key:
        return points
    if qtype != "multiple" or scoring != "partial":
        return Decimal(0)
    chosen, right = set(response), set(key)
    if not chosen <= right:  # any wrong option loses the whole question
        return Decimal(0)
    return (points * len(chosen) / len(right)).quantize(CENT, rounding=ROUND_HALF_UP)


def is_correct(key: str, response: str | None) -> bool:
    return bool(response) and response == key


OUTCOME_LABELS = {"right": "✓ 正确", "partial": "部分正确", "wrong": "✗ 错误", "unanswered": "✗ 未作答"}


def item_outcome(earned: Decimal | None, points: Decimal, response: str | None) -> str:
    """How a graded item reads on the result page: right, partial, wrong or unanswered."""
    if not response:
        return "unanswered"
    if earned is not None and earned == points:
        return "right"
    return "partial" if earned and earned > 0 else "wrong"
