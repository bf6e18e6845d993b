"""When a finished attempt's key may be shown, and other paths of taking an exam the main tests
do not walk."""
from datetime import timedelta

from sqlalchemy import select

from quizapp.models import Attempt
from quizapp.services import attempts as svc


def test_a_finished_attempt_with_no_retries_left_shows_its_key_at_once(db, world, clock) -> None:
    # world.exam: review immediate, one attempt; the leader has handed in.
    finished = db.scalar(select(Attempt).where(Attempt.exam_id == world.exam.id, Attempt.user_id == world.leader.id))
    assert finished.status == "submitted"
    assert svc.review_hidden(db, finished, clock()) is None
    assert svc.can_review(db, finished, clock())


def test_after_close_review_waits_for_the_close(db, world, clock) -> None:
    exam = world.fixed_exam  # review after close, two attempts
    attempt = svc.start_attempt(db, exam.id, world.cadre, clock())
    svc.submit_attempt(db, attempt, clock())
    assert not svc.can_review(db, attempt, clock())
    assert svc.review_hidden(db, attempt, clock()) == "after_close"
    clock.current = exam.closes_at
    assert svc.can_review(db, attempt, clock())
    assert not svc.can_review(db, attempt, clock() - timedelta(seconds=1))


# ---- the autosave by ids, and 交卷 from a page whose script never ran ---------------------------

def _shown_state(db, attempt, clock):  # type: ignore[no-untyped-def]
    return svc.attempt_state(db, attempt, clock()).answers


def test_the_autosave_by_ids_saves_only_into_the_users_own_open_attempt(db, world, clock) -> None:
    import pytest

    from quizapp.errors import AttemptClosed, InvalidInput, NotFound

    from ..factories import right_answer

    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    item = svc.load_paper(db, attempt)[0]
    svc.save_own_answer(db, attempt.id, world.cadre.id, item.id, right_answer(item), clock())
    assert _shown_state(db, attempt, clock) == {item.id: right_answer(item)}
    with pytest.raises(NotFound, match="作答记录不存在"):  # someone else's attempt
        svc.save_own_answer(db, attempt.id, world.cadre2.id, item.id, right_answer(item), clock())
    other = db.scalar(select(Attempt).where(Attempt.user_id == world.cadre4.id, Attempt.exam_id == world.exam.id))
    foreign_item = svc.load_paper(db, other)[0]
    with pytest.raises(NotFound, match="题目不属于本次作答"):  # an item of another paper
        svc.save_own_answer(db, attempt.id, world.cadre.id, foreign_item.id, [0], clock())
    with pytest.raises(InvalidInput):
        svc.save_own_answer(db, attempt.id, world.cadre.id, item.id, "Z", clock())
    svc.submit_attempt(db, attempt, clock())
    with pytest.raises(AttemptClosed, match="已交卷"):
        svc.save_own_answer(db, attempt.id, world.cadre.id, item.id, right_answer(item), clock())


def test_ticked_inputs_are_saved_as_chosen_and_junk_is_left_out(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    paper = svc.load_paper(db, attempt)
    by_type = {i.version.qtype: i for i in paper}
    ticked: dict[int, list[str]] = {}
    expected: dict[int, object] = {}
    if (tf := by_type.get("true_false")) is not None:
        ticked[tf.id], expected[tf.id] = ["true"], True
    if (single := by_type.get("single")) is not None:
        ticked[single.id], expected[single.id] = ["0", "2"], [2]  # a radio sends one; the last counts
    if (multiple := by_type.get("multiple")) is not None:
        ticked[multiple.id], expected[multiple.id] = ["3", "1", "1", "x", "99"], [1, 3]
    assert expected, "the paper has questions"
    junk = {999_999: ["0"]}  # not on this paper
    saved = svc.save_ticked(db, attempt, {**ticked, **junk}, clock())
    assert saved == len(expected)
    assert _shown_state(db, attempt, clock) == expected
    if multiple is not None:  # only junk ticked later: the saved answer stands
        assert svc.save_ticked(db, attempt, {multiple.id: ["x", "99"]}, clock()) == 0
        assert _shown_state(db, attempt, clock)[multiple.id] == [1, 3]


def test_ticked_inputs_of_a_closed_or_overdue_attempt_are_not_saved(db, world, clock) -> None:
    attempt = svc.start_attempt(db, world.exam.id, world.cadre, clock())
    item = svc.load_paper(db, attempt)[0]
    value = ["true"] if item.version.qtype == "true_false" else ["0"]
    clock.advance(minutes=60, seconds=1)
    assert svc.save_ticked(db, attempt, {item.id: value}, clock()) == 0
    assert _shown_state(db, attempt, clock) == {}
