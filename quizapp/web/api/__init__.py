"""JSON endpoints for the exam and practice pages (CSRF token in the X-CSRFToken header)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import views  # noqa: E402,F401
