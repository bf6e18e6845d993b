"""The figures' edges: halves round up as reports do, band boundaries, odd facts, item analysis
on few or unusual responses."""
from decimal import Decimal

import pytest

from quizapp.domain import statistics as st
from quizapp.domain.statistics import Fact


def fact(user: int, score: str | None = None, passed: bool | None = None, *, status: str = "expected",
         full: str = "100") -> Fact:
    return Fact(1, user, (1,), "civil_servant", False, status, Decimal(score) if score else None, passed,
                Decimal(full))


def test_every_rate_rounds_a_half_up() -> None:
    # 1 of 800 is 0.125 %: half up makes 0.13 (banker's rounding would print 0.12).
    assert st.rate(1, 800) == Decimal("0.13")
    assert st.rate(3, 800) == Decimal("0.38")
    assert st.correct_rate(Decimal(1), Decimal(800)) == Decimal("0.13")
    assert st.correct_rate(Decimal("1.5"), Decimal(2)) == Decimal("75.00")
    assert st.score_text(Decimal("81.125")) == "81.13"
    assert st.score_text(Decimal("81.135")) == "81.14"


def test_scores_read_without_trailing_zeros() -> None:
    assert st.score_text(Decimal("81.50")) == "81.5"
    assert st.score_text(Decimal("0.5")) == "0.5"
    assert st.score_text(Decimal("60.05")) == "60.05"
    assert st.score_text(Decimal("100.004")) == "100"
    assert st.score_text(Decimal("70")) == "70"
    assert st.score_text(None) == "—"


def test_the_mean_rounds_a_half_up() -> None:
    f = st.figures([fact(1, "80", True), fact(2, "80.25", True)])
    assert f.mean == Decimal("80.13")  # 80.125
    f = st.figures([fact(1, "60", True), fact(2, "60.01", True), fact(3, "60.02", True), fact(4, "60.02", True)])
    assert f.mean == Decimal("60.01")  # 60.0125


def test_band_boundaries_on_the_hundred_point_scale() -> None:
    facts = [fact(n, s, True) for n, s in enumerate(
        ["0", "59.99", "60", "69.99", "70", "79.99", "80", "89.99", "90", "100"])]
    assert st.figures(facts).bands == (2, 2, 2, 2, 2)
    assert [label for _, _, label in st.BANDS] == ["60分以下", "60—69分", "70—79分", "80—89分", "90分及以上"]


def test_a_score_above_full_marks_still_lands_in_the_top_band() -> None:
    f = st.figures([fact(1, "21", True, full="20"), fact(2, "100.5", True)])
    assert f.bands == (0, 0, 0, 0, 2) and f.high == Decimal(105)


def test_everyone_excused_or_gone_is_counted_where_they_belong() -> None:
    facts = [fact(1, status="exempt"), fact(2, status="exempt"), fact(3, status="exempt"),
             fact(4, "90", True, status="left"), fact(5, "70", True)]
    f = st.figures(facts)
    assert (f.expected, f.exempt, f.taken, f.passed, f.missing) == (1, 3, 1, 1, 0)
    assert f.participation_rate == Decimal("100.00")


def test_a_score_without_full_marks_is_not_a_result() -> None:
    nothing = fact(1, "10", True, full="0")
    assert nothing.percent is None
    f = st.figures([nothing, fact(2, "50", False)])
    assert (f.expected, f.taken, f.passed, f.mean, f.bands) == (2, 1, 0, Decimal("50.00"), (1, 0, 0, 0, 0))


def test_nobody_expected_gives_no_rates() -> None:
    f = st.figures([])
    assert (f.expected, f.taken, f.mean, f.high, f.low) == (0, 0, None, None, None)
    assert (f.participation_rate, f.pass_rate, f.excellent_rate) == (None, None, None)
    assert f.bands == (0, 0, 0, 0, 0)


def test_excellent_from_the_threshold_itself() -> None:
    facts = [fact(1, "90", True), fact(2, "89.99", True), fact(3, "18", True, full="20")]
    assert st.figures(facts).excellent == 2
    assert [f.user_id for f in st.people_behind(facts, "excellent")] == [1, 3]
    assert [f.user_id for f in st.people_behind(facts, "excellent", 95)] == []


def test_units_below_target_leave_out_units_nobody_was_expected_in() -> None:
    groups = {1: st.Figures(expected=4, taken=3), 2: st.Figures(), 3: st.Figures(expected=2, taken=2),
              4: st.Figures(expected=10, taken=9)}
    assert st.units_below_target(groups, Decimal(90)) == [1]
    assert st.units_below_target(groups, Decimal("90.01")) == [1, 4]


def test_by_key_groups_facts() -> None:
    facts = [fact(1, "90", True), fact(2), fact(3, status="exempt")]
    groups = st.by_key(facts, lambda f: f.status)
    assert {k: [f.user_id for f in v] for k, v in groups.items()} == {"expected": [1, 2], "exempt": [3]}


# ---- item analysis ------------------------------------------------------------------------

def test_an_item_nobody_answered() -> None:
    assert st.item_stats([]) == st.ItemStats(0, None, None, None)
    assert st.item_stats([(1.0, 5.0, 0)]) == st.ItemStats(0, None, None, None)
    assert st.ItemStats(0, None, None, None).flags == []


def test_facility_rounds_a_half_up() -> None:
    # One examinee of 16 earned half the points: 3.125 %.
    stats = st.item_stats([(0.5, 8.0, 1), (0.0, 4.0, 15)])
    assert stats.facility == Decimal("3.13")


def test_discrimination_when_the_rest_of_the_test_barely_varies() -> None:
    # The rest of the test spreads by one point only (variance 0.25): still a full correlation.
    stats = st.item_stats([(1.0, 5.0, 1), (0.0, 4.0, 1)])
    assert (stats.discrimination, stats.efficiency) == (Decimal("100.00"), Decimal("100.00"))


def test_rows_counted_zero_times_change_nothing() -> None:
    rows = [(0.0, 1.0, 1), (0.5, 2.0, 1), (1.0, 4.0, 2)]
    plain = st.item_stats(rows)
    assert plain.count == 4
    assert st.item_stats(rows + [(1.0, 0.5, 0)]) == plain  # a largest item score, smallest rest, nobody
    assert st.item_stats(rows + [(0.0, 9.0, 0)]) == plain  # the other way round
    assert st.item_stats([(0.0, 9.0, 0)] + rows + [(1.0, 0.5, 0)]) == plain


@pytest.mark.parametrize(("facility", "discrimination", "flags"), [
    ("95.01", "30", ["过易"]), ("95.00", "30", []), ("19.99", "30", ["过难"]), ("20.00", "30", []),
    ("50", "-0.01", ["区分度为负"]), ("50", "0.00", []), ("99", "-5", ["过易", "区分度为负"]), (None, None, []),
])
def test_item_flags_at_their_thresholds(facility: str | None, discrimination: str | None, flags: list[str]) -> None:
    stats = st.ItemStats(10, Decimal(facility) if facility else None,
                         Decimal(discrimination) if discrimination else None, None)
    assert stats.flags == flags


def test_a_row_counted_zero_times_with_the_single_largest_item_score_changes_nothing() -> None:
    # Here nobody else has the largest item score nor the smallest rest: the empty row sorts last
    # among the item scores and first among the rests.
    rows = [(0.0, 1.0, 1), (0.5, 2.0, 1)]
    plain = st.item_stats(rows)
    assert plain.efficiency == Decimal("100.00")  # the higher item score goes with the higher rest
    assert st.item_stats(rows + [(1.0, 0.5, 0)]) == plain
