"""Writes the binary and re-encoded files of good_files/ and bad_files/ (the text ones are written
by hand). Run once from the repository root, `python -m tests.formats.make_files`, and keep the
files: the tests read them as they are checked in.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).parent
GOOD, BAD = HERE / "good_files", HERE / "bad_files"

# The columns of shuffled_spellings.xlsx: any order, a required mark (*) on one, no 专题, no 法律.
SHUFFLED = ["答案", "难度", "选项B", "*题干", "解析", "选项A", "题型", "选项D", "选项C", "知识点/标签", "题号"]
TRUE_FALSE_ANSWERS = ["对", "错", "正确", "错误", "√", "×", "是", "否", "T", "F"]


def _row(answer, difficulty, stem, explanation, qtype, options=(), tags="", code=""):
    a, b, c, d = (list(options) + ["", "", "", ""])[:4]
    return [answer, difficulty, b, stem, explanation, a, qtype, d, c, tags, code]


def shuffled_xlsx() -> bytes:
    from openpyxl import Workbook

    duties = ("依照法律纳税", "遵守宪法和法律", "参加宗教活动", "维护国家统一")
    rows = [
        _row("A", "易", "根据宪法，中华人民共和国的一切权力属于（　）。", "宪法第二条规定，中华人民共和国的一切权力属于人民。",
             "单选", ("人民", "全国人民代表大会", "国务院", "各级人民政府"), "总纲", "XF-0501"),
        _row("b", "中", "根据宪法，中华人民共和国的国家机构实行（　）的原则。", "宪法第三条规定，国家机构实行民主集中制的原则。",
             "单选题", ("三权分立", "民主集中制", "地方自治")),
        _row("C", "难", "根据民法典，十八周岁以上的自然人为（　）。", "民法典第十七条规定，十八周岁以上的自然人为成年人。",
             "单项选择题", ("未成年人", "限制民事行为能力人", "成年人")),
        _row("ABD", 1, "下列属于公民基本义务的有（　）。（一）", "宪法规定了公民的基本义务。", "多选", duties),
        _row("A,B,D", "2", "下列属于公民基本义务的有（　）。（二）", "宪法规定了公民的基本义务。", "多选题", duties),
        [],  # an empty row: the rows after it keep the numbers Excel shows
        _row("A、B、D", 3, "下列属于公民基本义务的有（　）。（三）", "宪法规定了公民的基本义务。", "多项选择题", duties),
        _row("a b d", "", "下列属于公民基本义务的有（　）。（四）", "宪法规定了公民的基本义务。", "多选", duties),
    ]
    for n, answer in enumerate(TRUE_FALSE_ANSWERS, 1):
        rows.append(_row(answer, "易", f"判断题示例第{n}题：接到陌生来电要求转账时应当先核实。",
                         "这是防范电信网络诈骗的基本要求。", "判断" if n % 2 else "判断题"))
    rows[9][9] = "=1+1"  # a formula cell: imported as the text, never computed
    rows[10][3] = "+86 开头的来电一定来自境外吗？判断题示例。"
    rows[11][4] = "-这一条解析以减号开头，也是文字。"
    book = Workbook()
    sheet = book.active
    sheet.append(SHUFFLED)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def png() -> bytes:
    """A real 8x8 grey PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    pixels = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def pdf() -> bytes:
    """A small PDF with no NUL byte near its start (so only its signature gives it away)."""
    content = b"BT /F1 12 Tf 72 720 Td (quizapp) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    for n, body in enumerate(objects, 1):
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def zip_bomb() -> bytes:
    """A zip named .xlsx whose sheet inflates a thousand times (20 MB from about 20 KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    return out.getvalue()


def zip_not_excel() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("说明.txt", "这是一个普通的压缩包，不是 Excel 文件。")
    return out.getvalue()


XXE_UTF16 = """<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE quiz [
  <!ENTITY secret SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lollollollollollollollollol">
]>
<quiz>
  <question type="truefalse">
    <name><text>&lol;</text></name>
    <questiontext format="html"><text>根据宪法，全国人民代表大会每届任期五年。&secret;</text></questiontext>
    <generalfeedback format="html"><text>宪法第六十条规定，全国人民代表大会每届任期五年。</text></generalfeedback>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"""

GBK_YAML = """topic: 宪法
questions:
  - id: XF-0601
    type: true_false
    stem: 根据宪法，全国人民代表大会每届任期五年。
    answer: true
    explanation: 宪法第六十条规定，全国人民代表大会每届任期五年。
    basis: []
    difficulty: 1
"""

GBK_GIFT = "::判断::根据宪法，全国人民代表大会每届任期五年。{T####宪法第六十条规定，全国人民代表大会每届任期五年。}\n"


def main() -> None:
    utf8 = (GOOD / "questions_utf8.csv").read_bytes()
    files = {
        GOOD / "questions_bom.csv": b"\xef\xbb\xbf" + utf8,
        GOOD / "questions_gbk.csv": utf8.decode("utf-8").encode("gbk"),
        GOOD / "shuffled_spellings.xlsx": shuffled_xlsx(),
        BAD / "corrupt.xlsx": shuffled_xlsx()[:2000],  # cut off half-way: no central directory
        BAD / "zip_not_excel.xlsx": zip_not_excel(),
        BAD / "zip_bomb.xlsx": zip_bomb(),
        BAD / "png_renamed.xlsx": png(),
        BAD / "png_renamed.csv": png(),
        BAD / "pdf_renamed.xlsx": pdf(),
        BAD / "pdf_renamed.csv": pdf(),
        BAD / "empty.csv": b"",
        BAD / "empty.xlsx": b"",
        BAD / "xxe_utf16.xml": XXE_UTF16.encode("utf-16"),
        BAD / "not_utf8.yaml": GBK_YAML.encode("gbk"),
        BAD / "not_utf8.gift": GBK_GIFT.encode("gbk"),
    }
    for path, data in files.items():
        assert len(data) < 50_000, path
        path.write_bytes(data)


if __name__ == "__main__":
    main()
