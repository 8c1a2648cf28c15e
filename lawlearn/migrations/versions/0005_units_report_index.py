"""A covering index for the coverage report's count of registered units

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('study_units', schema=None) as batch_op:
        batch_op.drop_index('ix_study_units_area_kind_status')
        batch_op.create_index('ix_study_units_area_status_kind_registered',
                              ['area_id', 'status', 'kind', 'registered_on'], unique=False)


def downgrade():
    with op.batch_alter_table('study_units', schema=None) as batch_op:
        batch_op.drop_index('ix_study_units_area_status_kind_registered')
        batch_op.create_index('ix_study_units_area_kind_status', ['area_id', 'kind', 'status'],
                              unique=False)
