"""Moodle XML: multichoice (single or multiple) and truefalse questions; categories become
topics, general feedback the explanation, Moodle tags the tags.

Difficulty and the legal basis, which Moodle has no field for, travel in an XML comment inside
the question (Moodle ignores it), so an export imports back whole. Other question types are
listed as skipped. A file that declares a DOCTYPE or entities is refused before parsing.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import escape as html_escape
from html import unescape as html_unescape
from typing import Any

from ..domain.questions import LETTERS, QuestionDraft, QuestionRecord, parse_difficulty
from . import META_COLUMN, ImportProblem, ReadQuestion, ReadResult, parse_fraction, parse_meta

COLUMNS = {"stem": "questiontext", "options": "answer", "answer": "answer", "explanation": "generalfeedback",
           "topic": "category", "qtype": "type", "law": "依据", "basis": "依据", "article": "依据", "quote": "依据",
           "difficulty": "难度", "tags": "tags", "code": "name"}
META = "quizapp:"
META_LABEL = "“quizapp:” 注释"
_TAGS = re.compile(r"<[^>]+>")
REFUSED = "不接受带 DOCTYPE 或实体声明的 XML 文件"
# The skipped list is shown to trainers: Moodle's type names in Chinese (an unknown one as is).
KIND_LABELS = {"essay": "论述题", "matching": "匹配题", "randomsamatch": "匹配题", "shortanswer": "简答题",
               "numerical": "数值题", "cloze": "完形填空题", "multianswer": "完形填空题", "description": "说明文字",
               "calculated": "计算题", "calculatedsimple": "计算题", "calculatedmulti": "计算题",
               "ddwtos": "拖放填空题", "gapselect": "选词填空题", "ordering": "排序题"}


class _DoctypeRefused(Exception):
    pass


class _Builder(ET.TreeBuilder):
    """Stops the parser at any DOCTYPE, before its entities are declared. The byte check in
    read_moodle_xml misses a file in another encoding (UTF-16 spells <!DOCTYPE with NUL bytes
    between the letters), whose internal entities expat would otherwise expand."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _DoctypeRefused


def _text(element: ET.Element | None) -> str:
    """The text of an element's <text>, HTML taken off (Moodle stores HTML)."""
    if element is None:
        return ""
    node = element.find("text")
    raw = (node.text if node is not None else element.text) or ""
    return html_unescape(_TAGS.sub("", raw.replace("<br>", "\n").replace("<br />", "\n"))).strip()


def read_moodle_xml(data: bytes, file: str, topic: str | None = None) -> ReadResult:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return ReadResult(problems=[ImportProblem(file, 0, "", REFUSED)])
    try:
        root = ET.fromstring(data, parser=ET.XMLParser(target=_Builder(insert_comments=True)))
    except _DoctypeRefused:
        return ReadResult(problems=[ImportProblem(file, 0, "", REFUSED)])
    except ET.ParseError as exc:
        return ReadResult(problems=[ImportProblem(file, 0, "", f"XML 格式错误（第 {exc.position[0]} 行），无法解析")])
    if root.tag != "quiz":
        return ReadResult(problems=[ImportProblem(file, 0, "", "不是 Moodle XML 题库（根元素应为 <quiz>）")])
    result = ReadResult()
    category = topic or ""
    number = 0
    for question in root.findall("question"):
        kind = question.get("type", "")
        if kind == "category":
            path = _text(question.find("category"))
            category = path.split("/")[-1] or category
            continue
        number += 1
        name = _text(question.find("name")) or f"第 {number} 题"
        if kind not in ("multichoice", "truefalse"):
            result.skipped.append(f"{name}（{KIND_LABELS.get(kind, kind or '未注明题型')}）")
            continue
        problems: list[tuple[str, str]] = []
        meta: dict[str, Any] = {}
        for node in question.iter():
            tag: object = node.tag  # a comment's tag is the function ET.Comment, not a str
            if tag is ET.Comment and (node.text or "").strip().startswith(META):
                meta, found = parse_meta((node.text or "").strip()[len(META):], META_LABEL)
                problems += [(META_COLUMN, m) for m in found]
        answers = []
        for i, a in enumerate(question.findall("answer"), 1):
            raw = (a.get("fraction") or "0").strip()
            fraction = parse_fraction(raw)
            if fraction is None:
                problems.append(("answer", f"第 {i} 个 answer 的 fraction 应为 -100 到 100 之间的数，而不是“{raw[:20]}”"))
            answers.append((fraction or 0.0, _text(a)))
        single_text = (question.findtext("single") or "true").strip().lower()
        if kind == "multichoice" and single_text not in ("true", "false", "1", "0"):
            problems.append(("single", f"single 应为 true 或 false，而不是“{single_text[:20]}”"))
        if problems:
            result.problems += [ImportProblem(file, number, column, m) for column, m in problems]
            continue
        stem, explanation = _text(question.find("questiontext")), _text(question.find("generalfeedback"))
        tags = tuple(_text(t) for t in question.findall("tags/tag"))
        code = meta.get("code") or name
        code = code.upper() if re.match(r"^[A-Za-z]{2,6}-\d{3,6}$", code or "") else None
        basis, difficulty = tuple(meta.get("basis") or ()), parse_difficulty(meta.get("difficulty", 2))
        if kind == "truefalse":
            right = next((t.lower() for f, t in answers if f > 0), "")
            answer = {"true": "true", "false": "false"}.get(right)
            draft = QuestionDraft(category, "true_false", stem, (), answer, explanation, basis, difficulty, tags, code)
        else:
            single = single_text in ("true", "1")
            right = "".join(LETTERS[i] for i, (f, _) in enumerate(answers) if f > 0 and i < len(LETTERS))
            draft = QuestionDraft(category, "single" if single else "multiple", stem, tuple(t for _, t in answers),
                                  right or None, explanation, basis, difficulty, tags, code)
        result.questions.append(ReadQuestion(file, number, draft, COLUMNS))
    if number == 0 and not result.skipped:
        result.problems.append(ImportProblem(file, 0, "", "文件中没有题目"))
    return result


