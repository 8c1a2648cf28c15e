"""Evidence binder (台账) jobs: built in the background, downloaded when done

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'binder_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('progress_done', sa.Integer(), nullable=False),
        sa.Column('progress_total', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=80), nullable=True),
        sa.Column('size_bytes', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')",
                           name=op.f('ck_binder_jobs_status')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_binder_jobs_area_id_areas')),
        sa.ForeignKeyConstraint(['unit_id'], ['study_units.id'], ondelete='CASCADE',
                                name=op.f('fk_binder_jobs_unit_id_study_units')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_binder_jobs_requested_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_binder_jobs')),
    )
    with op.batch_alter_table('binder_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_binder_jobs_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_binder_jobs_status_created_at', ['status', 'created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('binder_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_binder_jobs_status_created_at')
        batch_op.drop_index(batch_op.f('ix_binder_jobs_area_id'))
    op.drop_table('binder_jobs')
