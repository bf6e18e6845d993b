"""Question banks as spreadsheets (.xlsx, .csv): the columns Chinese trainers use.

题号 (optional), 专题, 题型, 题干, 选项A … 选项F, 答案, 解析, 难度, 知识点/标签, 法律, 条款, 法条原文,
其他依据. Headers are matched by name in any order; 法律/条款/法条原文 are optional (several
citations go one per line in the cell). Rows are numbered as Excel shows them (header = row 1).
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any

from ..domain.columns import clean_header, match_columns
from ..domain.laws import parse_article
from ..domain.questions import (
    LETTERS,
    TYPE_LABELS,
    QuestionDraft,
    QuestionRecord,
    parse_answer,
    parse_difficulty,
    parse_tags,
    parse_type,
)
from . import ImportProblem, ReadQuestion, ReadResult
from .tabular import Table, TableError, read_table, write_xlsx

HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("题号", "编号", "试题编号", "id"),
    "topic": ("专题", "分类", "题库分类", "所属专题"),
    "qtype": ("题型", "题目类型", "类型"),
    "stem": ("题干", "题目", "试题内容", "题目内容"),
    "answer": ("答案", "正确答案", "参考答案", "标准答案"),
    "explanation": ("解析", "答案解析", "试题解析"),
    "difficulty": ("难度", "难易程度", "难易度"),
    "tags": ("知识点/标签", "知识点", "标签"),
    "law": ("法律", "法律依据", "依据法律"),
    "article": ("条款", "条文", "法条序号", "条"),
    "quote": ("法条原文", "原文", "法条内容"),
    "source": ("其他依据", "依据来源"),
}
OPTION = re.compile(r"^(?:选项)?([A-Fa-f])$")
COLUMNS = {"code": "题号", "topic": "专题", "qtype": "题型", "stem": "题干", "options": "选项", "answer": "答案",
           "explanation": "解析", "difficulty": "难度", "tags": "知识点/标签", "law": "法律", "basis": "法律", "article": "条款",
           "quote": "法条原文", "source": "其他依据"}
REQUIRED = ("qtype", "stem", "answer")
WRITE_HEADERS = ["题号", "专题", "题型", "题干", *[f"选项{c}" for c in LETTERS], "答案", "解析", "难度",
                 "知识点/标签", "法律", "条款", "法条原文", "其他依据"]


def match_headers(headers: list[str]) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """(field -> column index, option letter -> column index, problems)."""
    fields, others, problems = match_columns(headers, HEADERS, COLUMNS, (*REQUIRED, "explanation"))
    options = {}
    for index in others:
        if match := OPTION.match(clean_header(headers[index])):
            options[match.group(1).upper()] = index
    return fields, options, problems


def _lines(text: str) -> list[str]:
    """A cell's lines, one citation each: split at line breaks only, the text kept as written
    (a quote may end in "；" as the law's own enumerations do)."""
    return [line.strip() for line in re.split(r"\r\n|\r|\n", text) if line.strip()]


def _names(text: str) -> list[str]:
    """Lines of 法律 or 条款, where a "；" typed at a line's end only separates citations."""
    return [name for line in _lines(text) if (name := line.rstrip("；;").strip())]


def _basis(cells: dict[str, str], file: str, row: int, problems: list[ImportProblem]) -> tuple[dict[str, Any], ...]:
    laws, articles, quotes = _names(cells.get("law", "")), _names(cells.get("article", "")), _lines(cells.get("quote", ""))
    basis: list[dict[str, Any]] = []
    if laws or articles or quotes:
        if not (len(laws) == len(articles) == len(quotes)):
            problems.append(ImportProblem(file, row, "条款", "法律、条款、法条原文的条数不一致（多条依据请每行写一条）"))
            return ()
        for law, article_text, quote in zip(laws, articles, quotes, strict=True):
            article = parse_article(article_text)
            if article is None:
                problems.append(ImportProblem(file, row, "条款", f"条款“{article_text}”无法识别，请写成“第十七条”或“17”"))
                continue
            basis.append({"law": law, "article": article, "quote": quote})
    for source in _lines(cells.get("source", "")):
        basis.append({"source": source})
    return tuple(basis)


def read_table_questions(table: Table, file: str, topic: str | None) -> ReadResult:
    result = ReadResult()
    fields, options, header_problems = match_headers(table.headers)
    if not fields:  # data in row 1 (no header at all): one message, not a 缺少 for every column
        result.problems.append(ImportProblem(file, 1, "表头", "第 1 行应为列名（题型、题干、答案、解析等），"
                                                             "但没有找到任何可识别的列名"))
        return result
    if "topic" not in fields and not topic:
        header_problems.append("文件没有“专题”列，请选择导入到哪个专题（命令行用 --topic）")
    if header_problems:
        result.problems += [ImportProblem(file, 1, "表头", m) for m in header_problems]
        return result
    letters = sorted(options)
    for row, cells in table.rows:
        text = {name: (cells[i] if i < len(cells) else "").strip() for name, i in fields.items()}
        choices = [cells[options[c]].strip() if options[c] < len(cells) else "" for c in letters]
        while choices and not choices[-1]:  # trailing empty option columns
            choices.pop()
        qtype = parse_type(text.get("qtype"))
        if qtype is None:
            result.problems.append(ImportProblem(file, row, "题型", f"题型“{text.get('qtype', '')}”无法识别，应为单选、多选或判断"))
            continue
        answer = parse_answer(qtype, text.get("answer"))
        if answer is None:
            result.problems.append(ImportProblem(file, row, "答案", f"答案“{text.get('answer', '')}”无法识别"
                                                 + ("，判断题请填 对/错、正确/错误、√/×" if qtype == "true_false" else "，请填选项字母，如 A 或 ABD")))
            continue
        difficulty = parse_difficulty(text.get("difficulty") or "2")
        found: list[ImportProblem] = []
        basis = _basis(text, file, row, found)
        if found:
            result.problems += found
            continue
        draft = QuestionDraft(
            topic=text.get("topic") or topic or "", qtype=qtype, stem=text.get("stem", ""),
            # A 判断 row's filled option cells go on to validate (判断题不设选项): dropping them
            # silently would hide a 单选 question typed as 判断.
            options=tuple(choices), answer=answer,
            explanation=text.get("explanation", ""), basis=basis, difficulty=difficulty,
            tags=parse_tags(text.get("tags", "")), code=text.get("code", "").upper() or None)
        result.questions.append(ReadQuestion(file, row, draft, COLUMNS))
    return result


def read_xlsx(data: bytes, file: str, topic: str | None = None) -> ReadResult:
    return _read(data, file if file.lower().endswith(".xlsx") else f"{file}.xlsx", topic, file)


def read_csv(data: bytes, file: str, topic: str | None = None) -> ReadResult:
    return _read(data, file if file.lower().endswith(".csv") else f"{file}.csv", topic, file, unquote=True)


def unneutralise(cell: str) -> str:
    """A CSV cell as it was before export put a ' before = + - @ (so Excel would not run it)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def _read(data: bytes, as_name: str, topic: str | None, file: str, unquote: bool = False) -> ReadResult:
    try:
        table = read_table(data, as_name)
    except TableError as exc:
        return ReadResult(problems=[ImportProblem(file, 0, "", str(exc))])
    if unquote:
        table = Table(table.headers, [(n, [unneutralise(c) for c in cells]) for n, cells in table.rows])
    return read_table_questions(table, file, topic)


# ---- writing --------------------------------------------------------------------------------

def rows_of(records: list[QuestionRecord]) -> list[list[object]]:
    rows: list[list[object]] = [list(WRITE_HEADERS)]
    for r in records:
        options = list(r.options) + [""] * (len(LETTERS) - len(r.options))
        answer = {"true": "正确", "false": "错误"}.get(r.answer, r.answer)
        laws = [b for b in r.basis if "law" in b]
        rows.append([
            r.code or "", r.topic, TYPE_LABELS[r.qtype], r.stem, *options, answer, r.explanation, r.difficulty,
            "、".join(r.tags), "\n".join(b["law"] for b in laws), "\n".join(str(b["article"]) for b in laws),
            "\n".join(b["quote"] for b in laws), "\n".join(b["source"] for b in r.basis if "source" in b)])
    return rows


def write_xlsx_bank(records: list[QuestionRecord]) -> bytes:
    return write_xlsx({"题库": rows_of(records)}, {"题库": [10, 12, 8, 50, 20, 20, 20, 20, 20, 20, 8, 40, 6, 16]})


def write_csv_bank(records: list[QuestionRecord]) -> bytes:
    from .report_files import csv_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = rows_of(records)
    writer.writerow(rows[0])
    writer.writerows([csv_cell(v) for v in row] for row in rows[1:])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The import template: the columns, three examples, and a sheet that explains each column."""
    examples = [
        QuestionRecord("宪法", "single", "根据宪法，中华人民共和国的根本制度是（　）。",
                       ("社会主义制度", "人民代表大会制度", "民族区域自治制度", "基层群众自治制度"), "A",
                       "宪法第一条第二款规定，社会主义制度是中华人民共和国的根本制度。",
                       ({"law": "宪法", "article": 1, "quote": "社会主义制度是中华人民共和国的根本制度"},), 1, ("总纲",)),
        QuestionRecord("宪法", "multiple", "根据宪法，下列属于公民基本义务的有（　）。",
                       ("依照法律纳税", "维护国家统一和全国各民族团结", "参加宗教活动"), "AB",
                       "宪法第五十六条规定公民有依照法律纳税的义务；第五十二条规定公民有维护国家统一和全国各民族团结的义务。",
                       ({"law": "宪法", "article": 56, "quote": "中华人民共和国公民有依照法律纳税的义务"},
                        {"law": "宪法", "article": 52, "quote": "中华人民共和国公民有维护国家统一和全国各民族团结的义务"}), 2, ()),
        QuestionRecord("反电信网络诈骗", "true_false", "接到自称“公检法”要求把钱转入“安全账户”的电话，应当立即照做。",
                       (), "false", "公检法机关不会要求群众把钱转入所谓“安全账户”，这是典型的诈骗手法。", (), 1, ("防范",)),
    ]
    notes: list[list[object]] = [
        ["列名", "是否必填", "说明"],
        ["题号", "选填", "已有题目的题号（如 XF-0001）：导入时更新该题（生成新版本）；不填则新增，系统自动编号"],
        ["专题", "选填", "不填时导入到导入页面选择的专题"],
        ["题型", "必填", "单选 / 单选题 / 单项选择题、多选 / 多选题 / 多项选择题、判断 / 判断题"],
        ["题干", "必填", "至少 6 个字"],
        ["选项A … 选项F", "选择题必填", "2 到 6 个选项；判断题不填"],
        ["答案", "必填", "单选填一个字母；多选可写 ABD、A,B,D、A、B、D；判断填 对/错、正确/错误、√/×、是/否、T/F"],
        ["解析", "必填", "说明为什么，不要写“选B”（考试时选项顺序会打乱）"],
        ["难度", "选填", "易 / 中 / 难，或 1 / 2 / 3；不填为“中”"],
        ["知识点/标签", "选填", "多个用顿号或逗号分开"],
        ["法律、条款、法条原文", "选填", "如 宪法、第一条（或 1）、逐字摘录的原文；多条依据每行写一条。"
         "原文会与系统内置的法律文本逐字核对，找不到的题目标为“待核对”；不填的题目标为“未注明法条”"],
        ["其他依据", "选填", "不是法条的依据，如发布机关和文件名"],
        [],
        ["第 1 行必须是列名，列的顺序可以调整。导入前会先预览，确认后才写入；有任何一处错误则整批不导入。"],
    ]
    return write_xlsx({"题库": rows_of(examples), "填写说明": notes},
                      {"题库": [10, 12, 8, 50, 20, 20, 20, 20, 20, 20, 8, 40, 6, 16], "填写说明": [20, 20, 90]})
