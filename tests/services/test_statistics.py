"""The county's figures by hand: who counts where, units adding up, and every export agreeing."""
import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from quizapp.domain import report as narrative
from quizapp.formats import report_tables
from quizapp.formats.report_docx import write_docx
from quizapp.formats.report_files import csv_files, write_csv_zip, write_xlsx_report
from quizapp.models import User
from quizapp.services import people
from quizapp.services.exemptions import set_exemptions
from quizapp.services.report import build_report

# At 09:00 on 2 March 2026 示例乡 has three exams open (exam, fixed_exam, retake_exam), five cadres
# on each list; only leader has finished one (exam: 8 of 20, 40 on the 百分制, 不合格).


def township_report(db, world, clock, **kwargs):
    return build_report(db, world.township, 2026, clock(), **kwargs)


def test_the_townships_year_by_hand(db, world, clock) -> None:
    report = township_report(db, world, clock)
    assert [e.title for e in report.collected.exams] == ["2026年度学法用法考试", "反诈专项测试", "宪法知识测试"]
    f = report.overall
    assert (f.expected, f.exempt, f.taken, f.passed, f.mean) == (15, 0, 1, 0, Decimal("40.00"))
    assert (f.participation_rate, f.pass_rate, f.excellent_rate) == (Decimal("6.67"), Decimal("0.00"), Decimal("0.00"))
    exam = report.by_exam[world.exam.id]
    assert (exam.expected, exam.taken, exam.participation_rate) == (5, 1, Decimal("20.00"))
    assert (report.leaders.expected, report.leaders.taken) == (6, 1)  # cadre2 and leader, three exams each


def test_units_add_up_to_their_parent(db, world, clock) -> None:
    lines = {line.unit.name: (line.depth, line.figures) for line in township_report(db, world, clock).units}
    assert {name: (depth, f.expected) for name, (depth, f) in lines.items()} == {
        "示例乡": (0, 15), "乡直机关": (1, 9), "东风村委会": (1, 3), "河口村委会": (1, 3)}
    parts = [lines[n][1] for n in ("乡直机关", "东风村委会", "河口村委会")]
    whole = lines["示例乡"][1]
    assert (whole.expected, whole.taken, whole.passed) == tuple(
        sum(getattr(p, a) for p in parts) for a in ("expected", "taken", "passed"))


def test_exempt_deactivated_and_moved_cadres_land_where_the_rules_say(db, world, clock) -> None:
    set_exemptions(db, world.exam, [world.cadre2.id], "exempt", "sick_leave", "", "乡长", world.trainer, clock())
    clock.advance(hours=1)
    people.deactivate_person(db, db.get(User, world.cadre.id), "retired", clock().date(), world.admin, clock())
    cadre4 = db.get(User, world.cadre4.id)
    people.update_person(db, cadre4, people.PersonForm(
        cadre4.full_name, cadre4.username, "", world.other_village.id, cadre4.position, cadre4.category,
        False), world.admin, clock())
    report = township_report(db, world, clock)
    assert (report.overall.expected, report.overall.exempt) == (14 - 3 - 3 + 0, 1)
    by_exam = report.by_exam[world.exam.id]
    assert (by_exam.expected, by_exam.exempt, by_exam.taken) == (2, 1, 1)  # cadre3 and leader remain
    left = {(f.user_id, f.status) for f in report.collected.facts if f.exam_id == world.exam.id}
    assert (world.cadre.id, "left") in left and (world.cadre4.id, "left") in left
    # cadre4's rows stay with 河口村委会, where the lists put them.
    lines = {line.unit.name: line.figures for line in report.units}
    assert lines["河口村委会"].expected == 0 and lines["乡直机关"].expected == 6
    county = build_report(db, world.county, 2026, clock())
    other = county.by_exam[world.other_exam.id]
    assert other.expected == 3  # 邻近镇's open exam gained cadre4


def test_narrowed_to_one_unit(db, world, clock) -> None:
    report = build_report(db, world.township, 2026, clock(), unit=world.office)
    assert report.scope_name == "乡直机关" and report.overall.expected == 9
    assert {f.user_id for f in report.collected.facts} == {world.cadre.id, world.cadre3.id, world.leader.id}


def test_topics_and_questions_from_finished_attempts(db, world, clock) -> None:
    report = township_report(db, world, clock)
    # leader's one finished paper: 4 singles right (宪法 or 民法典), the rest wrong.
    assert {t.topic: t.answered for t in report.topics} == {"宪法": 7, "民法典": 2}
    assert sum(q.answered for q in report.questions) == 9
    assert all(q.stats.count == 1 and q.stats.discrimination is None for q in report.questions)


