"""The annual report's training section, sentence by sentence, on figures given by hand."""
from datetime import datetime
from decimal import Decimal

from quizapp.domain import report as rp
from quizapp.domain.report import ExamLine, ReportData, WeakTopic
from quizapp.domain.statistics import Figures


def line(title: str, kind: str, opens: datetime, closes: datetime, expected: int, taken: int,
         audience: str = "全乡干部职工") -> ExamLine:
    return ExamLine(title, kind, opens, closes, audience, Figures(expected=expected, taken=taken))


EXAMS = [
    line("2026年度学法用法考试", "law_study", datetime(2026, 3, 2, 8), datetime(2026, 3, 9, 18), 5, 3),
    line("宪法宣誓专题测试", "constitution", datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 17), 4, 4,
         audience="乡领导班子"),
    line("补考", "law_study", datetime(2026, 12, 30, 8), datetime(2027, 1, 2, 18), 3, 0),
    line("反诈专项测试", "special", datetime(2026, 6, 1, 8), datetime(2026, 6, 30, 18), 8, 7),
]
OVERALL = Figures(expected=20, exempt=2, taken=14, passed=12, mean=Decimal("81.5"))
LEADERS = Figures(expected=8, taken=6, passed=5, mean=Decimal("90"))


def data(**changes) -> ReportData:
    values = dict(year=2026, scope="示例乡", exams=EXAMS, overall=OVERALL, leaders=LEADERS,
                  below_target=[("东风村委会", Decimal("60.00")), ("河口村委会", None)],
                  target=Decimal("95.00"),
                  weakest=[WeakTopic("民法典", Decimal("55.5")), WeakTopic("宪法", None)])
    values.update(changes)
    return ReportData(**values)


def test_dates_read_as_the_report_writes_them() -> None:
    assert rp.day(datetime(2026, 3, 9, 18)) == "3月9日"
    assert rp.span(datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 17)) == "3月3日"
    assert rp.span(datetime(2026, 3, 2), datetime(2026, 3, 9)) == "3月2日至3月9日"
    # Same day of another month or year is a span, not one day.
    assert rp.span(datetime(2026, 3, 2), datetime(2026, 4, 2)) == "3月2日至4月2日"
    assert rp.span(datetime(2026, 3, 2), datetime(2027, 3, 2)) == "3月2日至2027年3月2日"
    assert rp.span(datetime(2026, 12, 30), datetime(2027, 1, 2)) == "12月30日至2027年1月2日"
    assert rp.count(7, "人次") == "7人次"


def test_the_overview_names_every_exam_kind_and_each_exam() -> None:
    assert rp.overview(data()) == (
        "2026年，示例乡共组织学法用法考试2场、宪法知识测试1场、专项测试1场："
        "3月2日至3月9日组织全乡干部职工参加“2026年度学法用法考试”，应考5人，实考3人，参考率60.00%；"
        "3月3日组织乡领导班子参加“宪法宣誓专题测试”，应考4人，实考4人，参考率100.00%；"
        "12月30日至2027年1月2日组织全乡干部职工参加“补考”，应考3人，实考0人，参考率0.00%；"
        "6月1日至6月30日组织全乡干部职工参加“反诈专项测试”，应考8人，实考7人，参考率87.50%。")


def test_a_year_without_exams_says_so_in_one_paragraph() -> None:
    empty = data(exams=[])
    assert rp.overview(empty) == "2026年，示例乡未组织学法用法考试。"
    assert rp.narrative(empty) == ["2026年，示例乡未组织学法用法考试。"]


def test_totals_with_and_without_exempt_people() -> None:
    assert rp.totals(data()) == ("全年应考20人次，实考14人次，参考率70.00%；合格12人次，合格率85.71%；"
                                 "平均分81.5分；经批准免考、缓考2人次，不计入应考。")
    none_exempt = Figures(expected=4, taken=3, passed=3, mean=Decimal("88.00"))
    assert rp.totals(data(overall=none_exempt)) == (
        "全年应考4人次，实考3人次，参考率75.00%；合格3人次，合格率100.00%；平均分88分。")
    nobody_took = Figures(expected=4)
    assert rp.totals(data(overall=nobody_took)) == (
        "全年应考4人次，实考0人次，参考率0.00%；合格0人次，合格率—；平均分—分。")


def test_leaders_sentence_and_its_absence() -> None:
    assert rp.leaders(data()) == ("其中领导干部应考8人次，实考6人次，参考率75.00%，合格率83.33%，平均分90分。")
    assert rp.leaders(data(leaders=Figures())) == "本年度考试中无领导干部应考人员。"


def test_units_below_the_target_are_listed_with_their_rate() -> None:
    assert rp.units(data()) == "参考率低于95%的单位有2个：东风村委会（60.00%）、河口村委会（—）。"
    assert rp.units(data(target=Decimal("92.50"))).startswith("参考率低于92.5%的单位有2个：")
    assert rp.units(data(below_target=[])) == "各单位参考率均达到95%。"
    assert rp.units(data(below_target=[], target=Decimal("100"))) == "各单位参考率均达到100%。"


def test_problems_and_next_steps_one_per_weak_topic() -> None:
    assert rp.problems(data()) == [
        "干部对民法典相关内容掌握还不够扎实，考试中该专题题目正确率为55.50%。",
        "干部对宪法相关内容掌握还不够扎实，考试中该专题题目正确率为—。",
    ]
    assert rp.next_steps(data()) == [
        "围绕民法典组织专题学习和针对性练习，提高干部运用相关法律解决实际问题的能力。",
        "围绕宪法组织专题学习和针对性练习，提高干部运用相关法律解决实际问题的能力。",
    ]
    assert rp.problems(data(weakest=[])) == [] and rp.next_steps(data(weakest=[])) == []


def test_the_narrative_in_order() -> None:
    whole = data()
    assert rp.narrative(whole) == [
        rp.overview(whole),
        rp.totals(whole) + rp.leaders(whole),
        rp.units(whole),
        "从答题情况看，民法典、宪法是干部掌握相对薄弱的内容。",
    ]
    assert rp.narrative(data(weakest=[])) == [rp.overview(whole), rp.totals(whole) + rp.leaders(whole),
                                              rp.units(whole)]
