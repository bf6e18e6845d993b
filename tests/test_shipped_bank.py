"""The shipped bank loads through the project's own loader and keeps the content rules.

Checking quotes against the official texts is check_bank.py's job (it needs ../shared);
this test needs nothing outside the repo.
"""
import collections
import re
from pathlib import Path

import pytest

from quizapp.domain.questions import QuestionRecord, validate
from quizapp.formats.bank_yaml import read_bank_dir

BankQuestion = QuestionRecord

BANK = Path(__file__).resolve().parents[1] / "question_bank"
MINIMUM = {"宪法": 200, "民法典": 250, "反电信网络诈骗": 100, "国家安全法": 50, "禁毒法": 50,
           "消费者权益保护法": 50, "行政处罚法": 100, "行政复议法": 80, "行政诉讼法": 60,
           "行政许可法": 60, "人民调解法": 50, "法律援助法": 50, "农村土地承包法": 80,
           "村民委员会组织法": 80}
# The topics added for 行政执法、复议与诉讼、调解与法律援助、土地承包、村民自治 keep the whole
# bank's mix one by one (about half single, a quarter each multiple and true_false; 40/40/20).
NEW_TOPICS = ("行政处罚法", "行政复议法", "行政诉讼法", "行政许可法", "人民调解法", "法律援助法",
              "农村土地承包法", "村民委员会组织法")
LETTER_REFERENCE = re.compile(r"选[A-F]|[A-F]项|[（(][A-F][)）]|答案为?[A-F]|^[A-F][.、．]")
REPEALED = ("婚姻法", "合同法", "物权法", "继承法", "侵权责任法", "民法通则", "民法总则", "劳动教养")


@pytest.fixture(scope="module")
def bank() -> list[BankQuestion]:
    read = read_bank_dir(BANK)
    assert [str(p) for p in read.problems] == []
    checked = [(q, validate(q.draft)) for q in read.questions]
    assert [(q.draft.code, c.problems) for q, c in checked if c.problems] == []
    # Every citation holds against the shipped law texts: no quote the product cannot find.
    assert [(q.draft.code, c.warnings) for q, c in checked if c.warnings] == []
    return [c.record for _, c in checked if c.record is not None]


def test_counts_per_topic(bank: list[BankQuestion]) -> None:
    counts = collections.Counter(q.topic for q in bank)
    for topic, minimum in MINIMUM.items():
        assert counts[topic] >= minimum, f"{topic}: {counts[topic]} < {minimum}"


def test_type_and_difficulty_mix(bank: list[BankQuestion]) -> None:
    assert_mix(bank)


@pytest.mark.parametrize("topic", NEW_TOPICS)
def test_each_new_topic_keeps_the_mix(bank: list[BankQuestion], topic: str) -> None:
    assert_mix([q for q in bank if q.topic == topic])


def test_village_committee_questions_cite_the_2025_numbering(bank: list[BankQuestion]) -> None:
    """The 2025 text has 50 articles; the superseded 2018 one had 41 and other numbers."""
    cited = [b["article"] for q in bank for b in q.basis if b.get("law") == "村民委员会组织法"]
    assert cited and max(cited) <= 50
    assert any(a > 41 for a in cited)  # chapter 6 (工作保障) exists only in the 2025 text


def assert_mix(questions: list[BankQuestion]) -> None:
    types = collections.Counter(q.qtype for q in questions)
    difficulty = collections.Counter(q.difficulty for q in questions)
    total = len(questions)
    assert 0.42 <= types["single"] / total <= 0.58
    assert 0.18 <= types["multiple"] / total <= 0.32
    assert 0.18 <= types["true_false"] / total <= 0.32
    assert 0.32 <= difficulty[1] / total <= 0.48
    assert 0.32 <= difficulty[2] / total <= 0.48
    assert 0.14 <= difficulty[3] / total <= 0.26


def test_non_statutory_questions_stay_under_15_percent_and_name_a_source(bank: list[BankQuestion]) -> None:
    per_topic = collections.Counter(q.topic for q in bank)
    sourced = collections.Counter(q.topic for q in bank if all("law" not in b for b in q.basis))
    for topic, n in sourced.items():
        assert n / per_topic[topic] < 0.15, topic
    for q in bank:
        for b in q.basis:
            if "law" not in b:
                assert len(b["source"]) >= 8, q.code


def test_ids_carry_the_topic_prefix(bank: list[BankQuestion]) -> None:
    prefixes = collections.defaultdict(set)
    for q in bank:
        prefixes[q.topic].add(q.code.split("-")[0])
    assert all(len(p) == 1 for p in prefixes.values()), prefixes


def test_explanations_survive_shuffled_options(bank: list[BankQuestion]) -> None:
    offenders = [q.code for q in bank if LETTER_REFERENCE.search(q.explanation)]
    assert offenders == []


def test_no_catch_all_options_and_no_repealed_laws_as_basis(bank: list[BankQuestion]) -> None:
    for q in bank:
        assert not any(o.startswith("以上") for o in q.options), q.code
        assert not any(f"《{law}》" in q.explanation or q.explanation.startswith(f"根据{law}")
                       for law in REPEALED), q.code


def test_true_false_answers_are_balanced(bank: list[BankQuestion]) -> None:
    answers = collections.Counter(q.answer for q in bank if q.qtype == "true_false")
    assert 0.35 <= answers["true"] / sum(answers.values()) <= 0.65


def test_single_choice_keys_are_spread_over_positions(bank: list[BankQuestion]) -> None:
    keys = collections.Counter(q.answer for q in bank if q.qtype == "single")
    assert max(keys.values()) / sum(keys.values()) < 0.4
