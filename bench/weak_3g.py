"""Weak-3G page weight: what a cadre's phone downloads and how long the screen stays blank.

Chromium (Debian's /usr/bin/chromium, through Playwright) at 360 px on an emulated weak 3G link
(CDP Network.emulateNetworkConditions: 400 ms latency, 400 kbit/s down and up) loads the login
page, the exam list, the exam page and the result page of the demo data served by gunicorn,
each cold (browser cache emptied just before) and warm (the same page again, cache primed).
Bytes are what crossed the wire (Resource Timing transferSize: headers plus the body as sent,
compressed or not; 0 for a cache hit) up to the load event; first paint is the
first-contentful-paint entry of the Paint Timing API.

    .venv/bin/python bench/weak_3g.py                 # prints the table
    .venv/bin/python bench/weak_3g.py --label after   # also writes bench/results/weak_3g-after.json

The service worker is blocked in the measured context: its fetches would leave the page's
emulated link (network-first, it adds nothing to a page that its HTTP cache already holds).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world import ROOT, gunicorn, prepare_quizapp

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
WEAK_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
MEASURE = """async () => {
  // On a cold load the first paint may come just after the load event: wait for its entry.
  await new Promise(done => {
    if (performance.getEntriesByName('first-contentful-paint').length) return done();
    new PerformanceObserver(done).observe({type: 'paint', buffered: true});
    setTimeout(done, 5000);
  });
  const nav = performance.getEntriesByType('navigation')[0];
  const end = nav.loadEventEnd || performance.now();
  const res = performance.getEntriesByType('resource').filter(r => r.startTime <= end);
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {
    bytes: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
    html_bytes: nav.transferSize,
    requests: 1 + res.length,
    from_network: 1 + res.filter(r => r.transferSize > 0).length,
    first_paint_ms: fcp ? Math.round(fcp.startTime) : null,
    load_ms: Math.round(end),
  };
}"""


def measure(page, cdp, url: str, cold: bool) -> dict:  # type: ignore[no-untyped-def]
    if cold:
        cdp.send("Network.clearBrowserCache")
    cdp.send("Network.emulateNetworkConditions", WEAK_3G)
    page.goto(url, wait_until="load", timeout=120_000)
    result = page.evaluate(MEASURE)
    cdp.send("Network.emulateNetworkConditions", {**WEAK_3G, "latency": 0, "downloadThroughput": -1,
                                                   "uploadThroughput": -1})
    return result


def run(base: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN", service_workers="block")
        page = context.new_page()
        page.on("dialog", lambda d: d.accept())
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")

        def both(name: str, url: str) -> None:
            for cold in (True, False):
                rows.append({"page": name, "cache": "cold" if cold else "warm", **measure(page, cdp, url, cold)})

        both("login", f"{base}/login")
        page.fill("#username", "gb01")
        page.fill("#password", "demo2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/exams*")
        if "/password" in page.url:  # pragma: no cover - demo accounts need no change
            raise SystemExit("demo account asks for a new password")
        both("exam list", f"{base}/exams")
        page.get_by_role("link", name="年度学法用法考试").first.click()  # the demo's open exam
        page.get_by_role("button", name="开始考试").click()
        page.wait_for_url("**/attempts/*")
        exam_url = page.url
        both("exam page", exam_url)
        page.locator("section.question label.option").first.click()
        page.wait_for_function("document.getElementById('save-state').dataset.state === 'saved'")
        page.click("#submit-button")
        page.wait_for_url("**/result*")
        both("result", page.url)
        context.close()
        browser.close()
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| page | cache | bytes | HTML bytes | requests (network) | first paint | load |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        paint = f"{r['first_paint_ms'] / 1000:.2f} s" if r["first_paint_ms"] is not None else "—"
        lines.append(f"| {r['page']} | {r['cache']} | {r['bytes'] / 1024:.1f} KB | {r['html_bytes'] / 1024:.1f} KB | "
                     f"{r['requests']} ({r['from_network']}) | {paint} | {r['load_ms'] / 1000:.2f} s |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", help="save the figures as bench/results/weak_3g-LABEL.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-weak3g-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'weak3g.sqlite3'}"
        prepare_quizapp(url)  # the demo township, as `make run` serves it
        with gunicorn("quizapp:create_app()", {"DATABASE_URL": url, "SECRET_KEY": "bench"}) as base:
            rows = run(base)
    print(table(rows))
    if args.label:
        out = ROOT / "bench" / "results" / f"weak_3g-{args.label}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
