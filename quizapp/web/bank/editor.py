"""Writing a question in the browser: the form, a live preview as the cadre will see it, the
cited article looked up and the quote checked word for word, a warning for near duplicates."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ...clock import now
from ...db import get_session
from ...domain.laws import LAWS, article_of, article_problem, parse_article, quote_problem
from ...domain.questions import LETTERS, Checked, QuestionDraft, parse_difficulty, parse_tags, validate
from ...models import Question, QuestionVersion, Topic
from ...services import bank_search, bank_versions
from ..access import roles_required
from ..params import arg_id
from . import bp
from .forms import MAX_BASIS_ROWS, QuestionForm

# Where each rule's field shows its message on the form.
FORM_FIELDS = {"topic": "topic", "qtype": "qtype", "stem": "stem", "options": "options", "explanation": "explanation",
               "difficulty": "difficulty", "tags": "tags"}


def draft_from(form: QuestionForm, code: str | None) -> tuple[QuestionDraft, list[str]]:
    """The form as a draft for the one validator, and the basis rows it could not read."""
    qtype = form.qtype.data
    options = [(o or "").strip() for o in form.options.data]  # a missing field reads as None
    while options and not options[-1]:
        options.pop()
    if qtype == "true_false":
        options, answer = [], form.answer_truth.data or None
    else:
        answer = "".join(sorted(form.answer_letters.data or [])) or None
    basis: list[dict[str, object]] = []
    unread: list[str] = []
    for n, row in enumerate(form.basis.entries, 1):
        law, article_text, quote = row.law.data or "", (row.article.data or "").strip(), (row.quote.data or "").strip()
        if not law:
            if article_text or quote:
                unread.append(f"第 {n} 条依据：请选择法律")
            continue
        article = parse_article(article_text)
        if article is None:
            unread.append(f"第 {n} 条依据：条款“{article_text}”无法识别，请写成 17、第十七条 或 序言")
            continue
        basis.append({"law": law, "article": article, "quote": quote})
    if len(form.basis.entries) + len(form.sources.entries) > MAX_BASIS_ROWS:
        unread.append(f"法律依据和其他依据合计最多 {MAX_BASIS_ROWS} 条")
    basis.extend({"source": text} for entry in form.sources.entries if (text := (entry.data or "").strip()))
    draft = QuestionDraft(form.topic.data or "", qtype, form.stem.data or "", tuple(options), answer,
                          form.explanation.data or "", tuple(basis), parse_difficulty(form.difficulty.data),
                          parse_tags(form.tags.data), code)
    return draft, unread


def fill(form: QuestionForm, question: Question, version: QuestionVersion) -> None:
    form.topic.data, form.qtype.data, form.stem.data = question.topic.name, version.qtype, version.stem
    for i, entry in enumerate(form.options.entries):
        entry.data = version.options[i] if i < len(version.options) else ""
    if version.qtype == "true_false":
        form.answer_truth.data = version.answer
    else:
        form.answer_letters.data = list(version.answer)
    form.explanation.data, form.difficulty.data = version.explanation, str(version.difficulty)
    form.tags.data = "、".join(version.tags)
    cited = [b for b in version.basis if "law" in b]
    while len(form.basis.entries) < len(cited):
        form.basis.append_entry()
    for row, cite in zip(form.basis.entries, cited, strict=False):
        row.law.data, row.article.data, row.quote.data = cite["law"], str(cite["article"]), cite["quote"]
    sources = [str(b["source"]) for b in version.basis if "law" not in b]
    while len(form.sources.entries) < len(sources):
        form.sources.append_entry()
    for entry, source in zip(form.sources.entries, sources, strict=False):
        entry.data = source
    form.exam_only.data, form.base_version.data = question.exam_only, str(question.latest_version)


def show_problems(form: QuestionForm, checked: Checked, unread: list[str]) -> list[str]:
    """Each rule's message under its field; what has no field of its own comes back as a list."""
    general = list(unread)
    for name, message in checked.problems:
        if name == "answer":
            target = form.answer_truth if form.qtype.data == "true_false" else form.answer_letters
            target.errors = [*target.errors, message]
        elif name in FORM_FIELDS:
            field = getattr(form, FORM_FIELDS[name])
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            general.append(message)
    return general


