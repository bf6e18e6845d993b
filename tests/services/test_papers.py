"""Papers as examinees get them: fixed lists, shuffling, numbering, and a bank that ran short."""
import random
from decimal import Decimal

import pytest
from sqlalchemy import select

from quizapp.errors import Conflict, InvalidInput
from quizapp.models import Question
from quizapp.services import attempts as svc
from quizapp.services.bank_import import import_bank_texts

from ..factories import BANK, FIXED_LAYOUT, right_answer, wrong_answer


def codes(db, attempt) -> list[str]:
    return [item.version.question.code for item in svc.load_paper(db, attempt)]


def retire(db, code: str) -> None:
    db.scalar(select(Question).where(Question.code == code)).retired = True
    db.flush()


def test_a_fixed_paper_is_the_trainers_list_laid_out_by_type(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.fixed_exam.id, world.cadre, clock())
    items = svc.load_paper(db, attempt)
    assert codes(db, attempt) == FIXED_LAYOUT
    assert [i.position for i in items] == [1, 2, 3, 4, 5]
    assert [i.points for i in items] == [Decimal(20)] * 5
    # Not shuffled: options in the bank's order, the same for every examinee.
    assert [i.option_order for i in items] == [[0, 1, 2, 3]] * 3 + [[], []]
    other = svc.start_attempt(db, world.fixed_exam.id, world.cadre2, clock())
    assert codes(db, other) == FIXED_LAYOUT


@pytest.mark.parametrize(("right", "score", "passed"), [(3, 60, True), (2, 40, False), (5, 100, True)])
def test_a_fixed_paper_is_graded_against_its_pass_mark(db, world, clock, right, score, passed) -> None:
    attempt = svc.start_attempt(db, world.fixed_exam.id, world.cadre, clock())
    for n, item in enumerate(svc.load_paper(db, attempt)):
        svc.save_answer(db, attempt, item.id, right_answer(item) if n < right else wrong_answer(item), clock())
    svc.submit_attempt(db, attempt, clock())
    assert (attempt.score, attempt.passed) == (Decimal(score), passed)


def test_a_fixed_paper_takes_each_questions_current_version(db, world, clock) -> None:
    text = (BANK / "xianfa.yaml").read_text(encoding="utf-8").replace(
        "中华人民共和国的根本制度是（　）。", "中华人民共和国的根本制度是（　）。（修订）")
    import_bank_texts(db, [("xianfa.yaml", text)], clock())
    attempt = svc.start_attempt(db, world.fixed_exam.id, world.cadre, clock())
    first = svc.load_paper(db, attempt)[0]
    assert (first.version.question.code, first.version.version_no) == ("TXF-0001", 2)
    assert first.version.stem.endswith("（修订）")


def test_a_retired_question_stops_a_fixed_paper_with_its_code(db, world, clock) -> None:
    retire(db, "TXF-0005")
    with pytest.raises(InvalidInput) as caught:
        svc.start_attempt(db, world.fixed_exam.id, world.cadre, clock())
    assert caught.value.message == "试卷中的题目 TXF-0005 已停用，请联系培训管理员"


def test_a_bank_that_ran_short_since_the_exam_was_set_says_what_is_missing(db, world, clock) -> None:
    retire(db, "TXF-0006")  # the exam draws both of 宪法's multiple-choice questions
    with pytest.raises(InvalidInput) as caught:
        svc.start_attempt(db, world.exam.id, world.cadre, clock())
    assert caught.value.message == (
        "题库题目不足，无法组卷（专题“宪法”的多选题只有 1 道，规则需要 2 道），请联系培训管理员")


def test_shuffled_papers_differ_and_each_is_graded_against_the_right_key(db, world, clock) -> None:
    first = svc.start_attempt(db, world.exam.id, world.cadre, clock(), random.Random(1))
    second = svc.start_attempt(db, world.exam.id, world.cadre2, clock(), random.Random(2))
    papers = [svc.load_paper(db, a) for a in (first, second)]
    assert codes(db, first) != codes(db, second)
    orders = [[i.option_order for i in p] for p in papers]
    assert orders[0] != orders[1]
    # The option shown first is not always the key (every test-bank key is its first option) …
    assert any(i.option_order[:1] != [0] for p in papers for i in p if i.version.qtype == "single")
    # … yet clicking what the page shows as right scores full marks on both papers.
    for attempt, paper in zip((first, second), papers, strict=True):
        for item in paper:
            svc.save_answer(db, attempt, item.id, right_answer(item), clock())
        svc.submit_attempt(db, attempt, clock())
        assert (attempt.score, attempt.passed) == (Decimal(20), True)


def test_the_option_shown_first_is_graded_as_the_option_it_really_is(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock(), random.Random(1))
    singles = [i for i in svc.load_paper(db, attempt) if i.version.qtype == "single"]
    for item in singles:
        svc.save_answer(db, attempt, item.id, [0], clock())  # the first option on the page
    svc.submit_attempt(db, attempt, clock())
    shown_first_is_key = sum(1 for i in singles if i.option_order[0] == 0)  # the key is always A
    assert shown_first_is_key < len(singles)
    assert attempt.score == 2 * shown_first_is_key


def test_an_unshuffled_exam_shows_bank_order_to_everyone(db, world, clock) -> None:
    mine = svc.start_attempt(db, world.retake_exam.id, world.cadre, clock(), random.Random(1))
    theirs = svc.start_attempt(db, world.retake_exam.id, world.cadre2, clock(), random.Random(2))
    assert codes(db, mine) == codes(db, theirs) == ["TXF-0005", "TXF-0006", "TXF-0007", "TXF-0008"]
    assert [i.option_order for i in svc.load_paper(db, mine)] == [[0, 1, 2, 3], [0, 1, 2, 3], [], []]


def test_attempts_are_numbered_from_one_and_limited(db, world, clock) -> None:
    numbers = []
    for _ in range(3):
        attempt = svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())
        numbers.append(attempt.attempt_no)
        assert [i.position for i in svc.load_paper(db, attempt)] == [1, 2, 3, 4]
        svc.submit_attempt(db, attempt, clock())
    assert numbers == [1, 2, 3]
    with pytest.raises(Conflict) as caught:
        svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())
    assert caught.value.message == "本次考试最多可作答 3 次，您已用完"


def test_a_colleagues_attempts_do_not_count_against_mine(db, world, clock) -> None:
    # cadre3 is on attempt 1 of the retake exam; cadre1's first attempt is still number 1.
    mine = svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())
    assert (mine.user_id, mine.exam_id, mine.attempt_no) == (world.cadre.id, world.retake_exam.id, 1)


def test_partial_credit_on_a_paper(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.retake_exam.id, world.cadre, clock())
    two_keys, three_keys, true_item, false_item = svc.load_paper(db, attempt)
    svc.save_answer(db, attempt, two_keys.id, [0], clock())  # 1 of AB: 2.5 × 1/2
    svc.save_answer(db, attempt, three_keys.id, [0, 1], clock())  # 2 of ABC: 2.5 × 2/3 = 1.666…
    svc.save_answer(db, attempt, true_item.id, True, clock())
    svc.save_answer(db, attempt, false_item.id, True, clock())  # wrong
    svc.submit_attempt(db, attempt, clock())
    assert [i.earned for i in svc.load_paper(db, attempt)] == [
        Decimal("1.25"), Decimal("1.67"), Decimal("2.5"), Decimal(0)]
    assert (attempt.score, attempt.passed) == (Decimal("5.42"), False)
