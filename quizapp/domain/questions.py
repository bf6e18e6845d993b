"""One set of rules for a question, wherever it comes from: the editor, a YAML file, a
spreadsheet, GIFT or Moodle XML. Readers turn what they read into a `QuestionDraft` (spellings
trainers use already understood); `validate` says what is wrong with it, field by field, and
what deserves a second look (a quote not found in the law's text, no legal basis at all).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, cast

from .laws import LAWS, PREAMBLE, article_problem, quote_problem, squash

TYPES = ("single", "multiple", "true_false")
TYPE_LABELS = {"single": "单选题", "multiple": "多选题", "true_false": "判断题"}
LETTERS = "ABCDEF"
FIELD_LABELS = {"code": "题号", "topic": "专题", "qtype": "题型", "stem": "题干", "options": "选项",
                "answer": "答案", "explanation": "解析", "difficulty": "难度", "tags": "知识点/标签",
                "law": "法律", "article": "条款", "quote": "法条原文", "source": "依据", "basis": "依据"}
CODE = re.compile(r"^[A-Z]{2,6}-\d{3,6}$")
MAX_TOPIC, MAX_STEM, MAX_OPTION, MAX_EXPLANATION, MAX_TAG = 64, 2000, 500, 4000, 32
# Citations of one question (laws and other sources). The shipped bank cites at most 6; 20 law
# citations of the longest names fill under 300 of the 1,000 characters models' citations holds.
MAX_BASIS = 20

TYPE_SPELLINGS = {
    "single": ("single", "单选", "单选题", "单项选择", "单项选择题"),
    "multiple": ("multiple", "多选", "多选题", "多项选择", "多项选择题"),
    "true_false": ("true_false", "判断", "判断题", "是非题", "对错题"),
}
TRUE_SPELLINGS = ("true", "对", "正确", "√", "✓", "是", "t", "y", "yes")
FALSE_SPELLINGS = ("false", "错", "错误", "×", "✗", "否", "f", "n", "no")
DIFFICULTY_SPELLINGS = {"1": 1, "易": 1, "容易": 1, "简单": 1, "2": 2, "中": 2, "中等": 2, "一般": 2,
                        "3": 3, "难": 3, "困难": 3, "较难": 3}


def parse_type(text: object) -> str | None:
    value = str(text or "").strip().lower()
    return next((t for t, names in TYPE_SPELLINGS.items() if value in names), None)


def parse_answer(qtype: str, text: object) -> str | None:
    """Letters (ABD, A,B,D, A、B、D, a b d) or a truth value (对/错/√/×/T/F…), normalised; None if unreadable."""
    if qtype == "true_false":
        if isinstance(text, bool):
            return "true" if text else "false"
        value = str(text or "").strip().lower()
        if value in TRUE_SPELLINGS:
            return "true"
        if value in FALSE_SPELLINGS:
            return "false"
        return None
    letters = re.sub(r"[\s,，、;；/]+", "", str(text or "")).upper()
    if not letters or any(c not in LETTERS for c in letters):
        return None
    return "".join(sorted(letters))


def parse_difficulty(text: object) -> int | None:
    if isinstance(text, int) and not isinstance(text, bool):
        return text if text in (1, 2, 3) else None
    return DIFFICULTY_SPELLINGS.get(str(text or "").strip())


def parse_tags(text: object) -> tuple[str, ...]:
    if isinstance(text, (list, tuple)):
        return tuple(str(t).strip() for t in text if str(t).strip())
    return tuple(t for t in re.split(r"[,，、;；|\s]+", str(text or "")) if t)


@dataclass(frozen=True)
class QuestionDraft:
    """What a reader or the editor found, not yet checked."""

    topic: str
    qtype: str | None
    stem: str
    options: tuple[str, ...]
    answer: str | None
    explanation: str
    basis: tuple[dict[str, Any], ...]
    difficulty: int | None
    tags: tuple[str, ...] = ()
    code: str | None = None  # None: a new question, its code given when it is saved


@dataclass(frozen=True)
class QuestionRecord:
    """A question that passed every rule: what a version stores."""

    topic: str
    qtype: str
    stem: str
    options: tuple[str, ...]
    answer: str
    explanation: str
    basis: tuple[dict[str, Any], ...]
    difficulty: int
    tags: tuple[str, ...]
    code: str | None = None

    def content(self) -> dict[str, Any]:
        """What makes a version: any change here is a new version. The topic is not in it: it
        files the question, and moving a question leaves what cadres saw as it was."""
        return {"qtype": self.qtype, "stem": self.stem, "options": list(self.options),
                "answer": self.answer, "explanation": self.explanation, "basis": [dict(b) for b in self.basis],
                "difficulty": self.difficulty, "tags": list(self.tags)}

    def digest(self) -> str:
        return content_digest(self.content())


def content_digest(content: dict[str, Any]) -> str:
    """A version's fingerprint: equal content, equal digest, whatever the key order."""
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class Checked:
    record: QuestionRecord | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message): keeps it out
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (field, message): in, marked for review


