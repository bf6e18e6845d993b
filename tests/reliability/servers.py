"""Real app servers for the reliability tests: gunicorn in a process group of its own on loopback.

Each server is `gunicorn 'quizapp:create_app()'` with 2 workers (4 threads each, as `make serve`),
started with the test database's DATABASE_URL and a SECRET_KEY, and killed with SIGKILL to the
whole group (master and workers) when a test wants a crash.
"""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SECRET_KEY = "reliability-secret-shared-by-every-app-server"
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


class AppServer:
    """One gunicorn server; `kill()` is kill -9 of master and workers, `start()` (re)starts it."""

    def __init__(self, database_url: str, log_dir: Path, name: str = "app",
                 port: int | None = None, workers: int = 2, threads: int = 4):
        self.database_url = database_url
        self.port = port or free_port()
        self.workers, self.threads = workers, threads
        self.log = log_dir / f"gunicorn-{name}-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        assert self.proc is None, "already running"
        env = dict(os.environ, DATABASE_URL=self.database_url, SECRET_KEY=SECRET_KEY,
                   PYTHONUNBUFFERED="1")
        self.starts += 1
        log = self.log.open("ab")
        log.write(f"\n--- start #{self.starts} ---\n".encode())
        log.flush()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
             "--threads", str(self.threads), "--bind", f"127.0.0.1:{self.port}",
             "--error-logfile", "-", "quizapp:create_app()"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)  # its own process group: kill -9 reaches every worker
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=5) as reply:
                    if reply.status == 200:
                        return self
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """kill -9 of the master and all its workers (they share its process group)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        self.proc = None
        # A worker still alive would keep answering on the shared socket.
        deadline = time.monotonic() + 10
        while _port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _port_open(self.port), "a gunicorn worker survived kill -9"

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
            self.proc = None
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.proc = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# ---- a minimal HTTP client that behaves like the exam page (standard library only)

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Reply:
    status: int
    text: str
    location: str

    def json(self) -> Any:
        return json.loads(self.text)


class ServerDown(Exception):
    """The connection failed or broke: nothing was acknowledged."""


class Examinee:
    """One person's browser: a cookie jar shared by every server it talks to."""

    def __init__(self, base: str, username: str, password: str,
                 jar: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.username, self.password = username, password
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.csrf = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                body: Any = None, timeout: float = 120) -> Reply:
        headers = {"Accept": "text/html,application/json"}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
            headers["X-CSRFToken"] = self.csrf
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as reply:
                return Reply(reply.status, reply.read().decode(), reply.headers.get("Location", ""))
        except urllib.error.HTTPError as exc:
            with exc:
                return Reply(exc.code, exc.read().decode(errors="replace"),
                             exc.headers.get("Location", "") or "")
        except (OSError, http.client.HTTPException) as exc:
            raise ServerDown(str(exc)) from exc

    def log_in(self) -> None:
        page = self.request("GET", "/login")
        reply = self.request("POST", "/login", form={
            "username": self.username, "password": self.password, "csrf_token": csrf_of(page.text)})
        assert reply.status == 302, f"{self.username}: login gave {reply.status}"

    def start(self, exam_id: int) -> int:
        """Start (or resume) the exam from its page; the attempt's id."""
        page = self.request("GET", f"/exams/{exam_id}")
        assert page.status == 200, f"{self.username}: exam page gave {page.status}"
        reply = self.request("POST", f"/exams/{exam_id}/start", form={"csrf_token": csrf_of(page.text)})
        assert reply.status == 302, f"{self.username}: start gave {reply.status}: {reply.text[:300]}"
        match = re.search(r"/attempts/(\d+)$", reply.location)
        assert match, reply.location
        return int(match.group(1))

    def open_paper(self, attempt_id: int) -> list[PaperItem]:
        """The exam page: its questions (id, type, how many options) and the page's CSRF token."""
        page = self.request("GET", f"/attempts/{attempt_id}")
        assert page.status == 200, f"{self.username}: exam page gave {page.status}"
        self.csrf = csrf_of(page.text)
        return paper_of(page.text)

    def save(self, attempt_id: int, item_id: int, answer: object) -> Reply:
        return self.request("POST", f"/api/attempts/{attempt_id}/answers",
                            body={"item_id": item_id, "answer": answer})

    def state(self, attempt_id: int) -> dict[str, Any]:
        reply = self.request("GET", f"/api/attempts/{attempt_id}/state")
        assert reply.status == 200, reply.status
        return reply.json()

    def submit(self, attempt_id: int) -> Reply:
        return self.request("POST", f"/attempts/{attempt_id}/submit",
                            form={"csrf_token": self.csrf, "time_up": "0"})

    def result_score(self, attempt_id: int) -> str:
        """The score as the result page shows it, e.g. "14"."""
        page = self.request("GET", f"/attempts/{attempt_id}/result")
        assert page.status == 200, page.status
        match = re.search(r'id="score">\s*([0-9.]+)', page.text)
        assert match, "result page shows a score"
        return match.group(1)


@dataclass(frozen=True)
class PaperItem:
    item_id: int
    qtype: str
    options: int  # 2 for true/false


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "page carries a CSRF token"
    return match.group(1)


def paper_of(html: str) -> list[PaperItem]:
    items = []
    for chunk in html.split('<section class="card question')[1:]:
        chunk = chunk.split("</section>")[0]
        match = re.search(r'data-item-id="(\d+)" data-qtype="(\w+)"', chunk)
        assert match, "each question carries its id and type"
        items.append(PaperItem(int(match.group(1)), match.group(2), chunk.count("<input")))
    return items
