"""Configuration objects. SQLite under instance/ by default; DATABASE_URL overrides."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """A stable secret per installation, kept in instance/ so restarts keep sessions valid."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


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
    FROM_ENVIRONMENT = {"EXCELLENT_PERCENT": int, "STATS_TARGET_PERCENT": int, "BANK_IMPORT_MAX_MB": int}

    @classmethod
    def resolve(cls, instance_path: Path) -> dict:
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        for key, kind in cls.FROM_ENVIRONMENT.items():
            if (raw := os.environ.get(key)) is not None:
                try:
                    values[key] = kind(raw)
                except ValueError:
                    raise RuntimeError(f"环境变量 {key} 的值“{raw}”无效") from None
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
    WTF_CSRF_ENABLED = True
