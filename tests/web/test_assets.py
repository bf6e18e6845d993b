"""What a phone on a weak link downloads: versioned static URLs cached for a year, gzipped text,
no Bootstrap script, deferred scripts, the login errors tied to their fields."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from ..conftest import csrf_from, login

STATIC = Path(__file__).resolve().parents[2] / "static"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_static_urls_carry_their_content_hash_and_are_cached_for_a_year(client) -> None:
    urls = asset_urls(client.get("/login").text)
    css = next(u for u in urls if u.startswith("/static/css/app.css"))
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", css)
    response = client.get(css)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data() == (STATIC / "css/app.css").read_bytes()
    # An old page asking for an old version gets today's file, and no promise that it will last.
    stale = client.get("/static/css/app.css?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    assert "immutable" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_text_is_sent_gzipped_to_a_browser_that_takes_it(client) -> None:
    css = next(u for u in asset_urls(client.get("/login").text) if "bootstrap.used.min.css" in u)
    plain = client.get(css)
    assert "Content-Encoding" not in plain.headers
    packed = client.get(css, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 5
    page = client.get("/login", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    assert "登录" in gzip.decompress(page.get_data()).decode()


def test_downloads_are_left_as_they_are(client, world) -> None:
    login(client, "trainer")
    workbook = client.get("/bank/import/template.xlsx", headers=GZIP)
    assert workbook.status_code == 200 and "Content-Encoding" not in workbook.headers
    assert workbook.get_data()[:2] == b"PK"


def test_pages_load_no_bootstrap_script_and_defer_their_own(client, world) -> None:
    login(client, "cadre1")
    html = client.get("/exams").text
    assert "bootstrap.bundle" not in html
    scripts = re.findall(r"<script [^>]*>", html)
    assert [s for s in scripts if "text-size.js" not in s and " defer" not in s] == []


def test_a_wrong_password_is_read_out_with_the_field(client, world) -> None:
    token = csrf_from(client.get("/login").text)
    html = client.post("/login", data={"username": "cadre1", "password": "nope-nope", "csrf_token": token}).text
    field = re.search(r'<input[^>]*id="password"[^>]*>', html).group(0)
    assert 'aria-describedby="password-error"' in field and 'aria-invalid="true"' in field
    assert re.search(r'id="password-error">.*账号或密码不正确', html, re.S)
