"""The shipped YAML bank format (question_bank/*.yaml): read into drafts, write from records.

One file per topic: `topic:` and `questions:`, each question with id, type, stem, options,
answer, explanation, basis (law/article/quote, or source), difficulty and tags. The rules a
question must meet are domain.questions'; this module only reads and writes the format, and
refuses files built to exhaust the server (aliases, deep nesting) before expanding them.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent

from ..domain.questions import QuestionDraft, QuestionRecord, parse_answer, parse_tags
from . import ImportProblem, ReadQuestion, ReadResult

TYPES = ("single", "multiple", "true_false")
REQUIRED = ("id", "type", "stem", "answer", "explanation", "basis", "difficulty")
MAX_DEPTH = 12


class SafeBankLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases (a 'billion laughs' file expands them without end)
    and without deep nesting (a question is a few levels deep)."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(None, None, "别名（&/*）不允许使用", event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.constructor.ConstructorError(None, None, "嵌套层数过多", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=SafeBankLoader)  # a SafeLoader without aliases


COLUMNS = {"code": "id", "qtype": "type", "stem": "stem", "options": "options", "answer": "answer",
           "explanation": "explanation", "basis": "basis", "law": "basis", "article": "basis", "quote": "basis",
           "difficulty": "difficulty", "tags": "tags", "topic": "topic"}


def _draft(raw: dict[str, Any], topic: str) -> QuestionDraft:
    qtype = raw.get("type")
    qtype = qtype if qtype in TYPES else None
    options = raw.get("options") or []
    answer = parse_answer(qtype, raw.get("answer")) if qtype else None
    basis = raw.get("basis")
    difficulty = raw.get("difficulty")
    return QuestionDraft(
        topic=topic, qtype=qtype, stem=str(raw.get("stem") or ""),
        options=tuple(str(o) for o in options) if isinstance(options, list) else ("<不是列表>",),
        answer=answer, explanation=str(raw.get("explanation") or ""),
        basis=tuple(b for b in basis if isinstance(b, dict)) if isinstance(basis, list) else (),
        difficulty=difficulty if isinstance(difficulty, int) and not isinstance(difficulty, bool) else None,
        tags=parse_tags(raw.get("tags") or []), code=str(raw["id"]) if raw.get("id") is not None else None)


def _structure_problems(raw: object, name: str, n: int) -> list[ImportProblem]:
    if not isinstance(raw, dict):
        return [ImportProblem(name, n, "", "每道题必须是一个映射（mapping）")]
    found = [ImportProblem(name, n, key, f"缺少字段 {key}") for key in REQUIRED if key not in raw]
    if "type" in raw and raw["type"] not in TYPES:
        found.append(ImportProblem(name, n, "type", f"type 必须是 single、multiple 或 true_false，而不是 {raw['type']!r}"))
    if raw.get("type") == "true_false" and "options" in raw:
        found.append(ImportProblem(name, n, "options", "判断题不设 options"))
    if raw.get("type") == "true_false" and "answer" in raw and not isinstance(raw["answer"], bool):
        found.append(ImportProblem(name, n, "answer", f"判断题的 answer 应为 true 或 false，而不是 {raw['answer']!r}"))
    elif raw.get("type") in ("single", "multiple") and "answer" in raw and parse_answer(raw["type"], raw["answer"]) is None:
        found.append(ImportProblem(name, n, "answer", f"answer {raw['answer']!r} 无法识别，应为选项字母，如 A 或 ABD"))
    basis = raw.get("basis")
    # An empty list is a question without a legal basis (未注明法条, marked by validate): the
    # bank holds such questions, and write_yaml writes them as basis: [].
    if "basis" in raw and (not isinstance(basis, list) or not all(isinstance(b, dict) for b in basis)):
        found.append(ImportProblem(name, n, "basis", "basis（依据）必须是列表，每项是映射"))
    return found


def read_text(name: str, text: str) -> ReadResult:
    """YAML documents of the shipped format (one per topic, separated by --- as write_yaml puts
    several topics) -> drafts, and the problems of the format itself. A question's row is its
    number in the file."""
    result = ReadResult()
    try:
        docs = [doc for doc in yaml.load_all(text, Loader=SafeBankLoader) if doc is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        why = getattr(exc, "problem", "") or ""
        detail = f"：{why}" if why in ("别名（&/*）不允许使用", "嵌套层数过多") else ""
        # The row of a problem is a question's number; a syntax error has only a line of text.
        line = f"（第 {mark.line + 1} 行）" if mark else ""
        result.problems.append(ImportProblem(name, 0, "YAML", f"YAML 格式错误{line}，无法解析{detail}"))
        return result
    except RecursionError:
        result.problems.append(ImportProblem(name, 0, "YAML", "YAML 嵌套层数过多，无法解析"))
        return result
    if not docs:
        result.problems.append(ImportProblem(name, 0, "", "顶层必须包含 topic 和 questions 列表"))
    n = 0
    for doc in docs:
        if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
            result.problems.append(ImportProblem(name, 0, "", "顶层必须包含 topic 和 questions 列表"))
            continue
        topic = doc.get("topic")
        if not isinstance(topic, str) or not topic.strip():
            result.problems.append(ImportProblem(name, 0, "topic", "缺少 topic（专题名称）"))
            n += len(doc["questions"])
            continue
        for raw in doc["questions"]:
            n += 1
            found = _structure_problems(raw, name, n)
            if found:
                result.problems.extend(found)
                continue
            result.questions.append(ReadQuestion(name, n, _draft(raw, topic.strip()), COLUMNS))
    return result


def read_bytes(data: bytes, name: str, topic: str | None = None) -> ReadResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ReadResult(problems=[ImportProblem(name, 0, "", "文件不是 UTF-8 编码")])
    return read_text(name, text)


def read_bank_dir(folder: Path) -> ReadResult:
    """Every *.yaml / *.yml file under `folder` (or a single file)."""
    paths = [folder] if folder.is_file() else sorted(
        p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")
    )
    result = ReadResult()
    if not paths:
        result.problems.append(ImportProblem(str(folder), 0, "", "没有找到 .yaml 题库文件"))
    for path in paths:
        found = read_bytes(path.read_bytes(), path.name)
        result.questions += found.questions
        result.problems += found.problems
    return result


def write_bytes(records: list[QuestionRecord]) -> bytes:
    return write_yaml(records).encode("utf-8")


def write_yaml(records: Sequence[QuestionRecord]) -> str:
    """One document for the records' topics, in the shipped format (several topics: several
    documents, one per topic, separated by ---)."""
    by_topic: dict[str, list[QuestionRecord]] = {}
    for r in records:
        by_topic.setdefault(r.topic, []).append(r)
    docs = []
    for topic, items in by_topic.items():
        questions = []
        for r in items:
            q: dict[str, Any] = {"id": r.code, "type": r.qtype, "stem": r.stem}
            if r.qtype != "true_false":
                q["options"] = list(r.options)
                q["answer"] = r.answer
            else:
                q["answer"] = r.answer == "true"
            q.update(explanation=r.explanation, basis=[dict(b) for b in r.basis], difficulty=r.difficulty)
            if r.tags:
                q["tags"] = list(r.tags)
            questions.append(q)
        docs.append(yaml.safe_dump({"topic": topic, "questions": questions}, allow_unicode=True,
                                   sort_keys=False, width=1000))
    return "---\n".join(docs)
