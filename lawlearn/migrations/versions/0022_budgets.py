"""Budgets: the county's budget standard per year, allocations to towns and towns'
disbursements with vouchers (issue 13, item 5)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def _who(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ['users.id'], ondelete='SET NULL',
                                   name=op.f(f'fk_{table}_{column}_users'))


def upgrade():
    op.create_table(
        'budget_standards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('household_fen', sa.BigInteger(), nullable=False),
        sa.Column('enterprise_group_fen', sa.BigInteger(), nullable=False),
        sa.Column('building_fen', sa.BigInteger(), nullable=False),
        sa.Column('village_floor_fen', sa.BigInteger(), nullable=False),
        sa.Column('town_floor_fen', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('household_fen >= 0 AND enterprise_group_fen >= 0 AND building_fen >= 0'
                           ' AND village_floor_fen >= 0 AND town_floor_fen >= 0',
                           name=op.f('ck_budget_standards_not_negative')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_budget_standards_area_id_areas')),
        _who('budget_standards', 'updated_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_standards')),
        sa.UniqueConstraint('area_id', 'year', name=op.f('uq_budget_standards_area_id_year')),
    )
    with op.batch_alter_table('budget_standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_standards_area_id'), ['area_id'],
                              unique=False)
    op.create_table(
        'budget_allocations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('amount_fen', sa.BigInteger(), nullable=False),
        sa.Column('allocated_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount_fen > 0', name=op.f('ck_budget_allocations_positive')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_budget_allocations_area_id_areas')),
        _who('budget_allocations', 'created_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_allocations')),
    )
    with op.batch_alter_table('budget_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_allocations_area_id'), ['area_id'],
                              unique=False)
    op.create_table(
        'budget_disbursements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('amount_fen', sa.BigInteger(), nullable=False),
        sa.Column('payee', sa.String(length=100), nullable=False),
        sa.Column('purpose', sa.String(length=200), nullable=False),
        sa.Column('activity', sa.String(length=100), nullable=True),
        sa.Column('study_session_id', sa.Integer(), nullable=True),
        sa.Column('voucher_filename', sa.String(length=80), nullable=False),
        sa.Column('voucher_name', sa.String(length=200), nullable=False),
        sa.Column('voucher_type', sa.String(length=50), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount_fen > 0', name=op.f('ck_budget_disbursements_positive')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_budget_disbursements_area_id_areas')),
        sa.ForeignKeyConstraint(['study_session_id'], ['study_sessions.id'], ondelete='SET NULL',
                                name=op.f('fk_budget_disbursements_study_session_id_study_sessions')),
        _who('budget_disbursements', 'created_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_disbursements')),
    )
    with op.batch_alter_table('budget_disbursements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_disbursements_area_id'), ['area_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_budget_disbursements_study_session_id'),
                              ['study_session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('budget_disbursements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_disbursements_study_session_id'))
        batch_op.drop_index(batch_op.f('ix_budget_disbursements_area_id'))
    op.drop_table('budget_disbursements')
    with op.batch_alter_table('budget_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_allocations_area_id'))
    op.drop_table('budget_allocations')
    with op.batch_alter_table('budget_standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_standards_area_id'))
    op.drop_table('budget_standards')
