"""法规库: the official texts of the laws the bank cites, and the questions on each article."""
from flask import Blueprint

bp = Blueprint("laws", __name__, url_prefix="/laws")

from . import views  # noqa: E402,F401
