"""Paper composition: which question versions, in which order, with which option order."""
from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

TYPE_ORDER = ("single", "multiple", "true_false")  # 单选、多选、判断: the usual paper sections
TYPE_LABELS = {"single": "单选题", "multiple": "多选题", "true_false": "判断题"}


@dataclass(frozen=True)
class PaperRule:
    topic_id: int
    topic_name: str
    qtype: str
    count: int
    points: Decimal


@dataclass(frozen=True)
class Candidate:
    version_id: int
    qtype: str
    option_count: int


@dataclass(frozen=True)
class PaperItem:
    version_id: int
    qtype: str
    points: Decimal
    option_order: tuple[int, ...]


PoolKey = tuple[int, str]


def rule_shortfalls(rules: Sequence[PaperRule], available: Mapping[PoolKey, int]) -> list[str]:
    """Chinese messages for every topic × type the bank cannot fill; empty when all fit."""
    wanted: dict[PoolKey, int] = {}
    names: dict[PoolKey, str] = {}
    for rule in rules:
        key = (rule.topic_id, rule.qtype)
        wanted[key] = wanted.get(key, 0) + rule.count
        names[key] = rule.topic_name
    return [
        f"专题“{names[key]}”的{TYPE_LABELS[key[1]]}只有 {available.get(key, 0)} 道，"
        f"规则需要 {count} 道"
        for key, count in wanted.items()
        if count > available.get(key, 0)
    ]


def _option_order(candidate: Candidate, shuffle: bool, rng: random.Random) -> tuple[int, ...]:
    order = list(range(candidate.option_count))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def _arrange(
    picked: list[tuple[Candidate, Decimal]],
    rng: random.Random,
    shuffle_questions: bool,
    shuffle_options: bool,
) -> list[PaperItem]:
    """Group by type (单选, 多选, 判断), shuffle inside each group when asked."""
    items: list[PaperItem] = []
    for qtype in TYPE_ORDER:
        group = [p for p in picked if p[0].qtype == qtype]
        if shuffle_questions:
            rng.shuffle(group)
        items.extend(
            PaperItem(c.version_id, c.qtype, points, _option_order(c, shuffle_options, rng))
            for c, points in group
        )
    return items


def compose_random_paper(
    rules: Sequence[PaperRule],
    pool: Mapping[PoolKey, Sequence[Candidate]],
    rng: random.Random,
    shuffle_questions: bool,
    shuffle_options: bool,
) -> list[PaperItem]:
    """Draw each rule's questions without repeats; the pool must hold enough (see shortfalls)."""
    shortfalls = rule_shortfalls(rules, {k: len(v) for k, v in pool.items()})
    if shortfalls:
        raise ValueError("；".join(shortfalls))
    used: set[int] = set()
    picked: list[tuple[Candidate, Decimal]] = []
    for rule in rules:
        free = [c for c in pool[(rule.topic_id, rule.qtype)] if c.version_id not in used]
        chosen = rng.sample(free, rule.count)
        if not shuffle_questions:  # a stable, reviewable order: the bank's own
            chosen.sort(key=free.index)
        used.update(c.version_id for c in chosen)
        picked.extend((c, rule.points) for c in chosen)
    return _arrange(picked, rng, shuffle_questions, shuffle_options)


def compose_fixed_paper(
    questions: Sequence[tuple[Candidate, Decimal]],
    rng: random.Random,
    shuffle_questions: bool,
    shuffle_options: bool,
) -> list[PaperItem]:
    return _arrange(list(questions), rng, shuffle_questions, shuffle_options)
