"""Browser tests: Playwright drives Debian's /usr/bin/chromium against a live server."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from quizapp.clock import utcnow

from ..conftest import BACKENDS

CHROMIUM = Path("/usr/bin/chromium")
NO_PLAYWRIGHT = "没有安装 Playwright（pip install -e '.[test]'）"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


class ShiftableClock:
    """Real time plus an offset, so a test can jump the server towards a deadline."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self):
        return utcnow() + self.offset


# For modules that check the page itself (layout, accessibility, keyboard, editors): one database.
# The server paths they call are tested on both in tests/web, and the browser tests of taking an
# exam (saving, handing in, offline, restarts) still run on both.
PAGE_ONLY = pytest.mark.parametrize("live_app", BACKENDS[:1], indirect=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("没有 /usr/bin/chromium（apt-get install chromium）")
    sync_api = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT)
    sync_playwright = sync_api.sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def clock() -> ShiftableClock:  # overrides the suite's frozen clock: the browser runs in real time
    return ShiftableClock()


@pytest.fixture
def app(live_app: Flask) -> Flask:
    """The browser talks to a real server in other threads: the app commits for real."""
    return live_app


@pytest.fixture
def world(live_world):
    return live_world


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="zh-CN")
    yield context
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
