"""Log in, log out, change password (forced on first login)."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401
