"""quizapp — 学法用法考试与培训平台."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from .config import Config


def create_app(config: type[Config] | None = None, **overrides: Any) -> Flask:
    """The app factory: config, db, login, csrf, blueprints, cli, errors — nothing else."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_relative_config=True)
    app.config.from_mapping((config or Config).resolve(Path(app.instance_path)))
    app.config.update(overrides)

    from . import cli, db
    from .web import init_web

    db.init_app(app)
    init_web(app)
    cli.init_app(app)
    return app
