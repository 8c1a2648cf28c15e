"""Review states on study sessions (submitted, returned, approved) and the "approved only"
figures of the report's summaries

Every existing study session was counted as it stood, so it becomes approved, and the approved
figures start equal to the ones kept so far: copied here, no rebuild needed.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('study_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sa.String(length=10), nullable=False,
                                      server_default='approved'))
        batch_op.add_column(sa.Column('return_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_study_sessions_reviewed_by_id_users'),
                                    'users', ['reviewed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(
            batch_op.f('ck_study_sessions_review_state'),
            "review_state IN ('submitted', 'returned', 'approved')")
        batch_op.create_index('ix_study_sessions_review_state_unit',
                              ['review_state', 'unit_id'], unique=False)
    with op.batch_alter_table('area_month_stats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_sessions', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('approved_attendances', sa.Integer(), nullable=False,
                                      server_default='0'))
    op.execute("UPDATE area_month_stats SET approved_sessions = sessions, "
               "approved_attendances = attendances")
    for base, approved in (('attend', 'attend_a'), ('unit', 'unit_a')):
        op.execute(
            "INSERT INTO ledger_masks (scope, area_id, year, entity_id, months, kind, weight) "
            f"SELECT '{approved}', area_id, year, entity_id, months, kind, weight "
            f"FROM ledger_masks WHERE scope = '{base}'")
        op.execute(
            "INSERT INTO ledger_ranges (scope, area_id, year, first_month, last_month, kind, "
            "entities, weight) "
            f"SELECT '{approved}', area_id, year, first_month, last_month, kind, entities, "
            f"weight FROM ledger_ranges WHERE scope = '{base}'")


def downgrade():
    op.execute("DELETE FROM ledger_ranges WHERE scope IN ('attend_a', 'unit_a')")
    op.execute("DELETE FROM ledger_masks WHERE scope IN ('attend_a', 'unit_a')")
    with op.batch_alter_table('area_month_stats', schema=None) as batch_op:
        batch_op.drop_column('approved_attendances')
        batch_op.drop_column('approved_sessions')
    with op.batch_alter_table('study_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_study_sessions_review_state_unit')
        batch_op.drop_constraint(batch_op.f('ck_study_sessions_review_state'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_study_sessions_reviewed_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('return_reason')
        batch_op.drop_column('review_state')