def _text_problem(value: str, limit: int, label: str) -> str | None:
    if "\x00" in value:
        return f"{label}含有无法保存的空字符（\\0）"
    if len(value) > limit:
        return f"{label}不超过 {limit} 字（现有 {len(value)} 字）"
    return None


def plain_lines(text: str) -> str:
    """Line breaks as LF: a browser's textarea sends CRLF, and the same text must be the same version."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def validate(draft: QuestionDraft) -> Checked:
    """Every rule a question must meet, with a Chinese message per problem."""
    problems: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []

    def bad(name: str, message: str) -> None:
        problems.append((name, message))

    topic, stem = plain_lines(draft.topic).strip(), plain_lines(draft.stem).strip()
    explanation = plain_lines(draft.explanation).strip()
    if draft.code is not None and not CODE.match(draft.code):
        bad("code", f"题号“{draft.code}”格式应为“前缀-编号”，如 XF-0001")
    if not topic:
        bad("topic", "专题不能为空")
    for name, value, limit in (("topic", topic, MAX_TOPIC), ("stem", stem, MAX_STEM),
                               ("explanation", explanation, MAX_EXPLANATION)):
        if (why := _text_problem(value, limit, FIELD_LABELS[name])) is not None:
            bad(name, why)
    if draft.qtype not in TYPES:
        bad("qtype", "题型应为单选、多选或判断")
    if len(stem) < 6:
        bad("stem", "题干至少 6 个字")
    if len(explanation) < 6:
        bad("explanation", "解析至少 6 个字")
    if draft.difficulty not in (1, 2, 3):
        bad("difficulty", "难度应为 1、2、3（或 易、中、难）")
    for tag in draft.tags:
        if (why := _text_problem(tag, MAX_TAG, "标签")) is not None:
            bad("tags", why)
    options = tuple(plain_lines(o).strip() for o in draft.options)
    if draft.qtype == "true_false":
        if options:
            bad("options", "判断题不设选项")
        if draft.answer not in ("true", "false"):
            bad("answer", "判断题的答案应为 对/错、正确/错误、√/×")
    elif draft.qtype in ("single", "multiple"):
        _check_choice(draft, options, bad)
    basis = _check_basis(draft.basis, bad, warnings)
    if problems:
        return Checked(None, problems, warnings)
    assert draft.qtype is not None and draft.answer is not None and draft.difficulty is not None
    record = QuestionRecord(topic, draft.qtype, stem, options, draft.answer, explanation, basis,
                            draft.difficulty, tuple(dict.fromkeys(draft.tags)), draft.code)
    return Checked(record, [], warnings)


def _check_choice(draft: QuestionDraft, options: tuple[str, ...], bad: Callable[[str, str], None]) -> None:
    if not 2 <= len(options) <= 6:
        bad("options", "单选、多选题需要 2 到 6 个选项")
        return
    if any(not o for o in options):
        bad("options", "选项不能为空")
    for o in options:
        if (why := _text_problem(o, MAX_OPTION, "选项")) is not None:
            bad("options", why)
    if len({squash(o) for o in options}) != len(options):
        bad("options", "有两个选项相同")
    allowed = LETTERS[: len(options)]
    answer = draft.answer or ""
    if not answer:
        bad("answer", "没有给出正确答案")
    elif any(c not in allowed for c in answer):
        bad("answer", f"答案应为 {allowed[0]}—{allowed[-1]} 中的字母")
    elif draft.qtype == "single" and len(answer) != 1:
        bad("answer", "单选题只能有一个答案")
    elif draft.qtype == "multiple" and (len(answer) < 2 or len(set(answer)) != len(answer)):
        bad("answer", "多选题的答案至少两个且不重复")


def _check_basis(basis: Sequence[dict[str, Any]], bad: Callable[[str, str], None],
                 warnings: list[tuple[str, str]]) -> tuple[dict[str, Any], ...]:
    """A citation must name a law the bank may cite and an article it has; a quote not found in
    that article is kept but marked. No basis at all is allowed (未注明法条) and marked. Citations
    of laws come first, other sources after: the order every format can write back."""
    laws, sources = [], []
    if len(basis) > MAX_BASIS:
        bad("basis", f"依据最多 {MAX_BASIS} 条（现有 {len(basis)} 条），请只保留最直接的法条")
        return ()
    for cite in basis:
        if "law" not in cite:
            source = " ".join(str(cite.get("source") or "").split())
            if source:
                sources.append({"source": source})
            continue
        # A quote is one run of text: a line break copied from a page is not part of it.
        law, article, quote = cite.get("law"), cite.get("article"), re.sub(r"\s*\n\s*", "", plain_lines(str(cite.get("quote") or ""))).strip()
        if (why := article_problem(law, article)) is not None:
            bad("law" if law not in LAWS else "article", why)
            continue
        if (why := quote_problem(cast(str, law), cast(int | str, article), quote)) is not None:
            warnings.append(("quote", why))
        laws.append({"law": law, "article": article, "quote": quote})
    if not laws and not sources:
        warnings.append(("law", "未注明法条"))
    return tuple(laws + sources)


# ---- duplicates -----------------------------------------------------------------------------

_NOISE = re.compile(r"[\s（）()【】\[\]“”\"'‘’。，,.、:：;；?？!！_＿　]+")


def stem_key(stem: str) -> str:
    """A stem with spaces, punctuation and blanks dropped: the same question reads the same."""
    return _NOISE.sub("", stem)


def near_duplicates(stem: str, others: Iterable[tuple[str, str]], threshold: float = 0.9) -> list[str]:
    """Codes of the `others` (code, stem) whose stem is the same, or nearly so: at least 90 %
    alike and differing by no more than a few characters (2, plus 1 for every 40), so that a
    typo or a changed blank is caught but stems built on one pattern ("根据行政复议法关于申请人的
    规定，下列说法正确的有" / "…关于被申请人的规定…") are not."""
    key = stem_key(stem)
    chars = set(key)
    found = []
    for code, other in others:
        other_key = stem_key(other)
        if other_key == key:
            found.append(code)
        # Stems of lengths further apart than the rule allows differ by at least that many
        # characters: the same bound whichever of the two is being saved.
        elif abs(len(other_key) - len(key)) <= 2 + max(len(key), len(other_key)) // 40:
            # Each character one has and the other lacks is one that cannot match: a bound of
            # quick_ratio cheaper still, which leaves out nearly every stem of a large bank.
            other_chars = set(other_key)
            shared = min(len(key) - len(chars - other_chars), len(other_key) - len(other_chars - chars))
            if 2.0 * shared / (len(key) + len(other_key)) < threshold:
                continue
            matcher = SequenceMatcher(None, key, other_key)
            # quick_ratio is an upper bound of ratio and far cheaper: most stems stop there.
            if matcher.quick_ratio() < threshold or matcher.ratio() < threshold:
                continue
            matched = sum(block.size for block in matcher.get_matching_blocks())
            if len(key) + len(other_key) - 2 * matched <= 2 + max(len(key), len(other_key)) // 40:
                found.append(code)
    return found


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field that changed between two versions."""
    changes = []
    for name in ("qtype", "stem", "options", "answer", "explanation", "basis", "difficulty", "tags"):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes.append((FIELD_LABELS.get(name, name), _show(name, old), _show(name, new)))
    return changes


def _show(name: str, value: Any) -> str:
    if name == "qtype":
        return TYPE_LABELS.get(value, str(value))
    if name == "options":
        return "；".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(value or []))
    if name == "basis":
        return "；".join(_cite(b) for b in value or [])
    if name == "tags":
        return "、".join(value or [])
    if name == "answer" and value in ("true", "false"):
        return "正确" if value == "true" else "错误"
    return str(value if value is not None else "")


def _cite(basis: dict[str, Any]) -> str:
    if "law" not in basis:
        return f"依据：{basis.get('source')}"
    where = "序言" if basis.get("article") == PREAMBLE else f"第{basis.get('article')}条"
    return f"{basis['law']}{where}：{basis.get('quote', '')}"


def search_text(content: dict[str, Any], code: str) -> str:
    """What the bank's search looks in: code, stem, options, explanation, tags; lower-cased."""
    parts = [code, content.get("stem", ""), *content.get("options", []), content.get("explanation", ""),
             *content.get("tags", [])]
    return "\n".join(str(p) for p in parts).lower()


def citations(basis: Iterable[dict[str, Any]]) -> str:
    """"|宪法#1|民法典#1045|": the cited law and article of each basis, for LIKE filters."""
    cited = [f"{b['law']}#{b.get('article')}" for b in basis if "law" in b]
    return "|" + "|".join(cited) + "|" if cited else ""
