"""Importing questions from files of any format: read -> check -> plan (new, changed, unchanged,
duplicates, every problem) -> on confirmation, apply all of it in one transaction or nothing.

The browser, `quizapp bank import` and the demo loader call the same functions.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from ..domain.questions import QuestionRecord, near_duplicates, stem_key, validate
from ..errors import ImportRejected
from ..formats import ImportProblem, ReadResult, bank_formats, format_of, position
from ..formats.bank_yaml import read_bank_dir
from ..models import Question, QuestionVersion, Topic
from .audit import record as audit
from .bank_versions import change_question, create_question, move_question, next_codes, topic_named

MAX_BYTES = 10 * 1024 * 1024  # the default of BANK_IMPORT_MAX_MB
SIMILAR = 0.9  # how alike two stems must be to be reported as 题干相同或相近 (near_duplicates' threshold)
MAX_DUPLICATES = 5  # how many same or alike questions a preview names for one question (the first ones)


@dataclass
class PlannedQuestion:
    file: str
    row: int
    record: QuestionRecord
    status: str = "new"  # new | changed | unchanged
    new_content: bool = True  # changed content makes a new version; a new topic alone only moves it
    warnings: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # codes of the same or nearly the same stem
    retired: bool = False
    base_version: int | None = None  # the bank's latest version it was compared with (None: not in the bank)

    @property
    def where(self) -> str:
        return position(self.file, self.row)


@dataclass
class BankPlan:
    items: list[PlannedQuestion]
    problems: list[ImportProblem]
    skipped: list[str]

    @property
    def accepted(self) -> bool:
        return not self.problems

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def duplicates(self) -> int:
        return sum(1 for i in self.items if i.duplicates)

    def baseline(self) -> dict[str, list[object] | None]:
        """Code -> [version, retired] of each bank question this plan was compared with (None
        for a code not in the bank): what a later confirmation checks has not moved."""
        return {i.record.code: None if i.base_version is None else [i.base_version, i.retired]
                for i in self.items if i.record.code}

    def summary(self) -> dict[str, object]:
        """The preview as `quizapp bank import --json` prints it."""
        return {"new": self.count("new"), "changed": self.count("changed"), "unchanged": self.count("unchanged"),
                "duplicates": self.duplicates, "skipped": len(self.skipped),
                "problems": [p.as_dict() for p in self.problems]}


def read_sources(sources: Sequence[tuple[str, bytes]], topic: str | None, max_bytes: int = MAX_BYTES) -> ReadResult:
    """Every file read by its format's reader (chosen by its extension), problems merged."""
    merged = ReadResult()
    formats = bank_formats()
    for name, data in sources:
        kind = format_of(name)
        if kind is None:
            merged.problems.append(ImportProblem(name, 0, "", "只能导入 .xlsx、.csv、.yaml、.gift（或 .txt）、.xml 文件"))
            continue
        if len(data) > max_bytes:
            merged.problems.append(ImportProblem(name, 0, "", f"文件超过 {max_bytes / 1024 / 1024:g} MB，"
                                                              "请拆分后分批导入"))
            continue
        found = formats[kind][1](data, name, topic)
        merged.questions += found.questions
        merged.problems += found.problems
        merged.skipped += found.skipped
    return merged


def plan_import(session: Session, read: ReadResult, progress: Callable[[int, int], None] | None = None) -> BankPlan:
    """Check every question and compare it with the bank; nothing is written."""
    problems = list(read.problems)
    items: list[PlannedQuestion] = []
    seen_codes: dict[str, tuple[str, int]] = {}
    for n, q in enumerate(read.questions, 1):
        checked = validate(q.draft)
        problems += [ImportProblem(q.file, q.row, q.column(name), message) for name, message in checked.problems]
        if progress is not None and n % 500 == 0:
            progress(n, len(read.questions))
        if checked.record is None:
            continue
        code = checked.record.code
        if code is not None and code in seen_codes:
            first = seen_codes[code]
            problems.append(ImportProblem(q.file, q.row, q.column("code"),
                                          f"题号 {code} 与 {first[0]} {position(*first)}重复"))
            continue
        if code is not None:
            seen_codes[code] = (q.file, q.row)
        items.append(PlannedQuestion(q.file, q.row, checked.record, warnings=[m for _, m in checked.warnings]))
    _compare(session, items)
    _find_duplicates(session, items)
    return BankPlan(items, problems, list(read.skipped))


