"""Statistics, the dashboard, the people behind each number, exports and the report section."""
from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/stats")

from . import documents, views  # noqa: E402,F401
