"""GIFT, Moodle's plain-text question format: single (= and ~), multiple (~%50% weights) and
true/false ({T}/{F}) questions; general feedback (####) is the explanation, $CATEGORY the topic.

What GIFT cannot say (difficulty, tags, the legal basis) travels in a `// quizapp:` comment
before the question, which Moodle ignores; so an export imports back whole. Other question
types (short answer, numerical, matching, essay, missing word) are listed as skipped.
"""
from __future__ import annotations

import json
import re
from html import unescape as html_unescape
from typing import Any

from ..domain.questions import LETTERS, QuestionDraft, QuestionRecord, parse_difficulty, parse_tags
from . import META_COLUMN, ImportProblem, ReadQuestion, ReadResult, parse_meta

SPECIAL = "~=#{}:"
COLUMNS = {"stem": "题干", "options": "选项", "answer": "答案", "explanation": "解析", "topic": "分类",
           "qtype": "题型", "law": "依据", "basis": "依据", "article": "依据", "quote": "依据", "difficulty": "难度", "tags": "标签",
           "code": "题目名称"}
META = "// quizapp:"
META_LABEL = "“// quizapp:” 注释"
_TAGS = re.compile(r"<[^>]+>")


def escape(text: str) -> str:
    # The backslash is escaped too: unescape reads "\\x" as "x", so a bare one was lost.
    return "".join("\\" + c if c in SPECIAL + "\\" else c for c in text).replace("\n", "\\n")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text).strip()


