"""The question bank as trainers keep it: find, read, write, version, import and export."""
from flask import Blueprint

bp = Blueprint("bank", __name__, url_prefix="/bank")

from . import editor, reports, topics, transfer, views  # noqa: E402,F401
