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
