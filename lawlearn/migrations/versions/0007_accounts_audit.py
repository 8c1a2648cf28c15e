"""Passwords that must be changed at next login; audit events carry an area and an address

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_events_area_id'), ['area_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_audit_events_area_id_areas'), 'areas',
                                    ['area_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_events_area_id_areas'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_events_area_id'))
        batch_op.drop_column('address')
        batch_op.drop_column('area_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
