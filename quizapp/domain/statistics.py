"""Every figure of the statistics pages, the exports and the report, defined once.

Pure: plain facts in, figures out. A fact is one person on one exam's frozen 应考 list with the
result that counts for them. Definitions (the report prints them too):
- 应考: on the list, not excused (免考/缓考) and not gone (调离、离职 while the exam was open).
- 免考: excused (免考 or 缓考).  实考: 应考 with a finished attempt.  参考率 = 实考 / 应考.
- 合格: 实考 whose counted attempt reached the pass mark.  合格率 = 合格 / 实考.
- 优秀: 实考 scoring at least `excellent_percent` % of full marks.  优秀率 = 优秀 / 实考.
- 平均分、最高分、最低分 and the score bands are on the 百分制 (score / full marks × 100),
  so that exams with other full marks add up; for a 100-point exam they are the scores.
Over a year, counts are 人次 (one per person and exam). Rates are percentages to two decimals.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
EXCELLENT_PERCENT = 90
# Score bands on the 百分制: [low, high) and what a table calls them.
BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 60, "60分以下"), (60, 70, "60—69分"), (70, 80, "70—79分"), (80, 90, "80—89分"),
    (90, 101, "90分及以上"),
)
STATUSES = ("expected", "exempt", "left")


@dataclass(frozen=True)
class Fact:
    """One person on one exam's 应考 list, and the result that counts for them."""

    exam_id: int
    user_id: int
    unit_path: tuple[int, ...]  # unit ids from the root to their unit when the list was made
    category: str
    is_leader: bool
    status: str  # expected | exempt | left
    score: Decimal | None = None  # the counted finished attempt's score
    passed: bool | None = None
    full_marks: Decimal = HUNDRED
    in_progress: bool = False  # answering right now (not yet 实考)

    @property
    def expected(self) -> bool:
        return self.status == "expected"

    @property
    def taken(self) -> bool:
        return self.expected and self.score is not None

    @property
    def percent(self) -> Decimal | None:
        """The score on the 百分制."""
        if self.score is None or not self.full_marks:
            return None
        return self.score * HUNDRED / self.full_marks


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage to two decimals, rounded half up as reports do; None when nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def score_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")


@dataclass(frozen=True)
class Figures:
    expected: int = 0
    exempt: int = 0
    taken: int = 0
    passed: int = 0
    excellent: int = 0
    mean: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    bands: tuple[int, ...] = field(default=(0,) * len(BANDS))

    @property
    def missing(self) -> int:
        return self.expected - self.taken

    @property
    def participation_rate(self) -> Decimal | None:
        return rate(self.taken, self.expected)

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.taken)

    @property
    def excellent_rate(self) -> Decimal | None:
        return rate(self.excellent, self.taken)


def is_excellent(fact: Fact, excellent_percent: int = EXCELLENT_PERCENT) -> bool:
    percent = fact.percent
    return fact.taken and percent is not None and percent >= excellent_percent


def band_of(percent: Decimal) -> int:
    return next(i for i, (low, high, _) in enumerate(BANDS) if low <= percent < high or i == len(BANDS) - 1)


def figures(facts: Iterable[Fact], excellent_percent: int = EXCELLENT_PERCENT) -> Figures:
    """The figures of any group of facts: an exam, a unit, a category, a year."""
    expected = exempt = passed = excellent = 0
    scores: list[Decimal] = []
    bands = [0] * len(BANDS)
    for f in facts:
        if f.status == "exempt":
            exempt += 1
        if not f.expected:
            continue
        expected += 1
        percent = f.percent
        if f.score is None or percent is None:
            continue
        scores.append(percent)
        bands[band_of(percent)] += 1
        passed += bool(f.passed)
        excellent += percent >= excellent_percent
    mean = (sum(scores, Decimal(0)) / len(scores)).quantize(CENT, rounding=ROUND_HALF_UP) if scores else None
    return Figures(expected, exempt, len(scores), passed, excellent, mean,
                   max(scores, default=None), min(scores, default=None), tuple(bands))


# ---- the people behind a number --------------------------------------------------------------

WHO: dict[str, Callable[[Fact, int], bool]] = {
    "expected": lambda f, _: f.expected,
    "exempt": lambda f, _: f.status == "exempt",
    "taken": lambda f, _: f.taken,
    "passed": lambda f, _: f.taken and bool(f.passed),
    "failed": lambda f, _: f.taken and not f.passed,
    "excellent": lambda f, e: is_excellent(f, e),
    "missing": lambda f, _: f.expected and not f.taken,
    "left": lambda f, _: f.status == "left",
}
WHO_LABELS = {"expected": "应考", "exempt": "免考", "taken": "实考", "passed": "合格", "failed": "不合格",
              "excellent": "优秀", "missing": "未参考", "left": "调离或离职"}