def _compare(session: Session, items: list[PlannedQuestion]) -> None:
    codes = [i.record.code for i in items if i.record.code]
    existing: dict[str, tuple[bool, str, str, int]] = {}
    for start in range(0, len(codes), 500):
        # The codes are written into the SQL, not bound: psycopg prepares a statement run five
        # times, and PostgreSQL's generic plan of IN ($1 … $500) then tests every question
        # against each of the 500 codes (0.15 s a chunk, 3 s for 10,000 codes) instead of hashing them.
        chunk: BindParameter[str] = bindparam("codes", codes[start:start + 500], expanding=True, literal_execute=True)
        for code, retired, digest, topic, version in session.execute(
                select(Question.code, Question.retired, QuestionVersion.content_hash, Topic.name,
                       Question.latest_version)
                .join(QuestionVersion, QuestionVersion.question_id == Question.id)
                .join(Topic, Topic.id == Question.topic_id)
                .where(QuestionVersion.version_no == Question.latest_version, Question.code.in_(chunk))):
            existing[code] = (retired, digest, topic, version)
    for item in items:
        found = existing.get(item.record.code or "")
        if found is None:
            continue
        retired, digest, topic, item.base_version = found
        item.retired = retired
        item.new_content = digest != item.record.digest()
        item.status = "changed" if item.new_content or topic != item.record.topic else "unchanged"
        if retired:
            item.warnings.append("该题已停用，导入后仍保持停用（需要时在题目页面恢复）")


def changed_since(plan: BankPlan, baseline: dict[str, list[object] | None]) -> list[str]:
    """Codes of the plan's questions that another change reached since `baseline` (a preview's
    BankPlan.baseline()): a new version, retired or restored, or made by someone else. Applying
    the plan then would overwrite what was not in the preview."""
    current = plan.baseline()
    return [code for code, state in current.items() if code in baseline and baseline[code] != state]


def _find_duplicates(session: Session, items: list[PlannedQuestion]) -> None:
    """Same or nearly the same stem as another question (in the bank or in this import): one
    whose stem key starts with the same six characters, the bank's first and then this import's
    earlier questions, each in turn; at most MAX_DUPLICATES of them. Questions of one stem key
    are one entry of the index, and only the first few of them are kept: 3,000 rows of one
    stem cost 3,000 look-ups, not 3,000 × 3,000 comparisons. The index hands near_duplicates
    only the few stems that can be that alike, so a 10,000-question file is not
    10,000 × 10,000 comparisons either."""
    bank = list(session.execute(
            select(Question.code, QuestionVersion.stem).join(QuestionVersion, QuestionVersion.question_id == Question.id)
            .where(QuestionVersion.version_no == Question.latest_version, Question.retired.is_(False))))
    keys = [stem_key(stem) for _, stem in bank] + [stem_key(item.record.stem) for item in items]
    index = _StemIndex(keys, SIMILAR, [n for n, item in enumerate(items, len(bank)) if item.status != "unchanged"])
    # Stem key -> the first numbers with it; one more than reported, as one may be the question itself.
    same: dict[str, list[int]] = {}

    def add(n: int) -> None:
        members = same.setdefault(keys[n], [])
        if not members:
            index.add(n)  # the first of its key stands for all of them
        if len(members) <= MAX_DUPLICATES:
            members.append(n)

    def named(m: int) -> str:
        if m < len(bank):
            return bank[m][0]
        other = items[m - len(bank)]
        return f"{other.file} {other.where}"

    def itself(m: int, item: PlannedQuestion) -> bool:
        code = bank[m][0] if m < len(bank) else items[m - len(bank)].record.code
        return code is not None and code == item.record.code

    for n in range(len(bank)):
        add(n)
    for n, item in enumerate(items, len(bank)):
        if item.status != "unchanged":
            found: set[int] = set()
            firsts = set(index.candidates(n))
            if keys[n] in same:
                firsts.add(same[keys[n]][0])
            for m in firsts:
                # Stem keys are their own stem key: near_duplicates compares them as they are.
                if keys[m] == keys[n] or near_duplicates(keys[n], [("", keys[m])], SIMILAR):
                    found.update(x for x in same[keys[m]] if not itself(x, item))
            item.duplicates = [named(m) for m in sorted(found)[:MAX_DUPLICATES]]
            if item.duplicates:
                item.warnings.append("与 " + "、".join(item.duplicates[:3]) + " 的题干相同或相近")
        add(n)


