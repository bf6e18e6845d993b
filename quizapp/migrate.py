"""Running Alembic from the app: `quizapp db upgrade` and the test fixtures."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(app: Flask) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = app.extensions["quizapp.engine"]
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.config["DATABASE_URL"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True)
    command.upgrade(alembic_config(app), revision)
