"""The cadre's side: my exams, take an exam, see the result."""
from flask import Blueprint

bp = Blueprint("exams", __name__)

from . import views  # noqa: E402,F401
