"""The shipped YAML bank format (shared BANK_FORMAT.md): read and validate, all problems listed.

This checks the schema the format promises (fields, types, answers against options, unique ids
and stems). Checking quotes against the official law texts is the job of check_bank.py.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import RowProblem

TYPES = ("single", "multiple", "true_false")
LAWS = ("宪法", "民法典", "反电信网络诈骗法", "国家安全法", "禁毒法", "消费者权益保护法",
        "行政处罚法", "行政复议法", "行政诉讼法", "行政许可法", "人民调解法", "法律援助法",
        "农村土地承包法", "村民委员会组织法")
LETTERS = "ABCDEF"
REQUIRED = ("id", "type", "stem", "answer", "explanation", "basis", "difficulty")
_STEM_NOISE = re.compile(r"[\s（）()。，,.、_＿]+")
_ID = re.compile(r"^[A-Z]{2,6}-\d{3,6}$")


@dataclass(frozen=True)
class BankQuestion:
    code: str
    topic: str
    qtype: str
    stem: str
    options: list[str]
    answer: str  # letters, or "true"/"false"
    explanation: str
    basis: list[dict[str, Any]]
    difficulty: int
    tags: list[str] = field(default_factory=list)

    def content(self) -> dict[str, Any]:
        """What makes a version: any change here is a new version on re-import."""
        return {
            "topic": self.topic, "qtype": self.qtype, "stem": self.stem, "options": self.options,
            "answer": self.answer, "explanation": self.explanation, "basis": self.basis,
            "difficulty": self.difficulty, "tags": self.tags,
        }


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_basis(basis: object, err: Any) -> None:
    if not isinstance(basis, list) or not basis:
        err("basis（依据）必须是非空列表")
        return
    for cite in basis:
        if not isinstance(cite, dict):
            err("basis 的每一项必须是映射")
        elif "law" not in cite:
            if not isinstance(cite.get("source"), str) or not cite["source"].strip():
                err("basis 项须有 law/article/quote，或有 source（发布机关及文件名）")
        elif cite["law"] not in LAWS:
            err(f"未知的法律“{cite['law']}”")
        elif not (isinstance(cite.get("article"), int) or cite.get("article") == "序言"):
            err("article 必须是条文序号（整数）或“序言”")
        elif not isinstance(cite.get("quote"), str) or len(_squash(cite["quote"])) < 6:
            err("quote 必须是条文原文摘录，至少 6 个字")


def parse_question(raw: object, topic: str, where: str) -> tuple[BankQuestion | None, list[RowProblem]]:
    """One question mapping -> BankQuestion, or the problems that keep it out."""
    problems: list[RowProblem] = []

    def err(message: str) -> None:
        problems.append(RowProblem(where, message))

    if not isinstance(raw, dict):
        err("每道题必须是一个映射（mapping）")
        return None, problems
    for key in REQUIRED:
        if key not in raw:
            err(f"缺少字段 {key}")
    if problems:
        return None, problems
    qtype = raw["type"]
    if qtype not in TYPES:
        err(f"type 必须是 single、multiple 或 true_false，而不是 {qtype!r}")
        return None, problems
    if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
        err(f"id {raw['id']!r} 格式应为“前缀-编号”，如 XF-0001")
    for key in ("stem", "explanation"):
        if not isinstance(raw[key], str) or len(raw[key].strip()) < 6:
            err(f"{key} 必须是完整的句子")
    if raw["difficulty"] not in (1, 2, 3) or isinstance(raw["difficulty"], bool):
        err("difficulty 必须是 1、2 或 3")
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        err("tags 必须是文字列表")
    answer = raw["answer"]
    options: list[str] = []
    if qtype == "true_false":
        if "options" in raw:
            err("判断题不设 options")
        if not isinstance(answer, bool):
            err("判断题的 answer 必须是 true 或 false")
        answer_text = "true" if answer is True else "false"
    else:
        options = raw.get("options")  # type: ignore[assignment]
        if not isinstance(options, list) or not 2 <= len(options) <= 6:
            err("单选、多选题需要 2 到 6 个选项")
            return None, problems
        if not all(isinstance(o, (str, int, float)) and str(o).strip() for o in options):
            err("选项不能为空")
        options = [str(o).strip() for o in options]
        if len({_squash(o) for o in options}) != len(options):
            err("有两个选项相同")
        allowed = LETTERS[: len(options)]
        answer_text = answer if isinstance(answer, str) else ""
        if not answer_text or any(c not in allowed for c in answer_text):
            err(f"answer {answer!r} 必须是 {allowed} 中的字母")
        elif qtype == "single" and len(answer_text) != 1:
            err("单选题只能有一个答案字母")
        elif qtype == "multiple" and (len(answer_text) < 2 or len(set(answer_text)) != len(answer_text)):
            err("多选题需要两个或以上互不相同的答案字母")
        answer_text = "".join(sorted(answer_text))
    _check_basis(raw["basis"], err)
    if problems:
        return None, problems
    return (
        BankQuestion(
            code=raw["id"], topic=topic, qtype=qtype, stem=raw["stem"].strip(), options=options,
            answer=answer_text, explanation=raw["explanation"].strip(), basis=raw["basis"],
            difficulty=raw["difficulty"], tags=list(tags),
        ),
        [],
    )


def read_documents(docs: Iterable[tuple[str, str]]) -> tuple[list[BankQuestion], list[RowProblem]]:
    """(name, YAML text) pairs -> questions and every problem across all of them."""
    questions: list[BankQuestion] = []
    problems: list[RowProblem] = []
    seen_ids: dict[str, str] = {}
    seen_stems: dict[str, str] = {}
    for name, text in docs:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f"第 {mark.line + 1} 行" if mark else "文件"
            problems.append(RowProblem(f"{name} {line}", "YAML 格式错误，无法解析"))
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
            problems.append(RowProblem(name, "顶层必须包含 topic 和 questions 列表"))
            continue
        topic = doc.get("topic")
        if not isinstance(topic, str) or not topic.strip():
            problems.append(RowProblem(name, "缺少 topic（专题名称）"))
            continue
        for n, raw in enumerate(doc["questions"], 1):
            qid = raw.get("id", "?") if isinstance(raw, dict) else "?"
            where = f"{name} 第 {n} 题（{qid}）"
            question, found = parse_question(raw, topic.strip(), where)
            problems.extend(found)
            if question is None:
                continue
            if question.code in seen_ids:
                problems.append(RowProblem(where, f"id 与 {seen_ids[question.code]} 重复"))
            seen_ids[question.code] = where
            stem_key = _STEM_NOISE.sub("", question.stem)
            if stem_key in seen_stems:
                problems.append(RowProblem(where, f"题干与 {seen_stems[stem_key]} 相同"))
            seen_stems[stem_key] = where
            questions.append(question)
    return questions, problems


def read_bank_dir(folder: Path) -> tuple[list[BankQuestion], list[RowProblem]]:
    """Every *.yaml / *.yml file under `folder` (or a single file)."""
    paths = [folder] if folder.is_file() else sorted(
        p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")
    )
    if not paths:
        return [], [RowProblem(str(folder), "没有找到 .yaml 题库文件")]
    docs = []
    problems: list[RowProblem] = []
    for path in paths:
        try:
            docs.append((path.name, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            problems.append(RowProblem(path.name, "文件不是 UTF-8 编码"))
    questions, found = read_documents(docs)
    return questions, problems + found
