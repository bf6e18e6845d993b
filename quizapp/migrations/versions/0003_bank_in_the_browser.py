"""the bank in the browser: 考试专用 and 待核对 questions, version authors, search text and
citations, 题目纠错, exams drawing only 考试专用 questions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 15:00:00
"""
import hashlib
import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


# The rules below are frozen copies of what the bank's code did when this revision was written
# (domain/questions.py): a migration must give the same result whenever it runs, so it does not
# call code that may change later. Only the law texts' quote check is taken from the product, for
# the texts are data and the check (the quote stands word for word in the article) does not change.

def _normalised_basis(basis: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Citations of laws first, other sources after, blanks squeezed: as the editor saves them, so
    the fingerprint here equals the one the bank computes when the same question is imported again."""
    laws, sources = [], []
    for cite in basis or []:
        if "law" in cite:
            quote = re.sub(r"\s*\n\s*", "", str(cite.get("quote") or "")).strip()
            laws.append({"law": cite.get("law"), "article": cite.get("article"), "quote": quote})
        elif source := " ".join(str(cite.get("source") or "").split()):
            sources.append({"source": source})
    return laws + sources


def _search_text(content: dict[str, Any], code: str) -> str:
    parts = [code, content["stem"], *content["options"], content["explanation"], *content["tags"]]
    return "\n".join(str(p) for p in parts).lower()


def _citations(basis: list[dict[str, Any]]) -> str:
    cited = [f"{b['law']}#{b.get('article')}" for b in basis if "law" in b]
    return "|" + "|".join(cited) + "|" if cited else ""


def _review_note(basis: list[dict[str, Any]]) -> str:
    """待核对 for a question whose citation no longer checks out, or that has none."""
    from quizapp.domain.laws import citation_problem  # the law texts: data, see above

    laws = [b for b in basis if "law" in b]
    if not laws and not any("source" in b for b in basis):
        return "未注明法条"
    for cite in laws:
        if (why := citation_problem(cite["law"], cite["article"], cite["quote"])) is not None:
            return why[:200]
    return ""


def upgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('needs_review', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('review_note', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.alter_column('exam_only', server_default=None)
        batch_op.alter_column('needs_review', server_default=None)
        batch_op.alter_column('review_note', server_default=None)
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('citations', sa.String(length=1000), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_question_versions_author_id_users'), 'users', ['author_id'], ['id'])
    # Fill the search text and citations of the versions already there, and take the topic out
    # of their fingerprint: a topic files a question, it no longer makes a version.
    conn = op.get_bind()
    versions = sa.table('question_versions', sa.column('id', sa.Integer), sa.column('question_id', sa.Integer),
                        sa.column('version_no', sa.Integer), sa.column('qtype', sa.String), sa.column('stem', sa.Text), sa.column('options', sa.JSON),
                        sa.column('answer', sa.String), sa.column('explanation', sa.Text),
                        sa.column('difficulty', sa.Integer), sa.column('tags', sa.JSON), sa.column('basis', sa.JSON),
                        sa.column('search_text', sa.Text), sa.column('citations', sa.String),
                        sa.column('content_hash', sa.String))
    questions = sa.table('questions', sa.column('id', sa.Integer), sa.column('code', sa.String),
                         sa.column('latest_version', sa.Integer),
                         sa.column('needs_review', sa.Boolean), sa.column('review_note', sa.String))
    codes = dict(conn.execute(sa.select(questions.c.id, questions.c.code)).all())
    rows = conn.execute(sa.select(versions.c.id, versions.c.question_id, versions.c.version_no, versions.c.qtype, versions.c.stem,
                                  versions.c.options, versions.c.answer, versions.c.explanation,
                                  versions.c.difficulty, versions.c.tags, versions.c.basis)).all()
    notes: dict[tuple[int, int], str] = {}
    for vid, qid, version_no, qtype, stem, options, answer, explanation, difficulty, tags, basis in rows:
        basis = _normalised_basis(basis or [])
        content = {"qtype": qtype, "stem": stem, "options": options or [], "answer": answer,
                   "explanation": explanation, "basis": basis, "difficulty": difficulty, "tags": tags or []}
        payload = json.dumps(content, ensure_ascii=False, sort_keys=True)
        conn.execute(versions.update().where(versions.c.id == vid).values(
            basis=basis, search_text=_search_text(content, codes.get(qid, "")), citations=_citations(basis),
            content_hash=hashlib.sha256(payload.encode("utf-8")).hexdigest()))
        notes[qid, version_no] = _review_note(basis)
    for qid, latest in conn.execute(sa.select(questions.c.id, questions.c.latest_version)).all():
        if note := notes.get((qid, latest)):
            conn.execute(questions.update().where(questions.c.id == qid).values(needs_review=True, review_note=note))
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.alter_column('search_text', server_default=None)
        batch_op.alter_column('citations', server_default=None)
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_only_pool', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.alter_column('exam_only_pool', server_default=None)
    op.create_table('question_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f('ck_question_reports_status')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_reports_question_id_questions')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_question_reports_replied_by_id_users')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_question_reports_reporter_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['question_versions.id'], name=op.f('fk_question_reports_version_id_question_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_reports'))
    )
    with op.batch_alter_table('question_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_reports_question_id'), ['question_id'], unique=False)


def downgrade() -> None:
    op.drop_table('question_reports')
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.drop_column('exam_only_pool')
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_question_versions_author_id_users'), type_='foreignkey')
        batch_op.drop_column('citations')
        batch_op.drop_column('search_text')
        batch_op.drop_column('author_id')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('review_note')
        batch_op.drop_column('needs_review')
        batch_op.drop_column('exam_only')
