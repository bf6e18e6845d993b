"""Configuration objects. SQLite under instance/ by default; DATABASE_URL overrides."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from .domain.timing import MAX_EXAM_MINUTES


def _secret_key(instance_path: Path) -> str:
    """A stable secret per installation, kept in instance/ so restarts keep sessions valid.
    Only its owner may read it (mode 600, the folder 700): the key forges any session."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
    for path, mode in ((instance_path, 0o700), (key_file, 0o600)):  # an older install's looser modes
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    return key_file.read_text(encoding="utf-8").strip()


def env_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(raw)


class Config:
    """Production-like defaults; values are resolved against the app's instance path."""

    DATABASE_URL: str | None = None  # None: sqlite file under instance/
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    # Long exams: the final submit must pass CSRF even hours after the page was loaded,
    # so the token lives as long as the signed session instead of Flask-WTF's 3600 s default.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set SESSION_COOKIE_SECURE=1 behind HTTPS
    # A session unused this long ends. Longer than the longest exam: an exam page also keeps its
    # session alive (it asks the server for the time every minute).
    SESSION_IDLE_MINUTES = 480
    # Login throttling (Flask-Limiter syntax): refused logins per account and per address; the
    # counts are shared by every worker when REDIS_URL (redis://host:6379/0) is set.
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_IP = "30 per 15 minutes"
    REDIS_URL: str | None = None
    # How many reverse proxies (nginx) stand in front: their X-Forwarded-For names the client.
    TRUSTED_PROXIES = 0
    # China has no daylight saving time; every time a user reads is UTC+8.
    DISPLAY_UTC_OFFSET_HOURS = 8
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # larger bodies get a 413 (raised to fit BANK_IMPORT_MAX_MB)
    # A question-bank file larger than this is refused with a message (browser and CLI).
    BANK_IMPORT_MAX_MB = 10
    # Statistics: the 参考率 a unit should reach (its chart's target line, the report's "units
    # below target"), and the 百分制 score from which a result counts as 优秀.
    STATS_TARGET_PERCENT = 100
    EXCELLENT_PERCENT = 90
    # WTForms' own Chinese catalog for built-in messages (Flask-WTF's i18n needs Flask-Babel).
    WTF_I18N_ENABLED = False
    TESTING = False

    # Settings an install may change from the environment (same name), with their type.
    FROM_ENVIRONMENT: ClassVar[dict[str, Callable[[str], object]]] = {
        "EXCELLENT_PERCENT": int, "STATS_TARGET_PERCENT": int, "BANK_IMPORT_MAX_MB": int,
        "SESSION_COOKIE_SECURE": env_bool, "SESSION_IDLE_MINUTES": int, "REDIS_URL": str,
        "LOGIN_LIMIT_PER_ACCOUNT": str, "LOGIN_LIMIT_PER_IP": str, "TRUSTED_PROXIES": int}

    @classmethod
    def resolve(cls, instance_path: Path) -> dict[str, Any]:
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        for key, kind in cls.FROM_ENVIRONMENT.items():
            if (raw := os.environ.get(key)) is not None:
                try:
                    values[key] = kind(raw)
                except ValueError:
                    raise RuntimeError(f"环境变量 {key} 的值“{raw}”无效") from None
        if values["SESSION_IDLE_MINUTES"] <= MAX_EXAM_MINUTES:
            raise RuntimeError(f"SESSION_IDLE_MINUTES 必须大于最长的考试时长（{MAX_EXAM_MINUTES} 分钟）")
        # Room for a few bank files at the limit, and the form around them.
        values["MAX_CONTENT_LENGTH"] = max(values["MAX_CONTENT_LENGTH"], (values["BANK_IMPORT_MAX_MB"] * 3 + 1) * 1024 * 1024)
        url = os.environ.get("DATABASE_URL") or values["DATABASE_URL"]
        if not url:
            url = f"sqlite:///{instance_path / 'quizapp.sqlite3'}"
        values["DATABASE_URL"] = url
        values.setdefault("SECRET_KEY", None)
        if os.environ.get("SECRET_KEY"):
            values["SECRET_KEY"] = os.environ["SECRET_KEY"]
        if not values["SECRET_KEY"]:
            if not url.startswith("sqlite") and not os.environ.get("SECRET_KEY"):
                # Several app servers share one database; a key made per server would make
                # each server reject the others' session cookies.
                raise RuntimeError("使用 PostgreSQL 部署时必须设置环境变量 SECRET_KEY（各应用服务器相同）")
            values["SECRET_KEY"] = _secret_key(instance_path)
        return values


class TestConfig(Config):
    """For the test-suite: the URL and clock are set by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    # Tests move the clock by days; the ones about idle sessions set their own limit.
    SESSION_IDLE_MINUTES = 60 * 24 * 365
    WTF_CSRF_ENABLED = True
