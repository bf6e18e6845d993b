"""How long a 2,000-person roster import takes on SQLite: the preview, then the real import.

It builds a fresh database with the demo township, writes a 2,000-row .xlsx (new people spread
over the township's units, the 30 demo cadres among them unchanged), and times
`quizapp users import --dry-run` and `quizapp users import --passwords-out`, as an office would
run them. Not a test: the figures go to bench/RESULTS.md by hand.

    .venv/bin/python bench/roster_import.py [rows]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIZAPP = Path(sys.executable).parent / "quizapp"
UNITS = ["示例乡/乡直机关", "示例乡/司法所", "示例乡/东风村委会", "示例乡/河口村委会", "示例乡/新华社区居委会"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"


def roster_rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = [["姓名", "账号", "手机号", "单位", "职务", "人员类别", "是否领导干部"]]
    for n in range(count):
        rows.append([f"{SURNAMES[n % len(SURNAMES)]}某{n:04d}", "", 13900000000 + n, UNITS[n % len(UNITS)],
                     "干部", "村（社区）干部" if n % 5 >= 2 else "公务员", "否"])
    return rows


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(QUIZAPP), *args], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"quizapp {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from quizapp.formats.tabular import write_xlsx

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3")
        subprocess.run([str(QUIZAPP), "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([str(QUIZAPP), "demo", "load", "--bank", str(ROOT / "question_bank")], env=env,
                       check=True, capture_output=True)
        roster = Path(tmp) / "名单.xlsx"
        roster.write_bytes(write_xlsx({"名单": roster_rows(count)}))
        preview, line = timed(["users", "import", str(roster), "--dry-run"], env)
        print(f"preview of {count} rows: {preview:.2f} s  ({line})")
        applied, line = timed(["users", "import", str(roster), "--passwords-out", f"{tmp}/pw.xlsx"], env)
        print(f"import of {count} rows (preview, hashing, writing, 初始密码表): {applied:.2f} s  ({line})")


if __name__ == "__main__":
    main()
