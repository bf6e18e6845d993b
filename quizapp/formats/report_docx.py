"""The report's training section as a .docx laid out like a 公文 annex: 仿宋 body, 黑体 headings,
bordered tables with a repeated header row, page numbers in the footer."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..domain import report as narrative
from . import report_tables

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from ..services.report import Report

BODY_FONT, HEADING_FONT = "仿宋_GB2312", "黑体"
BODY_SIZE, TABLE_SIZE, TITLE_SIZE = Pt(16), Pt(10.5), Pt(22)  # 三号, 五号, 二号


def _font(run: Run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, size, bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(doc: DocumentType, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE, *, bold: bool = False,
          indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size.pt * 2)  # 首行缩进两字
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def _page_numbers(doc: DocumentType) -> None:
    """— 1 — centred in every footer, as a PAGE field."""
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), BODY_FONT, Pt(14))
    run = footer.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
    _font(run, BODY_FONT, Pt(14))
    _font(footer.add_run(" —"), BODY_FONT, Pt(14))


def _table(doc: DocumentType, table: report_tables.Table, caption: str, drop: tuple[str, ...] = ()) -> None:
    keep = [i for i, h in enumerate(table.headers) if h not in drop]
    table = report_tables.Table(table.name, [table.headers[i] for i in keep],
                                [[row[i] for i in keep] for row in table.rows])
    _para(doc, caption, HEADING_FONT, Pt(14), indent=False)
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    header_props = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for cell, text in zip(header.cells, table.headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_SIZE)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            if isinstance(value, int) or (isinstance(value, str) and value[:1].isdigit()):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, TABLE_SIZE)
    grid.autofit = False
    for row in grid.rows:  # the first column holds names: give it room, the figures share the rest
        row.cells[0].width = Cm(5)
    doc.add_paragraph()


def write_docx(report: Report, with_missing: bool = False) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height, section.orientation = Cm(21), Cm(29.7), WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_numbers(doc)
    data = report.data()
    _para(doc, "附件", HEADING_FONT, BODY_SIZE, indent=False)
    _para(doc, f"{report.year}年度{report.scope_name}学法用法考试和培训情况", HEADING_FONT, TITLE_SIZE,
          indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "一、基本情况", HEADING_FONT, indent=True)
    for text in narrative.narrative(data):
        _para(doc, text)
    if data.weakest:
        _para(doc, "二、存在的问题", HEADING_FONT)
        for n, text in enumerate(narrative.problems(data), 1):
            _para(doc, f"{n}. {text}")
        _para(doc, "三、下一步工作打算", HEADING_FONT)
        for n, text in enumerate(narrative.next_steps(data), 1):
            _para(doc, f"{n}. {text}")
    # The 附表 on landscape pages: a dozen columns do not fit across an upright A4.
    landscape = doc.add_section(WD_SECTION.NEW_PAGE)
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = Cm(29.7), Cm(21)
    landscape.top_margin = landscape.bottom_margin = Cm(2.6)
    landscape.left_margin = landscape.right_margin = Cm(2.5)
    tables = [(report_tables.summary(report), "附表1  考试情况汇总", ()),
              (report_tables.units(report), "附表2  分单位情况", ("单位路径",)),
              (report_tables.leaders(report), "附表3  领导干部参考情况", ())]
    if with_missing:
        tables.append((report_tables.missing(report), "附表4  未参考人员名单", ("账号",)))
    for table, caption, drop in tables:
        _table(doc, table, caption, drop)
    _para(doc, "说明：应考人数不含经批准免考、缓考和考试开放期间调离、离职的人员；参考率＝实考÷应考，"
               "合格率＝合格÷实考，优秀率为百分制得分不低于" f"{report.excellent_percent}分的人数÷实考；"
               "分数按百分制折算；全年数字为人次。", BODY_FONT, Pt(12))
    generated = f"{(report.generated_at + report_tables.LOCAL):%Y年%m月%d日 %H:%M}"
    _para(doc, f"数据生成时间：{generated}；依据：" + "；".join(report.sources()) + "。", BODY_FONT, Pt(12))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
