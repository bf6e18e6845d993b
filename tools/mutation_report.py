"""The mutation score of the exam's rules, per file, after `mutmut run` (see `make mutate`).

Reads mutmut's results under mutants/, leaves out the mutants listed in
tools/equivalent_mutants.toml (each with the line it changes and why no test can tell it apart),
prints the score per file against its target and every surviving mutant with its diff.
Exit status 1 when a target is missed or an equivalence entry no longer matches its mutant.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
EQUIVALENTS = ROOT / "tools" / "equivalent_mutants.toml"
# Where a file's score must land; a file not named here counts towards its folder's target.
TARGETS = {"quizapp/domain/": 95.0, "quizapp/services/attempts.py": 90.0}
DETECTED = {1, 3, 36, 37, -24, 24, 152, 255}  # killed, timed out, or caught by the type check
UNDETECTED = {0, 5, 33}  # survived, or no test ran it


@dataclass
class FileScore:
    path: str
    detected: int = 0
    survived: int = 0
    equivalent: int = 0
    other: int = 0  # skipped, suspicious, not checked

    @property
    def score(self) -> float:
        judged = self.detected + self.survived
        return 100.0 * self.detected / judged if judged else 100.0


def mutant_diff(name: str) -> str:
    shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=ROOT,
                           capture_output=True, text=True, check=False)
    return "\n".join(line for line in shown.stdout.splitlines()[1:] if line.strip())


def changed_line(diff: str) -> str:
    added = [line[1:].strip() for line in diff.splitlines()
             if line.startswith("+") and not line.startswith("+++")]
    return added[0] if added else ""


def load_equivalents() -> dict[str, dict[str, str]]:
    if not EQUIVALENTS.exists():
        return {}
    entries = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8")).get("equivalent", [])
    return {e["mutant"]: e for e in entries}


def group_of(path: str) -> str:
    return next((t for t in TARGETS if path == t or path.startswith(t)), path)


def main() -> int:
    metas = sorted(MUTANTS.glob("quizapp/**/*.py.meta"))
    if not metas:
        print("mutants/ 下没有结果：先运行 `make mutate`（mutmut run）", file=sys.stderr)
        return 2
    equivalents = load_equivalents()
    used: set[str] = set()
    stale: list[str] = []
    scores: list[FileScore] = []
    survivors: list[tuple[str, str]] = []
    for meta in metas:
        path = str(meta.relative_to(MUTANTS)).removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        score = FileScore(path)
        for name, code in sorted(codes.items()):
            if code in DETECTED:
                score.detected += 1
            elif code in UNDETECTED:
                diff = mutant_diff(name)
                entry = equivalents.get(name)
                if entry is not None and entry["line"].strip() == changed_line(diff):
                    score.equivalent += 1
                    used.add(name)
                else:
                    if entry is not None:
                        stale.append(name)
                    score.survived += 1
                    survivors.append((name, diff))
            else:
                score.other += 1
        scores.append(score)

    print(f"{'file':<36} {'mutants':>7} {'killed':>7} {'survived':>8} {'equiv.':>6} {'score':>7}")
    groups: dict[str, Counter[str]] = {}
    for s in scores:
        total = s.detected + s.survived + s.equivalent + s.other
        print(f"{s.path:<36} {total:>7} {s.detected:>7} {s.survived:>8} {s.equivalent:>6} {s.score:>6.1f}%")
        g = groups.setdefault(group_of(s.path), Counter())
        g.update(detected=s.detected, survived=s.survived)
    print()
    ok = True
    for group, counts in groups.items():
        judged = counts["detected"] + counts["survived"]
        value = 100.0 * counts["detected"] / judged if judged else 100.0
        target = TARGETS.get(group)
        verdict = "" if target is None else ("达标" if value >= target else f"未达标（目标 {target:.0f}%）")
        ok = ok and (target is None or value >= target)
        print(f"{group:<36} {counts['detected']}/{judged} = {value:.1f}% {verdict}")
    if survivors:
        print(f"\n存活的变异（{len(survivors)}）：")
        for name, diff in survivors:
            print(f"\n# {name}\n{diff}")
    unused = sorted(set(equivalents) - used - set(stale))
    for name in stale:
        print(f"\n等价变异清单中的 {name} 与实际变异不符（代码已改？），请重新判断", file=sys.stderr)
    for name in unused:
        print(f"等价变异清单中的 {name} 已被测试杀死或不存在，可以删除", file=sys.stderr)
    return 0 if ok and not stale else 1


if __name__ == "__main__":
    sys.exit(main())
