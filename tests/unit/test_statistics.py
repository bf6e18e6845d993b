"""Every figure on hand-computed facts: one definition, checked once here."""
from decimal import Decimal

import pytest

from quizapp.domain import statistics as st
from quizapp.domain.statistics import Fact


def fact(user: int, score: str | None = None, passed: bool | None = None, *, status: str = "expected",
         path: tuple[int, ...] = (1, 2), category: str = "civil_servant", leader: bool = False,
         full: str = "100", exam: int = 1, busy: bool = False) -> Fact:
    return Fact(exam, user, path, category, leader, status, Decimal(score) if score else None, passed,
                Decimal(full), busy)


# Six people of one exam: four took it (95, 90, 61, 40), one never did, one was excused.
FACTS = [fact(1, "95", True), fact(2, "90", True), fact(3, "61", True), fact(4, "40", False),
         fact(5, busy=True), fact(6, status="exempt"), fact(7, "80", True, status="left")]


def test_figures_of_one_exam_by_hand() -> None:
    f = st.figures(FACTS)
    assert (f.expected, f.exempt, f.taken, f.missing, f.passed, f.excellent) == (5, 1, 4, 1, 3, 2)
    assert (f.participation_rate, f.pass_rate, f.excellent_rate) == (Decimal("80.00"), Decimal("75.00"), Decimal("50.00"))
    assert (f.mean, f.high, f.low) == (Decimal("71.50"), Decimal(95), Decimal(40))
    assert f.bands == (1, 1, 0, 0, 2)  # 40 | 61 | — | — | 90, 95


def test_rates_round_half_up_to_two_decimals_and_are_none_on_nothing() -> None:
    assert st.rate(2, 3) == Decimal("66.67") and st.rate(1, 3) == Decimal("33.33")
    assert st.rate(1, 8) == Decimal("12.50") and st.rate(1, 16) == Decimal("6.25")
    assert st.rate(5, 6) == Decimal("83.33") and st.rate(0, 0) is None
    assert st.percent_text(Decimal("96.5")) == "96.50%" and st.percent_text(None) == "—"
    assert st.score_text(Decimal("81.955")) == "81.96" and st.score_text(Decimal("88.00")) == "88"


def test_scores_are_on_the_hundred_point_scale() -> None:
    f = st.figures([fact(1, "18", True, full="20"), fact(2, "9", False, full="20")])
    assert (f.mean, f.high, f.low, f.excellent, f.bands) == (Decimal("67.50"), Decimal(90), Decimal(45), 1, (1, 0, 0, 0, 1))


def test_excellence_threshold_is_configurable() -> None:
    assert st.figures(FACTS, excellent_percent=95).excellent == 1
    assert st.figures(FACTS, excellent_percent=60).excellent == 3


@pytest.mark.parametrize(("who", "users"), [
    ("expected", [1, 2, 3, 4, 5]), ("exempt", [6]), ("taken", [1, 2, 3, 4]), ("passed", [1, 2, 3]),
    ("failed", [4]), ("excellent", [1, 2]), ("missing", [5]), ("left", [7]),
])
def test_the_people_behind_each_number(who: str, users: list[int]) -> None:
    assert [f.user_id for f in st.people_behind(FACTS, who)] == users


def test_units_roll_up_the_tree_and_add_up_to_their_parent() -> None:
    facts = [fact(1, "90", True, path=(1, 2)), fact(2, None, path=(1, 2)), fact(3, "70", True, path=(1, 3, 4)),
             fact(4, "50", False, path=(1, 3)), fact(5, status="exempt", path=(1, 3, 4))]
    groups = {uid: st.figures(g) for uid, g in st.by_unit(facts).items()}
    assert {uid: (g.expected, g.taken, g.passed, g.exempt) for uid, g in groups.items()} == {
        1: (4, 3, 2, 1), 2: (2, 1, 1, 0), 3: (2, 2, 1, 1), 4: (1, 1, 1, 1)}
    children = [groups[2], groups[3]]
    assert groups[1].expected == sum(c.expected for c in children)
    assert groups[1].taken == sum(c.taken for c in children)
    assert st.units_below_target(groups, Decimal(100)) == [1, 2]


def test_a_year_counts_person_times() -> None:
    year = [fact(1, "90", True, exam=1), fact(1, "70", True, exam=2), fact(2, exam=2)]
    f = st.figures(year)
    assert (f.expected, f.taken, f.participation_rate) == (3, 2, Decimal("66.67"))


def test_item_analysis_by_hand() -> None:
    # Four first attempts: (item fraction, rest of the test).
    stats = st.item_stats([(1.0, 8.0, 1), (1.0, 6.0, 1), (0.0, 4.0, 1), (0.0, 2.0, 1)])
    # mean x = .5, mean y = 5; cov = (.5*3 + .5*1 - .5*-1 - .5*-3)/4 = 1; var x = .25, var y = 5
    assert stats.facility == Decimal("50.00")
    assert stats.discrimination == Decimal("89.44")  # 1 / sqrt(.25 * 5)
    assert stats.efficiency == Decimal("100.00")  # already the best pairing
    worse = st.item_stats([(0.0, 8.0, 1), (1.0, 6.0, 1), (1.0, 4.0, 1), (0.0, 2.0, 1)])
    assert worse.discrimination == Decimal("0.00") and worse.efficiency == Decimal("0.00")
    reversed_ = st.item_stats([(0.0, 8.0, 1), (0.0, 6.0, 1), (1.0, 4.0, 1), (1.0, 2.0, 1)])
    assert reversed_.discrimination == Decimal("-89.44") and "区分度为负" in reversed_.flags


def test_items_too_easy_or_too_hard_are_flagged() -> None:
    easy = st.item_stats([(1.0, float(y), 1) for y in range(30)] + [(0.0, 0.0, 1)])
    assert easy.facility == Decimal("96.77") and easy.flags == ["过易"]
    hard = st.item_stats([(0.0, float(y), 1) for y in range(9)] + [(1.0, 9.0, 1)])
    assert hard.facility == Decimal("10.00") and "过难" in hard.flags
    assert st.item_stats([]).facility is None and st.item_stats([(1.0, 3.0, 1)]).discrimination is None


def test_counted_responses_equal_the_same_responses_one_by_one() -> None:
    one_by_one = [(1.0, 10.0, 1), (1.0, 10.0, 1), (0.5, 6.0, 1), (0.0, 6.0, 1), (0.0, 2.0, 1), (1.0, 2.0, 1)]
    grouped = [(1.0, 10.0, 2), (0.5, 6.0, 1), (0.0, 6.0, 1), (0.0, 2.0, 1), (1.0, 2.0, 1)]
    assert st.item_stats(one_by_one) == st.item_stats(grouped)
    stats = st.item_stats(grouped)
    # x = (1, 1, .5, 0, 0, 1), y = (10, 10, 6, 6, 2, 2), means 7/12 and 6: cov = 2/3; paired
    # sorted, (0, 0, .5, 1, 1, 1) with (2, 2, 6, 6, 10, 10), cov = 4/3: efficiency 50 %.
    assert (stats.facility, stats.efficiency) == (Decimal("58.33"), Decimal("50.00"))


def test_correct_rate() -> None:
    assert st.correct_rate(Decimal(7), Decimal(9)) == Decimal("77.78")
    assert st.correct_rate(Decimal(0), Decimal(0)) is None