def _spare_rows(form: QuestionForm) -> None:
    """One empty basis row and one empty source row after those filled in, to add another."""
    last = form.basis.entries[-1] if form.basis.entries else None
    if last is None or last.law.data or (last.article.data or "").strip() or (last.quote.data or "").strip():
        form.basis.append_entry()
    if not form.sources.entries or (form.sources.entries[-1].data or "").strip():
        form.sources.append_entry()


def _render(form: QuestionForm, question: Question | None, general: list[str], warnings: list[str]) -> str:
    _spare_rows(form)
    topics = get_session().scalars(select(Topic.name).order_by(Topic.id)).all()
    return render_template("bank/edit.html", form=form, question=question, general=general, warnings=warnings,
                           topics=topics, letters=LETTERS, laws=LAWS)


def _save(form: QuestionForm, question: Question | None) -> Response | str:
    session = get_session()
    draft, unread = draft_from(form, question.code if question else None)
    checked = validate(draft)
    if not form.validate() or checked.record is None or unread:
        return _render(form, question, show_problems(form, checked, unread), [])
    warnings = [m for name, m in checked.warnings if name != "law"]
    similar = bank_search.similar_questions(session, checked.record.stem, question.code if question else None)
    if similar:
        warnings.append("题干与 " + "、".join(similar[:5]) + " 相同或相近，请确认不是重复的题目")
    if warnings and not form.confirm.data:
        return _render(form, question, [], warnings)
    marks = [m for _, m in checked.warnings]
    if question is None:
        question = bank_versions.add_question(session, checked.record, current_user, now(), marks, form.exam_only.data)
        message = f"已保存新题 {question.code}"
    else:
        base_version = form.base_version.data or ""
        base = int(base_version) if base_version.isdigit() else -1
        try:
            saved = bank_versions.edit_question(session, question, checked.record, base, current_user, now(), marks,
                                                form.exam_only.data)
        except bank_versions.StaleVersion as exc:
            # Keep what was typed; a second save, once the trainer has read the other change,
            # builds on the version that stands now.
            form.base_version.data = str(exc.current)
            return _render(form, question, [
                f"这道题已被他人修改（现为第 {exc.current} 版，您编辑的是第 {exc.base} 版）。您填写的内容保留在下面："
                "请先在题目页面的“修改历史”中查看对方改了什么，确认后再次保存，将以您填写的内容生成新版本。"], [])
        message = f"已保存为第 {saved.version_no} 版" if saved else "已保存（题目内容没有变化，没有生成新版本）"
    flash(message + ("；已标为“待核对”：" + question.review_note if question.needs_review else ""), "success")
    return redirect(url_for("bank.question", code=question.code))


@bp.route("/questions/new", methods=["GET", "POST"])
@roles_required("trainer", "admin")
def new_question() -> Response | str:
    form = QuestionForm()
    if request.method == "POST":
        return _save(form, None)
    topic_id = arg_id("topic")  # junk or an id past any integer column starts with no topic
    topic = get_session().get(Topic, topic_id) if topic_id else None
    form.topic.data = topic.name if topic else ""
    return _render(form, None, [], [])


@bp.route("/questions/<code>/edit", methods=["GET", "POST"])
@roles_required("trainer", "admin")
def edit_question(code: str) -> Response | str:
    session = get_session()
    question = bank_versions.get_question(session, code[:32])
    form = QuestionForm()
    if request.method == "POST":
        return _save(form, question)
    fill(form, question, bank_versions.latest(session, question))
    return _render(form, question, [], [])


@bp.route("/articles")
@roles_required("trainer", "admin")
def article_lookup() -> Response:
    """The editor's check of one basis row: the article's text, and whether the quote is in it."""
    law = request.args.get("law", "")
    key = parse_article(request.args.get("article", "")[:16])
    quote = request.args.get("quote", "")[:2000]
    if law not in LAWS:
        return jsonify(found=False, problem="请选择法律")
    if key is None:
        return jsonify(found=False, problem="条款请写成 17、第十七条 或 序言")
    if (why := article_problem(law, key)) is not None:
        return jsonify(found=False, problem=why)
    article = article_of(law, key)
    assert article is not None
    quote_why = quote_problem(law, key, quote) if quote.strip() else None
    return jsonify(found=True, label=f"{law}{article.label}", heading=article.heading, text=article.text,
                   quote_ok=bool(quote.strip()) and quote_why is None, quote_problem=quote_why or "",
                   url=url_for("laws.article", name=law, n=str(key)))

