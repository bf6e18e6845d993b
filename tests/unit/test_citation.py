import pytest

from quizapp.domain.citation import basis_label, chinese_numeral


@pytest.mark.parametrize(("n", "text"), [
    (1, "一"), (10, "十"), (17, "十七"), (20, "二十"), (100, "一百"), (105, "一百零五"),
    (110, "一百一十"), (1001, "一千零一"), (1039, "一千零三十九"), (1254, "一千二百五十四"), (1260, "一千二百六十"),
])
def test_chinese_numerals_as_the_statutes_write_them(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


def test_basis_labels() -> None:
    assert basis_label({"law": "民法典", "article": 1254, "quote": "x"}) == "民法典第一千二百五十四条"
    assert basis_label({"law": "宪法", "article": "序言", "quote": "x"}) == "宪法序言"
    assert basis_label({"source": "公安部刑事侦查局"}) == "依据"


@pytest.mark.parametrize(("n", "text"), [
    (1000, "一千"), (1010, "一千零一十"), (1100, "一千一百"), (1200, "一千二百"), (11, "十一"),
    (101, "一百零一"), (9999, "九千九百九十九"),
])
def test_round_and_zero_filled_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


def test_labels_for_round_article_numbers() -> None:
    assert basis_label({"law": "民法典", "article": 1000, "quote": "x"}) == "民法典第一千条"
    assert basis_label({"law": "宪法", "article": 10, "quote": "x"}) == "宪法第十条"


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_numbers_no_statute_has_are_refused(n: int) -> None:
    with pytest.raises(ValueError, match=str(n)):
        chinese_numeral(n)
