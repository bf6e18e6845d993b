"""A spreadsheet's columns found by the names people give them, in any order."""
from quizapp.domain.columns import clean_header, match_columns

NAMES = {"name": ("姓名",), "phone": ("手机号", "手机"), "code": ("题号", "id")}
LABELS = {"name": "姓名", "phone": "手机号", "code": "题号"}


def test_headers_are_compared_without_spaces_or_required_marks() -> None:
    assert clean_header(" 姓 名＊") == "姓名"
    assert clean_header("*手机号\t") == "手机号"
    assert clean_header("ID") == "ID"
    assert clean_header(None) == "" and clean_header("") == ""


def test_columns_in_any_order_case_insensitively_with_the_rest_set_aside() -> None:
    found, others, problems = match_columns(["备注", "手机 ", "ID", None, "姓名*"], NAMES, LABELS, ["name"])
    assert found == {"phone": 1, "code": 2, "name": 4}
    assert others == [0, 3]
    assert problems == []


def test_a_column_given_twice_and_missing_ones_are_problems() -> None:
    found, others, problems = match_columns(["手机", "姓名", "手机号"], NAMES, LABELS, ["name", "code", "phone"])
    assert found == {"phone": 2, "name": 1}  # the last one given is read
    assert others == []
    assert problems == ["“手机号”列出现了两次", "缺少“题号”列"]


def test_nothing_matches() -> None:
    assert match_columns([], NAMES, LABELS, ["name", "code"]) == ({}, [], ["缺少“姓名”列", "缺少“题号”列"])
    assert match_columns(["甲", "乙"], NAMES, LABELS, []) == ({}, [0, 1], [])
