"""Finding questions and reading one: everything a cadre sees, plus the key, the legal basis,
where it is used and its history."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ...clock import now, to_local
from ...db import get_session
from ...domain.laws import LAWS
from ...domain.questions import TYPE_LABELS
from ...errors import Conflict, InvalidInput, NotFound
from ...services import bank as bank_service
from ...services import bank_bulk, bank_search, bank_versions, reports, statistics
from ...services.bank_search import BankFilter
from ..access import roles_required
from ..actions import back_to
from ..lazy import prepare_statistics
from ..params import arg_id, arg_page, safe_next
from . import bp

PER_PAGE = 50
# The query keys the list's filters read: only these are carried into the links the page builds
# (url_for reads keys such as _external, _anchor or endpoint itself).
FILTER_KEYS = ("q", "topic", "type", "difficulty", "status", "tag", "law", "article", "flag", "sort")


def filter_args() -> dict[str, str]:
    """The list's filters from the query string, to rebuild its links with."""
    return {key: value for key in FILTER_KEYS if (value := request.args.get(key, ""))}


def bank_filter() -> BankFilter:
    args = request.args
    article = args.get("article", "").strip()
    flagged = args.get("flag") in FLAGS
    status = args.get("status", "active")
    return BankFilter(
        text=args.get("q", "")[:100], topic_id=arg_id("topic"), qtype=args.get("type") or None,
        difficulty=args.get("difficulty", type=int), status=status if status in bank_search.STATUS_LABELS else "active",
        tag=args.get("tag", "")[:32],
        law=args.get("law", "") if args.get("law") in LAWS else "",
        article=int(article) if article.isdigit() else ("序言" if article == "序言" else None),
        codes=flagged_codes(args.get("flag", "")) if flagged else None, sort=args.get("sort", "code"))


FLAGS = {"easy": "过易", "hard": "过难", "negative": "区分度为负"}


def flagged_codes(flag: str) -> frozenset[str]:
    """Questions the item analysis of this year's exams flags: too easy, too hard, negative."""
    prepare_statistics()
    return statistics.flagged_codes(get_session(), current_user.org_unit, to_local(now()).year, now(), FLAGS[flag])


@bp.route("/")
@roles_required("trainer", "admin")
def index() -> str:
    session = get_session()
    f, page = bank_filter(), arg_page()
    rows, total = bank_search.search(session, f, page, PER_PAGE)
    return render_template(
        "bank/index.html", topics=bank_service.list_topics(session), rows=rows, total=total, page=page,
        pages=max(1, -(-total // PER_PAGE)), f=f, args=filter_args(), type_labels=TYPE_LABELS, laws=LAWS,
        sorts=bank_search.SORT_LABELS, statuses=bank_search.STATUS_LABELS, actions=bank_bulk.ACTIONS,
        flags=FLAGS, open_reports=reports.open_count(session, current_user.org_unit))


@bp.route("/questions/<code>")
@roles_required("trainer", "admin")
def question(code: str) -> str:
    session = get_session()
    found = bank_versions.get_question(session, code[:32])
    version = bank_versions.latest(session, found)
    return render_template("bank/question.html", question=found, version=version,
                           history=bank_versions.history(session, found), usage=bank_versions.usage(session, found),
                           reports=reports.of_question(session, found, current_user.org_unit))


@bp.route("/questions/<code>/retire", methods=["POST"])
@roles_required("trainer", "admin")
@back_to("bank.question")
def retire(code: str) -> Response:
    session = get_session()
    found = bank_versions.get_question(session, code[:32])
    retired = request.form.get("retired") == "1"
    bank_versions.set_retired(session, found, retired, current_user, now())
    flash("已停用：不再出现在新试卷和练习中，已有作答不受影响" if retired else "已恢复使用", "success")
    return redirect(url_for("bank.question", code=found.code))


@bp.route("/bulk", methods=["POST"])
@roles_required("trainer", "admin")
def bulk() -> Response:
    """One action on the questions ticked on a page of the list; back to that page."""
    target = safe_next(request.form.get("next")) or url_for("bank.index")
    action = request.form.get("action", "")
    codes = [c[:32] for c in request.form.getlist("codes")[: bank_bulk.MAX_BULK + 1]]
    try:
        changed = bank_bulk.bulk(get_session(), codes, action, current_user, now(), request.form.get("value", "")[:64])
    except (InvalidInput, Conflict, NotFound) as exc:
        get_session().rollback()
        flash(exc.message, "danger")
        return redirect(target)
    label = bank_bulk.ACTIONS[action]
    flash(f"“{label}”：选中 {len(set(codes))} 题，其中 {changed} 题有变化", "success")
    return redirect(target)
