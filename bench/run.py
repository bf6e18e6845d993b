"""Load benchmark: 30 cadres take the demo exam at once against gunicorn on loopback.

Each simulated cadre logs in (all 30 at the same moment, as at an exam's opening time), starts the 学法用法考试, saves every answer one request at a time
(as the exam page does) and submits. Reports save latency percentiles and throughput, writes
bench/results/latest.json, and compares with bench/baseline.json.

    make bench                       # SQLite under a temp dir
    BENCH_DATABASE_URL=postgresql+psycopg://… make bench
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CADRES = int(os.environ.get("BENCH_CADRES", "30"))
TIME_LIMIT_S = 300  # the whole run stops by itself


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cadre:
    def __init__(self, base: str, username: str):
        self.base = base
        self.username = username
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.token = ""
        self.save_ms: list[float] = []
        self.login_ms = 0.0
        self.errors: list[str] = []

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, str]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.geturl(), resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, path, exc.read().decode("utf-8", "replace")

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(fields).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def run(self) -> None:
        _, _, page = self.request("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        started = time.perf_counter()
        self.form("/login", {"username": self.username, "password": "demo2026", "csrf_token": token})
        self.login_ms = (time.perf_counter() - started) * 1000
        _, _, page = self.request("/exams/1")
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        _, url, page = self.form("/exams/1/start", {"csrf_token": self.token})
        attempt = re.search(r"/attempts/(\d+)", url).group(1)
        items = re.findall(r'data-item-id="(\d+)" data-qtype="(\w+)"', page)
        for item_id, qtype in items:
            answer = True if qtype == "true_false" else [0]
            body = json.dumps({"item_id": int(item_id), "answer": answer}).encode()
            started = time.perf_counter()
            status, _, text = self.request(f"/api/attempts/{attempt}/answers", body, {
                "Content-Type": "application/json", "X-CSRFToken": self.token})
            self.save_ms.append((time.perf_counter() - started) * 1000)
            if status != 200:
                self.errors.append(f"{status} {text[:80]}")
        status, url, _ = self.form(f"/attempts/{attempt}/submit", {"csrf_token": self.token})
        if "/result" not in url:
            self.errors.append(f"submit {status} {url}")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    env = dict(os.environ, DATABASE_URL=os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"), SECRET_KEY="bench")
    subprocess.run([BIN / "quizapp", "db", "upgrade"], env=env, cwd=ROOT, check=True)
    subprocess.run([BIN / "quizapp", "demo", "load"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([BIN / "gunicorn", "--workers", "2", "--threads", "4", "--bind",
                               f"127.0.0.1:{port}", "quizapp:create_app()"], env=env, cwd=ROOT,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        cadres = [Cadre(base, f"gb{n:02d}") for n in range(1, CADRES + 1)]
        threads = [threading.Thread(target=c.run, daemon=True) for c in cadres]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIME_LIMIT_S)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    saves = sorted(ms for c in cadres for ms in c.save_ms)
    errors = [e for c in cadres for e in c.errors]
    q = statistics.quantiles(saves, n=100) if len(saves) > 1 else [0.0] * 99
    result = {
        "database": env["DATABASE_URL"].split(":")[0], "cadres": CADRES, "saves": len(saves),
        "errors": len(errors), "elapsed_s": round(elapsed, 2),
        "saves_per_s": round(len(saves) / elapsed, 1),
        "save_ms_p50": round(q[49], 1), "save_ms_p95": round(q[94], 1), "save_ms_p99": round(q[98], 1),
        "login_ms_max": round(max(c.login_ms for c in cadres), 1),
        "login_ms_median": round(statistics.median(c.login_ms for c in cadres), 1),
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    for e in errors[:5]:
        print("error:", e)
    baseline_file = ROOT / "bench" / "baseline.json"
    if baseline_file.exists():
        baseline = json.loads(baseline_file.read_text()).get(result["database"], {})
        if baseline:
            print(f"baseline p95 {baseline['save_ms_p95']} ms, now {result['save_ms_p95']} ms; "
                  f"baseline {baseline['saves_per_s']}/s, now {result['saves_per_s']}/s")
            if result["save_ms_p95"] > 3 * baseline["save_ms_p95"]:
                print("slower than 3x the baseline p95")
                return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