def _plain(text: str) -> str:
    return html_unescape(_TAGS.sub("", re.sub(r"<br\s*/?>", "\n", text))).strip()


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split at unescaped characters of `marks`: [(mark, following text), …]."""
    parts: list[tuple[str, str]] = []
    mark, current, i = "", [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if c in marks:
            parts.append((mark, "".join(current)))
            mark, current = c, []
        else:
            current.append(c)
        i += 1
    parts.append((mark, "".join(current)))
    return parts


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def read_gift(data: bytes, file: str, topic: str | None = None) -> ReadResult:
    result = ReadResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ReadResult(problems=[ImportProblem(file, 0, "", "GIFT 文件须为 UTF-8 编码")])
    category = topic or ""
    meta = ""  # the JSON of the last // quizapp: comment, read with the question it stands before
    number = 0
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = []
        for line in block.split("\n"):
            stripped = line.strip()
            if stripped.startswith(META):
                meta = stripped[len(META):]
            elif stripped.startswith("$CATEGORY:"):
                category = stripped.split(":", 1)[1].strip().split("/")[-1]
            elif not stripped.startswith("//"):
                lines.append(line)
        body = "\n".join(lines).strip()
        if not body:
            continue
        number += 1
        fields, problems = parse_meta(meta, META_LABEL) if meta else ({}, [])
        meta = ""
        if problems:
            result.problems += [ImportProblem(file, number, META_COLUMN, m) for m in problems]
            continue
        found = _question(body, file, number, category, fields, result)
        if found is not None:
            result.questions.append(found)
    if number == 0:
        result.problems.append(ImportProblem(file, 0, "", "文件中没有 GIFT 格式的题目"))
    return result


def _question(body: str, file: str, number: int, topic: str, meta: dict[str, Any],
              result: ReadResult) -> ReadQuestion | None:
    title = ""
    if body.startswith("::"):
        end = _find_unescaped(body, ":", 2)
        while end != -1 and body[end:end + 2] != "::":
            end = _find_unescaped(body, ":", end + 1)
        if end == -1:
            result.problems.append(ImportProblem(file, number, "题目名称", "题目名称缺少结尾的 ::"))
            return None
        title, body = unescape(body[2:end]), body[end + 2:]
    open_at = _find_unescaped(body, "{")
    close_at = _find_unescaped(body, "}", open_at + 1) if open_at != -1 else -1
    name = title or f"第 {number} 题"
    if open_at == -1 or close_at == -1:
        result.problems.append(ImportProblem(file, number, "答案", "找不到 {…} 答案部分"))
        return None
    marker = re.match(r"^\[(html|plain|markdown|moodle)\]", body[:open_at].strip())
    # Moodle's own GIFT export marks HTML text [html] and writes <p>…</p> around the stem, the
    # answers and the feedback: the bank holds plain text.
    plain = _plain if marker and marker.group(1) == "html" else str
    stem = plain(unescape(body[:open_at].strip()[marker.end() if marker else 0:]))
    answers = body[open_at + 1:close_at]
    if body[close_at + 1:].strip():
        result.skipped.append(f"{name}（填空题）")
        return None
    explanation = ""
    feedback_at = answers.find("####")
    if feedback_at != -1:
        answers, explanation = answers[:feedback_at], plain(unescape(answers[feedback_at + 4:]))
    block = answers.strip()
    code = (meta.get("code") or title or None)
    code = code.upper() if code and re.match(r"^[A-Za-z]{2,6}-\d{3,6}$", code) else None
    basis = tuple(meta.get("basis") or ())
    difficulty = parse_difficulty(meta.get("difficulty", 2))
    tags = parse_tags(meta.get("tags") or [])
    # {TRUE#feedback if wrong#feedback if right}: the truth value stands before the first #.
    truth = unescape(_split_unescaped(block, "#")[0][1]).upper()
    if truth in ("T", "TRUE", "F", "FALSE"):
        draft = QuestionDraft(topic, "true_false", stem, (), "true" if truth.startswith("T") else "false",
                              explanation, basis, difficulty, tags, code)
        return ReadQuestion(file, number, draft, COLUMNS)
    if not block or "->" in block or block.startswith("#"):
        # {} is GIFT's essay (论述题, as the Moodle XML reader names it); {=…} without ~ is short answer.
        kind = "论述题" if not block else ("匹配题" if "->" in block else "数值题")
        result.skipped.append(f"{name}（{kind}）")
        return None
    options, right, weighted = [], [], False
    for mark, text in _split_unescaped(block, "=~"):
        if not mark:
            continue
        weight = re.match(r"^%(-?\d+(?:\.\d+)?)%", text)
        if weight:
            if not -100 <= float(weight.group(1)) <= 100:
                result.problems.append(ImportProblem(file, number, "答案", f"选项的分值 %{weight.group(1)}% "
                                                                           "应在 -100 到 100 之间"))
                return None
            weighted = True
            text = text[weight.end():]
        answer_text = plain(unescape(_split_unescaped(text, "#")[0][1]))
        options.append(answer_text)
        if mark == "=" or (weight and float(weight.group(1)) > 0):
            right.append(LETTERS[len(options) - 1] if len(options) <= len(LETTERS) else "?")
    if not any(mark == "~" for mark, _ in _split_unescaped(block, "=~")):
        result.skipped.append(f"{name}（简答题）")
        return None
    qtype = "multiple" if weighted and len(right) > 1 else "single"
    draft = QuestionDraft(topic, qtype, stem, tuple(options), "".join(right) or None, explanation, basis,
                          difficulty, tags, code)
    return ReadQuestion(file, number, draft, COLUMNS)


def write_gift(records: list[QuestionRecord]) -> bytes:
    out: list[str] = []
    topic = None
    for r in records:
        if r.topic != topic:
            topic = r.topic
            out.append(f"$CATEGORY: $course$/top/{topic}\n")
        meta = {"code": r.code, "difficulty": r.difficulty, "tags": list(r.tags), "basis": [dict(b) for b in r.basis]}
        out.append(f"{META} {json.dumps(meta, ensure_ascii=False)}")
        head = f"::{escape(r.code or '')}::{escape(r.stem)}"
        feedback = f"####{escape(r.explanation)}"
        if r.qtype == "true_false":
            out.append(f"{head} {{{'TRUE' if r.answer == 'true' else 'FALSE'}{feedback}}}\n")
            continue
        share = 100 / len(r.answer)
        answers = []
        for i, option in enumerate(r.options):
            right = LETTERS[i] in r.answer
            if r.qtype == "single":
                answers.append(("=" if right else "~") + escape(option))
            else:
                weight = f"{share:.5f}".rstrip("0").rstrip(".") if right else "-100"
                answers.append(f"~%{weight}%{escape(option)}")
        out.append(head + " {\n" + "\n".join(answers) + f"\n{feedback}\n}}\n")
    return "\n".join(out).encode("utf-8")
