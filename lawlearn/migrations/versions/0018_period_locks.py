"""Period locks: the county locks a reported month or quarter for an area and its subtree

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'period_locks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('first_month', sa.Date(), nullable=False),
        sa.Column('last_month', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('locked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_by_id', sa.Integer(), nullable=True),
        sa.Column('unlocked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('unlocked_by_id', sa.Integer(), nullable=True),
        sa.Column('unlock_reason', sa.Text(), nullable=True),
        sa.CheckConstraint('first_month <= last_month',
                           name=op.f('ck_period_locks_months_in_order')),
        sa.CheckConstraint("kind IN ('month', 'quarter')", name=op.f('ck_period_locks_kind')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_period_locks_area_id_areas')),
        sa.ForeignKeyConstraint(['locked_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_period_locks_locked_by_id_users')),
        sa.ForeignKeyConstraint(['unlocked_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_period_locks_unlocked_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_period_locks')),
    )
    with op.batch_alter_table('period_locks', schema=None) as batch_op:
        batch_op.create_index('ix_period_locks_area_months',
                              ['area_id', 'first_month', 'last_month'], unique=False)
        batch_op.create_index('ix_period_locks_last_month', ['last_month'], unique=False)


def downgrade():
    with op.batch_alter_table('period_locks', schema=None) as batch_op:
        batch_op.drop_index('ix_period_locks_last_month')
        batch_op.drop_index('ix_period_locks_area_months')
    op.drop_table('period_locks')
