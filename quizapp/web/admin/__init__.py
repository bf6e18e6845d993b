"""The admin's side: the unit tree, the roster of people and their accounts, roster imports."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit, people, roster, units  # noqa: E402,F401
