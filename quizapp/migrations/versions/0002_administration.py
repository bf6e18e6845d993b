"""administration: unit kinds, the roster's fields, exemptions with reasons, frozen examinee lists

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 13:30:28.416717
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

CATEGORY_CODES = {
    "公务员": "civil_servant", "参公事业人员": "civil_servant_managed", "事业人员": "public_institution",
    "村（社区）干部": "village_cadre", "村(社区)干部": "village_cadre", "驻村工作队员": "work_team_member",
}
CATEGORIES = "('civil_servant', 'civil_servant_managed', 'public_institution', 'village_cadre', " \
             "'work_team_member', 'other')"


def upgrade() -> None:
    op.create_table('stashed_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_stashed_files_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stashed_files')),
    sa.UniqueConstraint('token', name=op.f('uq_stashed_files_token'))
    )
    with op.batch_alter_table('stashed_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stashed_files_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stashed_files_owner_id'), ['owner_id'], unique=False)
    op.create_table('exam_examinees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('is_leader', sa.Boolean(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('joined_during_window', sa.Boolean(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('extra_attempts', sa.Integer(), nullable=False),
    sa.CheckConstraint(f"category IN {CATEGORIES}", name=op.f('ck_exam_examinees_category')),
    sa.CheckConstraint('extra_attempts >= 0', name=op.f('ck_exam_examinees_extra_attempts')),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_examinees_exam_id_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_exam_examinees_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exam_examinees_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_examinees')),
    sa.UniqueConstraint('exam_id', 'user_id', name=op.f('uq_exam_examinees_exam_id_user_id'))
    )
    with op.batch_alter_table('exam_examinees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_examinees_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted_attempt', sa.String(length=8), nullable=False, server_default='best'))
        batch_op.add_column(sa.Column('roster_mode', sa.String(length=8), nullable=False, server_default='units'))
        batch_op.add_column(sa.Column('roster_frozen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('makeup_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exams_makeup_of_id_exams'), 'exams', ['makeup_of_id'], ['id'])
        batch_op.create_check_constraint('counted_attempt', "counted_attempt IN ('best', 'last')")
        batch_op.create_check_constraint('roster_mode', "roster_mode IN ('units', 'listed')")
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.alter_column('counted_attempt', server_default=None)
        batch_op.alter_column('roster_mode', server_default=None)

    # Exemptions had a free-text reason: it becomes the note, the reason 其他.
    with op.batch_alter_table('exemptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='exempt'))
        batch_op.add_column(sa.Column('note', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE exemptions SET note = substr(reason, 1, 200), reason = 'other'")
    with op.batch_alter_table('exemptions', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=sa.VARCHAR(length=200), type_=sa.String(length=16),
                              existing_nullable=False)
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('note', server_default=None)
        batch_op.alter_column('approved_by', server_default=None)
        batch_op.create_index(batch_op.f('ix_exemptions_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_exemptions_recorded_by_id_users'), 'users', ['recorded_by_id'], ['id'])
        batch_op.create_check_constraint('kind', "kind IN ('exempt', 'deferred')")
        batch_op.create_check_constraint('reason', "reason IN ('retired', 'sick_leave', 'seconded', 'other')")

    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='other'))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('active', server_default=None)
        batch_op.create_check_constraint(
            'kind', "kind IN ('township', 'office', 'station', 'village', 'community', 'work_team', 'other')")

    # 人员类别 was free text: known spellings become codes, anything else 其他.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('left_reason', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    users = sa.table('users', sa.column('category', sa.String), sa.column('active', sa.Boolean),
                     sa.column('left_on', sa.Date), sa.column('left_reason', sa.String),
                     sa.column('created_at', sa.DateTime))
    for label, code in CATEGORY_CODES.items():
        op.execute(users.update().where(users.c.category == label).values(category=code))
    op.execute(users.update().where(users.c.category.not_in(list(CATEGORY_CODES.values())))
               .values(category='other'))
    op.execute(users.update().where(users.c.active.is_(False))
               .values(left_on=sa.func.date(users.c.created_at), left_reason='other'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('category', existing_type=sa.VARCHAR(length=64), type_=sa.String(length=32),
                              existing_nullable=False)
        batch_op.alter_column('phone', server_default=None)
        batch_op.alter_column('session_version', server_default=None)
        batch_op.create_check_constraint('category', f"category IN {CATEGORIES}")
        batch_op.create_check_constraint(
            'left_reason', "left_reason IS NULL OR left_reason IN ('transferred', 'retired', 'other')")
        batch_op.create_check_constraint('left_when', "active OR left_on IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('ck_users_left_when', type_='check')
        batch_op.drop_constraint('ck_users_left_reason', type_='check')
        batch_op.drop_constraint('ck_users_category', type_='check')
        batch_op.alter_column('category', existing_type=sa.String(length=32), type_=sa.VARCHAR(length=64),
                              existing_nullable=False)
        batch_op.drop_column('session_version')
        batch_op.drop_column('left_reason')
        batch_op.drop_column('left_on')
        batch_op.drop_column('phone')
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_constraint('ck_org_units_kind', type_='check')
        batch_op.drop_column('active')
        batch_op.drop_column('kind')
    with op.batch_alter_table('exemptions', schema=None) as batch_op:
        batch_op.drop_constraint('ck_exemptions_reason', type_='check')
        batch_op.drop_constraint('ck_exemptions_kind', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_exemptions_recorded_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_exemptions_user_id'))
        batch_op.alter_column('reason', existing_type=sa.String(length=16), type_=sa.VARCHAR(length=200),
                              existing_nullable=False)
        batch_op.drop_column('recorded_at')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('note')
        batch_op.drop_column('kind')
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.drop_constraint('ck_exams_roster_mode', type_='check')
        batch_op.drop_constraint('ck_exams_counted_attempt', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_exams_makeup_of_id_exams'), type_='foreignkey')
        batch_op.drop_column('makeup_of_id')
        batch_op.drop_column('roster_frozen_at')
        batch_op.drop_column('roster_mode')
        batch_op.drop_column('counted_attempt')
    op.drop_table('exam_examinees')
    op.drop_table('stashed_files')
