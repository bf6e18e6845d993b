"""Reading a law: the list of laws, one part of a law at a time, a jump to any article."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...db import get_session
from ...domain.laws import LAWS, Law, law, parse_article
from ...services import law_library
from . import bp


def _law_or_404(name: str) -> Law:
    found = law(name) if name in LAWS else None
    if found is None:
        abort(404)
    return found


@bp.route("/")
@login_required
def index() -> str:
    counts = law_library.questions_per_law(get_session(), current_user.is_staff)
    return render_template("laws/index.html", laws=[law(name) for name in LAWS], counts=counts)


@bp.route("/<name>")
@login_required
def read(name: str) -> str:
    found = _law_or_404(name)
    parts = found.parts()
    index = min(max(0, request.args.get("part", 0, type=int)), len(parts) - 1)
    citing = law_library.citing_questions(get_session(), name, current_user.is_staff)
    return render_template("laws/law.html", law=found, parts=parts, index=index, title=parts[index][0],
                           articles=parts[index][1], citing=citing)


@bp.route("/<name>/article")
@login_required
def article(name: str) -> Response:
    """第十七条, 17 or 序言 -> the part of the law that holds it, scrolled to the article."""
    found = _law_or_404(name)
    key = parse_article(request.args.get("n", "")[:16])
    if key is None or key not in found.articles:
        return redirect(url_for("laws.read", name=name, missing=request.args.get("n", "")[:16]))
    index = next(i for i, (_, articles) in enumerate(found.parts()) if any(a.key == key for a in articles))
    return redirect(url_for("laws.read", name=name, part=index or None, _anchor=f"a-{key}"))
