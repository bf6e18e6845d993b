"""What a phone on a weak link downloads: static URLs carry their content's hash (?v=…) and are
cached for a year, and text responses (pages, CSS, scripts, JSON) are sent gzipped."""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, request
from werkzeug.wrappers import Response

ONE_YEAR = 31_536_000
COMPRESSIBLE = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                "image/svg+xml", "text/plain"}
MIN_SIZE = 600  # below this gzip's own header and a round trip's worth of bytes make no difference


def init_assets(app: Flask) -> None:
    folder = Path(app.static_folder or "static")
    versions: dict[str, tuple[int, str]] = {}  # filename -> (mtime_ns, hash)
    gzipped: dict[tuple[str, str], bytes] = {}  # (filename, hash) -> gzipped body

    def version(filename: str) -> str | None:
        """The file's content hash, recomputed only when the file changes on disk."""
        path = folder / filename
        try:
            stamp = path.stat().st_mtime_ns
        except (OSError, ValueError):
            return None
        known = versions.get(filename)
        if known is None or known[0] != stamp:
            known = (stamp, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            versions[filename] = known
        return known[1]

    @app.url_defaults
    def _versioned_static(endpoint: str, values: dict[str, Any]) -> None:
        # A new release changes the URL of every file it changes: a year-long cache never serves
        # an old script to a new page.
        if endpoint == "static" and "filename" in values and "v" not in values:
            current = version(values["filename"])
            if current:
                values["v"] = current

    @app.after_request
    def _cache_and_compress(response: Response) -> Response:
        filename = str((request.view_args or {}).get("filename", "")) if request.endpoint == "static" else ""
        current = version(filename) if filename else None
        if current and request.args.get("v") == current and response.status_code in (200, 304):
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        if not _should_compress(response):
            return response
        if current:  # a static file: compress once per version, not per request
            key = (filename, current)
            if key not in gzipped:
                gzipped[key] = gzip.compress(_body(response), compresslevel=9, mtime=0)
            body = gzipped[key]
        else:
            body = gzip.compress(_body(response), compresslevel=6, mtime=0)
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        response.headers.pop("Accept-Ranges", None)
        etag, _weak = response.get_etag()
        if etag:  # the same entity, other bytes: a weak validator
            response.set_etag(etag, weak=True)
        return response


def _should_compress(response: Response) -> bool:
    if response.mimetype in COMPRESSIBLE:
        response.vary.add("Accept-Encoding")  # caches keep the gzipped and the plain copy apart
    if (response.status_code != 200 or request.method == "HEAD" or response.mimetype not in COMPRESSIBLE
            or "Content-Encoding" in response.headers or not request.accept_encodings["gzip"]):
        return False
    if response.is_streamed and not response.direct_passthrough:
        return False  # a generator (an export written as it goes): left as it streams
    length = response.content_length
    return length is None or length >= MIN_SIZE


def _body(response: Response) -> bytes:
    response.direct_passthrough = False  # send_file's wrapper: read it like any body
    return response.get_data()
