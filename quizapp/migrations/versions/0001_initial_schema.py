"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 17:09:29.980091
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['org_units.id'], name=op.f('fk_org_units_parent_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_units')),
    sa.UniqueConstraint('parent_id', 'name', name=op.f('uq_org_units_parent_id_name')),
    sa.UniqueConstraint('path', name=op.f('uq_org_units_path'))
    )
    op.create_table('topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topics')),
    sa.UniqueConstraint('name', name=op.f('uq_topics_name'))
    )
    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('latest_version', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_questions_topic_id_topics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('code', name=op.f('uq_questions_code'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_topic_id'), ['topic_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('full_name', sa.String(length=64), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('position', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('is_leader', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('cadre', 'trainer', 'admin')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_users_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_org_unit_id'), ['org_unit_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('exams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('pass_mark', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('shuffle_questions', sa.Boolean(), nullable=False),
    sa.Column('shuffle_options', sa.Boolean(), nullable=False),
    sa.Column('review_policy', sa.String(length=16), nullable=False),
    sa.Column('multiple_scoring', sa.String(length=16), nullable=False),
    sa.Column('paper_mode', sa.String(length=8), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('law_study', 'constitution', 'special')", name=op.f('ck_exams_kind')),
    sa.CheckConstraint("multiple_scoring IN ('all_or_nothing', 'partial')", name=op.f('ck_exams_scoring')),
    sa.CheckConstraint("paper_mode IN ('random', 'fixed')", name=op.f('ck_exams_paper_mode')),
    sa.CheckConstraint("review_policy IN ('immediate', 'after_close', 'never')", name=op.f('ck_exams_review')),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_exams_window')),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_exams_duration')),
    sa.CheckConstraint('max_attempts >= 1', name=op.f('ck_exams_max_attempts')),
    sa.CheckConstraint('pass_mark >= 0', name=op.f('ck_exams_pass_mark')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_exams_created_by_id_users')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['org_units.id'], name=op.f('fk_exams_owner_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exams'))
    )
    op.create_table('question_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('qtype', sa.String(length=16), nullable=False),
    sa.Column('stem', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('basis', sa.JSON(), nullable=False),
    sa.Column('difficulty', sa.Integer(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("qtype IN ('single', 'multiple', 'true_false')", name=op.f('ck_question_versions_qtype')),
    sa.CheckConstraint('difficulty BETWEEN 1 AND 3', name=op.f('ck_question_versions_difficulty')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_versions_question_id_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_versions')),
    sa.UniqueConstraint('question_id', 'version_no', name=op.f('uq_question_versions_question_id_version_no'))
    )
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_versions_question_id'), ['question_id'], unique=False)

    op.create_table('wrong_book_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('wrong_count', sa.Integer(), nullable=False),
    sa.Column('last_wrong_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_wrong_book_entries_question_id_questions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_wrong_book_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wrong_book_entries')),
    sa.UniqueConstraint('user_id', 'question_id', name=op.f('uq_wrong_book_entries_user_id_question_id'))
    )
    with op.batch_alter_table('wrong_book_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wrong_book_entries_user_id'), ['user_id'], unique=False)

    op.create_table('attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempt_no', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('last_saved_at', sa.DateTime(), nullable=True),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.CheckConstraint("status IN ('in_progress', 'submitted', 'expired')", name=op.f('ck_attempts_status')),
    sa.CheckConstraint('deadline > started_at', name=op.f('ck_attempts_deadline')),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_attempts_exam_id_exams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attempts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempts')),
    sa.UniqueConstraint('exam_id', 'user_id', 'attempt_no', name=op.f('uq_attempts_exam_id_user_id_attempt_no'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempts_exam_id'), ['exam_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_attempts_one_open', ['exam_id', 'user_id'], unique=True, sqlite_where=sa.text("status = 'in_progress'"), postgresql_where=sa.text("status = 'in_progress'"))

    op.create_table('exam_fixed_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.CheckConstraint('points > 0', name=op.f('ck_exam_fixed_questions_points')),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_fixed_questions_exam_id_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_exam_fixed_questions_question_id_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_fixed_questions')),
    sa.UniqueConstraint('exam_id', 'question_id', name=op.f('uq_exam_fixed_questions_exam_id_question_id'))
    )
    op.create_table('exam_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('qtype', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.CheckConstraint('count >= 1', name=op.f('ck_exam_rules_count')),
    sa.CheckConstraint('points > 0', name=op.f('ck_exam_rules_points')),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_rules_exam_id_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_exam_rules_topic_id_topics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_rules')),
    sa.UniqueConstraint('exam_id', 'position', name=op.f('uq_exam_rules_exam_id_position'))
    )
    op.create_table('exam_units',
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_units_exam_id_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_exam_units_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('exam_id', 'org_unit_id', name=op.f('pk_exam_units'))
    )
    op.create_table('exemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exemptions_exam_id_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exemptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemptions')),
    sa.UniqueConstraint('exam_id', 'user_id', name=op.f('uq_exemptions_exam_id_user_id'))
    )
    op.create_table('practice_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('response', sa.String(length=8), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_version_id'], ['question_versions.id'], name=op.f('fk_practice_answers_question_version_id_question_versions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_answers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_answers'))
    )
    with op.batch_alter_table('practice_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_answers_user_id'), ['user_id'], unique=False)

    op.create_table('attempt_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('option_order', sa.JSON(), nullable=False),
    sa.Column('points', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('earned', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_attempt_items_attempt_id_attempts')),
    sa.ForeignKeyConstraint(['question_version_id'], ['question_versions.id'], name=op.f('fk_attempt_items_question_version_id_question_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_items')),
    sa.UniqueConstraint('attempt_id', 'position', name=op.f('uq_attempt_items_attempt_id_position'))
    )
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_items_attempt_id'), ['attempt_id'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_item_id', sa.Integer(), nullable=False),
    sa.Column('response', sa.String(length=8), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_item_id'], ['attempt_items.id'], name=op.f('fk_answers_attempt_item_id_attempt_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('attempt_item_id', name=op.f('uq_answers_attempt_item_id'))
    )


def downgrade() -> None:
    op.drop_table('answers')
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_items_attempt_id'))

    op.drop_table('attempt_items')
    with op.batch_alter_table('practice_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_answers_user_id'))

    op.drop_table('practice_answers')
    op.drop_table('exemptions')
    op.drop_table('exam_units')
    op.drop_table('exam_rules')
    op.drop_table('exam_fixed_questions')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_attempts_one_open', sqlite_where=sa.text("status = 'in_progress'"), postgresql_where=sa.text("status = 'in_progress'"))
        batch_op.drop_index(batch_op.f('ix_attempts_user_id'))
        batch_op.drop_index(batch_op.f('ix_attempts_exam_id'))

    op.drop_table('attempts')
    with op.batch_alter_table('wrong_book_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wrong_book_entries_user_id'))

    op.drop_table('wrong_book_entries')
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_versions_question_id'))

    op.drop_table('question_versions')
    op.drop_table('exams')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_org_unit_id'))

    op.drop_table('users')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_topic_id'))

    op.drop_table('questions')
    op.drop_table('topics')
    op.drop_table('org_units')
