"""a covering index for the year's item totals; it replaces the plain index on attempt_id
(the unique (attempt_id, position) index and this one both start with attempt_id)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 17:00:00
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_items_attempt_id'))
        batch_op.create_index('ix_attempt_items_totals', ['attempt_id', 'question_version_id', 'earned', 'points'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_items_totals')
        batch_op.create_index(batch_op.f('ix_attempt_items_attempt_id'), ['attempt_id'], unique=False)