def test_the_narrative_speaks_in_report_numbers(db, world, clock) -> None:
    clock.advance(days=8)  # everything has closed; the open attempts were graded
    from quizapp.services.attempts import finalize_overdue

    finalize_overdue(db, clock())
    data = township_report(db, world, clock).data()
    paragraphs = narrative.narrative(data)
    # The upcoming exam opened on 3 March: four exams, five cadres each.
    assert paragraphs[0].startswith("2026年，示例乡共组织学法用法考试2场、专项测试1场、宪法知识测试1场：3月2日至3月9日组织示例乡全体干部职工参加“2026年度学法用法考试”，应考5人，实考3人，参考率60.00%；")
    assert "3月3日至3月9日组织示例乡全体干部职工参加“宪法宣誓专题测试”，应考5人，实考0人，参考率0.00%。" in paragraphs[0]
    assert "全年应考20人次，实考4人次，参考率20.00%" in paragraphs[1]
    assert "其中领导干部应考8人次，实考1人次，参考率12.50%" in paragraphs[1]
    assert paragraphs[2] == ("参考率低于100%的单位有3个：乡直机关（25.00%）、东风村委会（0.00%）、"
                             "河口村委会（25.00%）。")
    assert narrative.problems(data)[0].startswith("干部对")


# ---- exports --------------------------------------------------------------------------------

@pytest.fixture
def report(db, world, clock):
    return township_report(db, world, clock)


def test_the_docx_holds_the_narrative_and_tables(report) -> None:
    doc = Document(io.BytesIO(write_docx(report, with_missing=True)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["附件", "2026年度示例乡学法用法考试和培训情况", "一、基本情况"]
    assert narrative.narrative(report.data())[0] in texts
    assert "附表2  分单位情况" in texts and "附表4  未参考人员名单" in texts
    assert [len(t.rows) for t in doc.tables] == [5, 5, 5, 15]  # header + rows (+ 合计)
    assert [c.text for c in doc.tables[0].rows[-1].cells][:6] == ["合计（人次）", "", "15", "0", "1", "6.67%"]
    assert doc.tables[1].rows[1].cells[0].text == "示例乡"
    run = doc.paragraphs[3].runs[0]
    assert run.font.name == "仿宋_GB2312" and doc.paragraphs[2].runs[0].font.name == "黑体"
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and doc.sections[1].orientation == 1  # 附表 pages are landscape


def test_the_xlsx_holds_every_sheet_and_value(report) -> None:
    book = load_workbook(io.BytesIO(write_xlsx_report(report)))
    assert book.sheetnames == ["汇总", "分单位", "人员成绩", "未参考名单", "专题掌握", "题目分析"]
    assert all(make(report).name == name for name, make in report_tables.EXPORTS.items())  # as the web names them
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][:6] == ("考试", "时间", "应考", "免考", "实考", "参考率")
    assert summary[-1][:6] == ("合计（人次）", None, 15, 0, 1, "6.67%")
    people_rows = list(book["人员成绩"].iter_rows(values_only=True))[1:]
    assert len(people_rows) == 15
    leader = next(r for r in people_rows if r[2] == "用户leader" and r[0] == "2026年度学法用法考试")
    assert leader[-2:] == ("8", "不合格")  # the score as it was earned, 8 of 20
    assert len(list(book["未参考名单"].iter_rows())) == 1 + 14


def test_csv_files_have_a_bom_and_open_in_excel(report) -> None:
    files = csv_files(report)
    assert list(files) == ["01-汇总.csv", "02-分单位.csv", "03-人员成绩.csv", "04-未参考名单.csv",
                           "05-专题掌握.csv", "06-题目分析.csv"]
    summary = files["01-汇总.csv"]
    assert summary.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(summary.decode("utf-8-sig"))))
    assert rows[-1][:6] == ["合计（人次）", "", "15", "0", "1", "6.67%"]
    with zipfile.ZipFile(io.BytesIO(write_csv_zip(report))) as archive:
        assert sorted(archive.namelist()) == sorted(files)


def test_csv_cells_that_would_run_as_formulas_are_neutralised() -> None:
    from quizapp.formats.report_files import csv_cell

    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("-12.50%") == "-12.50%" and csv_cell("张三") == "张三"


def test_the_report_says_when_and_from_which_lists(report) -> None:
    assert report.sources()[0] == "“2026年度学法用法考试”应考名单（2026-03-02 08:00考试开放时生成，5人）"
    assert report.generated_at == report.collected.exams[0].opens_at + timedelta(hours=1)
