"""The trainer's side: compose and schedule exams, follow who has taken them."""
from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from . import lifecycle, roster, views  # noqa: E402,F401