def _add_text(parent: ET.Element, tag: str, text: str, html: bool = True) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    # Text in an html field is HTML: "<", ">" and "&" escaped (Moodle would show "<某某>" as a
    # tag, and the reader drops tags), line breaks as <br>.
    ET.SubElement(element, "text").text = html_escape(text, quote=False).replace("\n", "<br>") if html else text
    return element


def write_moodle_xml(records: list[QuestionRecord]) -> bytes:
    quiz = ET.Element("quiz")
    topic = None
    for r in records:
        if r.topic != topic:
            topic = r.topic
            category = ET.SubElement(quiz, "question", {"type": "category"})
            _add_text(category, "category", f"$course$/top/{topic}", html=False)
        kind = "truefalse" if r.qtype == "true_false" else "multichoice"
        question = ET.SubElement(quiz, "question", {"type": kind})
        meta = {"code": r.code, "difficulty": r.difficulty, "basis": [dict(b) for b in r.basis]}
        # "--" may not stand in an XML comment (a quote or source holding it made the file
        # unreadable): JSON spells the second hyphen \u002d.
        meta_json = json.dumps(meta, ensure_ascii=False).replace("--", "-\\u002d")
        question.append(ET.Comment(f" {META}{meta_json} "))
        _add_text(question, "name", r.code or r.stem[:30], html=False)
        _add_text(question, "questiontext", r.stem)
        _add_text(question, "generalfeedback", r.explanation)
        ET.SubElement(question, "defaultgrade").text = "1"
        if r.qtype == "true_false":
            for value in ("true", "false"):
                answer = ET.SubElement(question, "answer", {"fraction": "100" if r.answer == value else "0"})
                ET.SubElement(answer, "text").text = value
        else:
            ET.SubElement(question, "single").text = "true" if r.qtype == "single" else "false"
            ET.SubElement(question, "shuffleanswers").text = "true"
            ET.SubElement(question, "answernumbering").text = "ABCD"
            share = 100 / len(r.answer)
            for i, option in enumerate(r.options):
                right = LETTERS[i] in r.answer
                fraction = (f"{share:.5f}".rstrip("0").rstrip(".") if r.qtype == "multiple" else "100") if right else "0"
                answer = _add_text(question, "answer", option)
                answer.set("fraction", fraction)
        if r.tags:
            tags = ET.SubElement(question, "tags")
            for tag in r.tags:
                ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    ET.indent(quiz)
    body: bytes = ET.tostring(quiz, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
