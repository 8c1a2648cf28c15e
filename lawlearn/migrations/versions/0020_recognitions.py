"""Recognised study units (学法示范户 / 示范班组 / 示范楼栋): nomination, review, approval for a
year, revocation and renewal

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

USERS = ("nominated_by_id", "town_reviewed_by_id", "approved_by_id", "rejected_by_id",
         "revoked_by_id")


def upgrade():
    op.create_table(
        'recognitions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('statement', sa.Text(), nullable=True),
        sa.Column('previous_id', sa.Integer(), nullable=True),
        sa.Column('nominated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('nominated_by_id', sa.Integer(), nullable=True),
        sa.Column('town_reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('town_reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('town_note', sa.Text(), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('approved_on', sa.Date(), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('rejected_by_id', sa.Integer(), nullable=True),
        sa.Column('reject_stage', sa.String(length=8), nullable=True),
        sa.Column('reject_reason', sa.Text(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_on', sa.Date(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('revoke_reason', sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('nominated', 'town_reviewed', 'rejected', 'approved', "
                           "'revoked')", name=op.f('ck_recognitions_status')),
        sa.CheckConstraint("reject_stage IS NULL OR reject_stage IN ('town', 'county')",
                           name=op.f('ck_recognitions_reject_stage')),
        sa.ForeignKeyConstraint(['unit_id'], ['study_units.id'],
                                name=op.f('fk_recognitions_unit_id_study_units')),
        sa.ForeignKeyConstraint(['previous_id'], ['recognitions.id'], ondelete='SET NULL',
                                name=op.f('fk_recognitions_previous_id_recognitions')),
        *(sa.ForeignKeyConstraint([column], ['users.id'], ondelete='SET NULL',
                                  name=op.f(f'fk_recognitions_{column}_users'))
          for column in USERS),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions')),
    )
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognitions_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('ix_recognitions_year_status', ['year', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_index('ix_recognitions_year_status')
        batch_op.drop_index(batch_op.f('ix_recognitions_unit_id'))
    op.drop_table('recognitions')
