"""The question bank as trainers see it."""
from flask import Blueprint

bp = Blueprint("bank", __name__, url_prefix="/bank")

from . import views  # noqa: E402,F401
