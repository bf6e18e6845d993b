from pathlib import Path

import pytest

from quizapp.config import Config


def test_sqlite_under_instance_with_a_kept_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = Config.resolve(tmp_path)
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'quizapp.sqlite3'}"
    assert Config.resolve(tmp_path)["SECRET_KEY"] == first["SECRET_KEY"]  # survives a restart


def test_postgresql_needs_a_shared_secret_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db/quizapp")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config.resolve(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "shared")
    assert Config.resolve(tmp_path)["SECRET_KEY"] == "shared"


def test_statistics_settings_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.config import Config

    monkeypatch.setenv("EXCELLENT_PERCENT", "85")
    assert Config.resolve(tmp_path)["EXCELLENT_PERCENT"] == 85
    monkeypatch.setenv("STATS_TARGET_PERCENT", "很高")
    with pytest.raises(RuntimeError, match="STATS_TARGET_PERCENT"):
        Config.resolve(tmp_path)


def test_security_settings_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    values = Config.resolve(tmp_path)
    assert (values["SESSION_COOKIE_SECURE"], values["REDIS_URL"], values["TRUSTED_PROXIES"]) == (
        True, "redis://cache:6379/0", 1)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "也许")
    with pytest.raises(RuntimeError, match="SESSION_COOKIE_SECURE"):
        Config.resolve(tmp_path)


def test_idle_sessions_must_outlast_the_longest_exam(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "300")
    with pytest.raises(RuntimeError, match="SESSION_IDLE_MINUTES 必须大于最长的考试时长（300 分钟）"):
        Config.resolve(tmp_path)
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "301")
    assert Config.resolve(tmp_path)["SESSION_IDLE_MINUTES"] == 301


def test_the_secret_and_its_folder_are_the_owners_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    Config.resolve(instance)
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert instance.stat().st_mode & 0o777 == 0o700
    (instance / "secret_key").chmod(0o644)  # an install from before this rule
    Config.resolve(instance)
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
