"""Practice (学法) by topic and type, and the 错题本."""
from flask import Blueprint

bp = Blueprint("practice", __name__, url_prefix="/practice")

from . import views  # noqa: E402,F401