class _StemIndex:
    """Of the stem keys added so far, those that could be `threshold` alike with a given one
    (prefix filtering). Keys are known by their number in the list given.

    near_duplicates takes two stem keys of lengths a and b as alike when they are equal, or when
    difflib's ratio, at most 2·m/(a+b) with m the characters they share counted with repeats, is
    at least the threshold t; then m ≥ t·a/(2−t) (as m ≤ b). Give each character's k-th
    occurrence in a key its own token and order the tokens of a group (the keys starting with
    the same six characters) the same way, rarest in the group first: two keys sharing m tokens
    share one among the first a−m+1 tokens of the one and b−m+1 of the other. So each key is
    filed under the first a−⌈t·a/(2−t)⌉+2 of its tokens (one spare against rounding), and a
    key's candidates are the keys filed under one of its own such tokens: every key
    near_duplicates can report, and in practice a few instead of the whole group. Only the
    groups of the keys `asked` about are filed (none when every question is unchanged)."""

    def __init__(self, keys: list[str], threshold: float, asked: list[int]):
        self.keys, self.threshold = keys, threshold
        wanted = {keys[n][:6] for n in asked}
        groups: dict[str, list[int]] = defaultdict(list)
        for n, key in enumerate(keys):
            if key[:6] in wanted:
                groups[key[:6]].append(n)
        self.prefix: list[list[int]] = [[] for _ in keys]  # token numbers, unique across groups
        first = 0
        for members in groups.values():
            tokens = {n: _tokens(keys[n]) for n in members}
            counts: dict[tuple[str, int], int] = defaultdict(int)
            for found in tokens.values():
                for token in found:
                    counts[token] += 1
            rank = {token: first + r for r, token in enumerate(sorted(counts, key=lambda t: (counts[t], t)))}
            first += len(rank)
            for n, found in tokens.items():
                a = len(keys[n])
                least = a if threshold >= 1 else int(-(-threshold * a // (2 - threshold)))  # ⌈t·a/(2−t)⌉
                self.prefix[n] = sorted(rank[token] for token in found)[: a - least + 2]
        self.filed: dict[int, list[int]] = defaultdict(list)  # token -> keys filed under it
        self.group: dict[str, list[int]] = defaultdict(list)  # first six characters -> keys added

    def add(self, n: int) -> None:
        self.group[self.keys[n][:6]].append(n)
        for token in self.prefix[n]:
            self.filed[token].append(n)

    def candidates(self, n: int) -> list[int]:
        """Numbers of the keys added so far that may be that alike with key n, in the order added."""
        if not self.keys[n] or self.threshold <= 0:  # equal empty keys share no token; t ≤ 0 takes any
            return list(self.group[self.keys[n][:6]])
        found: set[int] = set()
        for token in self.prefix[n]:
            found.update(self.filed.get(token, ()))
        return sorted(found)


def _tokens(key: str) -> list[tuple[str, int]]:
    """Each character with its occurrence number: 依法依规 -> 依1 法1 依2 规1."""
    seen: dict[str, int] = defaultdict(int)
    tokens = []
    for char in key:
        seen[char] += 1
        tokens.append((char, seen[char]))
    return tokens


@dataclass(frozen=True)
class ImportSummary:
    created: int
    new_versions: int
    moved: int  # only filed under another topic
    unchanged: int
    new_codes: tuple[str, ...] = ()

    def __str__(self) -> str:
        moved = f"，移到其他专题 {self.moved} 题" if self.moved else ""
        return f"新增 {self.created} 题，更新 {self.new_versions} 题（生成新版本）{moved}，未变 {self.unchanged} 题"


def apply_import(session: Session, plan: BankPlan, now: datetime, user_id: int | None = None,
                 exam_only: bool = False) -> ImportSummary:
    """Write the whole plan (it must have no problems). A retired question stays retired."""
    assert plan.accepted, "a plan with problems is never applied"
    topics: dict[str, Topic] = {}
    existing = {q.code: q for q in session.scalars(select(Question).where(
        Question.code.in_([i.record.code for i in plan.items if i.status == "changed"])))}
    by_topic: dict[str, list[PlannedQuestion]] = defaultdict(list)
    for item in plan.items:
        if item.status == "new" and item.record.code is None:
            by_topic[item.record.topic].append(item)
    taken = {i.record.code for i in plan.items if i.record.code}
    fresh: dict[int, str] = {}
    for name, waiting in by_topic.items():
        codes = next_codes(session, topic_named(session, name, topics), len(waiting), taken)
        taken.update(codes)  # two new topics both start at QB-00001 otherwise
        for item, code in zip(waiting, codes, strict=True):
            fresh[id(item)] = code
    for item in plan.items:
        warnings = [w for w in item.warnings if not w.startswith("该题已停用")]
        if item.status == "new":
            create_question(session, item.record, item.record.code or fresh[id(item)], now, user_id, warnings,
                            exam_only, topics)
        elif item.status == "changed" and item.new_content:
            change_question(session, existing[item.record.code or ""], item.record, now, user_id, warnings, topics)
        elif item.status == "changed":
            move_question(session, existing[item.record.code or ""], item.record.topic, None, now, topics)
    session.flush()
    versions = sum(1 for i in plan.items if i.status == "changed" and i.new_content)
    summary = ImportSummary(plan.count("new"), versions, plan.count("changed") - versions, plan.count("unchanged"),
                            tuple(fresh.values()))
    audit(session, "bank.import", now, user_id, created=summary.created, new_versions=summary.new_versions,
          moved=summary.moved, unchanged=summary.unchanged)
    return summary


def import_bank_path(session: Session, path: Path, now: datetime, user_id: int | None = None) -> ImportSummary:
    """A YAML bank folder (or file), all or nothing: the demo loader's and the tests' way in."""
    plan = plan_import(session, read_bank_dir(path))
    if not plan.accepted:
        raise ImportRejected(plan.problems)
    return apply_import(session, plan, now, user_id)


def import_bank_texts(session: Session, docs: list[tuple[str, str]], now: datetime,
                      user_id: int | None = None) -> ImportSummary:
    plan = plan_import(session, read_sources([(name, text.encode("utf-8")) for name, text in docs], None))
    if not plan.accepted:
        raise ImportRejected(plan.problems)
    return apply_import(session, plan, now, user_id)

