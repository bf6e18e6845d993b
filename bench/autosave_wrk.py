"""Autosave against the physical limit (issue 11, target 1): wrk loads quizapp's real save
endpoint and bench/baseline_app.py (bare Flask, one upsert, no auth) in the same run, alternating.

Both run under gunicorn with 2 workers × 4 threads on loopback, each on its own database of the
same kind: SQLite files (WAL, synchronous=FULL) or one throwaway PostgreSQL cluster with fsync
and synchronous_commit on. quizapp's requests are real: each of N cadres logged in through the
login form, started the 学法用法考试 and saves through its own session cookie and CSRF token
(bench/autosave.lua rotates through them). Target: quizapp ≥ 0.6 × the baseline's saves/s and
p99 < 100 ms at 50 connections.

    .venv/bin/python bench/autosave_wrk.py                     # SQLite and PostgreSQL
    .venv/bin/python bench/autosave_wrk.py --db sqlite --rounds 3 --duration 20

wrk and the servers share this machine's cores: compare the ratio, not the absolute figures.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world import ROOT, Browser, databases, gunicorn, open_exam_ids, prepare_quizapp

LUA = ROOT / "bench" / "autosave.lua"


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_sessions(browsers: list[Browser], path: Path) -> None:
    rows = []
    for b in browsers:
        items = ", ".join(f"{{{i}, {lua_string(q)}}}" for i, q in b.items)
        rows.append(f"  {{cookie = {lua_string(b.cookie_header())}, token = {lua_string(b.token)}, "
                    f"attempt = {b.attempt_id}, items = {{{items}}}}},")
    path.write_text("return {\n" + "\n".join(rows) + "\n}\n", encoding="utf-8")


def run_wrk(base: str, sessions: Path, threads: int, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(LUA), base, "--", str(sessions), str(threads)],
        capture_output=True, text=True, check=True).stdout
    found = re.search(r"^RESULT (\{.*\})$", out, re.M)
    if found is None:
        raise RuntimeError(f"wrk said:\n{out}")
    raw = json.loads(found.group(1))
    return {
        "saves_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1), "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1), "max_ms": round(raw["max_us"] / 1000, 1),
        "requests": raw["requests"], "errors": raw["non2xx"] + raw["socket_errors"],
    }


def log_in(base: str, username: str, exam_id: int) -> Browser:
    browser = Browser(base, username)
    browser.login()
    browser.start(exam_id)
    return browser


def bench(kind: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="quizapp-autosave-") as tmp, \
            databases(kind, Path(tmp)) as (url, baseline_url):
        usernames = prepare_quizapp(url, extra_cadres=max(0, args.sessions - 30))[:args.sessions]
        exam_id = open_exam_ids(url)[0]
        sessions = Path(tmp) / "sessions.lua"
        names = ["baseline", "quizapp"] + (["floor"] if args.floor else [])
        rounds: dict[str, list[dict]] = {name: [] for name in names}
        env = {"DATABASE_URL": url, "SECRET_KEY": "bench"}
        with gunicorn("quizapp:create_app()", env) as quizapp, \
                gunicorn("bench.baseline_app:create_app()", {"BASELINE_DATABASE_URL": baseline_url},
                         check_path="/") as baseline, \
                (gunicorn("bench.stack_floor:create_app()", env) if args.floor else nullcontext("")) as floor:
            with ThreadPoolExecutor(8) as pool:  # scrypt: a few seconds for 50 logins
                browsers = list(pool.map(lambda u: log_in(quizapp, u, exam_id), usernames))
            write_sessions(browsers, sessions)
            servers = {"baseline": baseline, "quizapp": quizapp, "floor": floor}
            servers = {name: servers[name] for name in names}  # the same session cookies serve the floor
            for base in servers.values():  # warm up: connections, caches, the WAL file
                run_wrk(base, sessions, args.threads, args.connections, 3)
            for n in range(args.rounds):
                for name, base in servers.items():
                    result = run_wrk(base, sessions, args.threads, args.connections, args.duration)
                    rounds[name].append(result)
                    print(f"[{kind}] round {n + 1} {name:8} {result}", flush=True)
            # Every cadre's attempt is still open and the saves landed: one answer per item at most.
            status, text = browsers[0].save(browsers[0].items[0][0], [0] if browsers[0].items[0][1] != "true_false" else True)
            assert status == 200, (status, text)
    summary = {}
    for name, results in rounds.items():
        summary[name] = {
            "saves_per_s": round(sum(r["saves_per_s"] for r in results) / len(results), 1),
            "p50_ms": round(sorted(r["p50_ms"] for r in results)[len(results) // 2], 1),
            "p99_ms": max(r["p99_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
        }
    summary["ratio"] = round(summary["quizapp"]["saves_per_s"] / summary["baseline"]["saves_per_s"], 2)
    if "floor" in summary:
        summary["floor_ratio"] = round(summary["floor"]["saves_per_s"] / summary["baseline"]["saves_per_s"], 2)
    return {"database": kind, "rounds": rounds, "summary": summary}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sessions", type=int, default=50, help="cadres logged in (wrk rotates through them)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per round and server")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--label", default="latest", help="bench/results/autosave-LABEL.json")
    parser.add_argument("--floor", action="store_true",
                        help="also load bench/stack_floor.py: quizapp's stack with a save that does nothing")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [bench(kind, args) for kind in kinds]
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / f"autosave-{args.label}.json").write_text(json.dumps(results, indent=2))
    print(f"\nwrk -t{args.threads} -c{args.connections}, {args.rounds} × {args.duration} s per server, "
          f"{args.sessions} cadres\n")
    print("| database | server | saves/s | p50 | p99 | errors | ratio |")
    print("|---|---|---|---|---|---|---|")
    failed = False
    for r in results:
        s = r["summary"]
        for name in ("baseline", "quizapp", "floor"):
            if name not in s:
                continue
            row = s[name]
            ratio = {"quizapp": f"{s['ratio']:.2f}", "floor": f"{s.get('floor_ratio', 0):.2f}"}.get(name, "")
            print(f"| {r['database']} | {name} | {row['saves_per_s']:.0f} | {row['p50_ms']} ms | "
                  f"{row['p99_ms']} ms | {row['errors']} | {ratio} |")
        failed |= s["quizapp"]["errors"] > 0 or s["baseline"]["errors"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