def people_behind(facts: Iterable[Fact], who: str, excellent_percent: int = EXCELLENT_PERCENT) -> list[Fact]:
    """The facts a number counts: 应考, 免考, 实考, 合格, 不合格, 优秀, 未参考."""
    test = WHO[who]
    return [f for f in facts if test(f, excellent_percent)]


# ---- groupings ------------------------------------------------------------------------------

def by_unit(facts: Iterable[Fact]) -> dict[int, list[Fact]]:
    """Each unit's facts, rolled up the tree: a unit holds its own people and everyone below."""
    groups: dict[int, list[Fact]] = defaultdict(list)
    for f in facts:
        for unit_id in f.unit_path:
            groups[unit_id].append(f)
    return groups


def by_key(facts: Iterable[Fact], key: Callable[[Fact], object]) -> dict[object, list[Fact]]:
    groups: dict[object, list[Fact]] = defaultdict(list)
    for f in facts:
        groups[key(f)].append(f)
    return groups


def units_below_target(unit_figures: dict[int, Figures], target: Decimal) -> list[int]:
    """Units whose 参考率 is under the target (units with nobody expected are left out)."""
    return [uid for uid, fig in unit_figures.items()
            if fig.participation_rate is not None and fig.participation_rate < target]


# ---- items and topics -----------------------------------------------------------------------

@dataclass(frozen=True)
class ItemStats:
    """Moodle's item analysis on first attempts: how easy, and how well it separates."""

    count: int
    facility: Decimal | None  # mean item score, % of its points
    discrimination: Decimal | None  # correlation of item score with the rest of the test, %
    efficiency: Decimal | None  # discrimination relative to the most the item's difficulty allows, %

    @property
    def flags(self) -> list[str]:
        found = []
        if self.facility is not None and self.facility > 95:
            found.append("过易")
        if self.facility is not None and self.facility < 20:
            found.append("过难")
        if self.discrimination is not None and self.discrimination < 0:
            found.append("区分度为负")
        return found


def _pct(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value * 100)).quantize(CENT, rounding=ROUND_HALF_UP)


def item_stats(responses: Sequence[tuple[float, float, int]]) -> ItemStats:
    """`responses`: (item score as a fraction of its points, the rest of the test's score, how
    many first attempts had exactly these two) for a question. As Moodle computes them:
    facility = mean item fraction; discrimination = Pearson r(item, rest);
    efficiency = cov(item, rest) / the largest cov the same two sets of values allow (both
    sorted). Grouped counts keep this exact and cheap: scores take few distinct values."""
    n = sum(c for _, _, c in responses)
    if n == 0:
        return ItemStats(0, None, None, None)
    mean_x = sum(x * c for x, _, c in responses) / n
    mean_y = sum(y * c for _, y, c in responses) / n
    cov = sum((x - mean_x) * (y - mean_y) * c for x, y, c in responses) / n
    var_x = sum((x - mean_x) ** 2 * c for x, _, c in responses) / n
    var_y = sum((y - mean_y) ** 2 * c for _, y, c in responses) / n
    discrimination = cov / (var_x * var_y) ** 0.5 if var_x > 1e-12 and var_y > 1e-12 else None
    cov_max = _sorted_cov(sorted((x, c) for x, _, c in responses), sorted((y, c) for _, y, c in responses),
                          mean_x, mean_y) / n
    efficiency = cov / cov_max if cov_max > 1e-12 else None
    return ItemStats(n, _pct(mean_x), _pct(discrimination), _pct(efficiency))


def _sorted_cov(xs: list[tuple[float, int]], ys: list[tuple[float, int]], mean_x: float, mean_y: float) -> float:
    """Σ (x − x̄)(y − ȳ) with the i-th smallest x paired with the i-th smallest y, on counted values."""
    total, i, j = 0.0, 0, 0
    left_x, left_y = (xs[0][1], ys[0][1]) if xs and ys else (0, 0)
    while i < len(xs) and j < len(ys):
        take = min(left_x, left_y)
        total += (xs[i][0] - mean_x) * (ys[j][0] - mean_y) * take
        left_x, left_y = left_x - take, left_y - take
        if left_x == 0:
            i += 1
            left_x = xs[i][1] if i < len(xs) else 0
        if left_y == 0:
            j += 1
            left_y = ys[j][1] if j < len(ys) else 0
    return total


def correct_rate(earned: Decimal, possible: Decimal) -> Decimal | None:
    """A topic's or question's 正确率: points earned over points possible, %."""
    if not possible:
        return None
    return (earned * HUNDRED / possible).quantize(CENT, rounding=ROUND_HALF_UP)
