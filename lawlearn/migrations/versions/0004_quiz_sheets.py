"""quiz sheets: paper quizzes drawn once per session and quiz

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-27 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quiz_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_quiz_sheets_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_quiz_sheets_quiz_id_quizzes')),
    sa.ForeignKeyConstraint(['session_id'], ['study_sessions.id'], name=op.f('fk_quiz_sheets_session_id_study_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_sheets')),
    sa.UniqueConstraint('session_id', 'quiz_id', name=op.f('uq_quiz_sheets_session_id_quiz_id'))
    )
    with op.batch_alter_table('quiz_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_sheets_quiz_id'), ['quiz_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quiz_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_sheets_quiz_id'))

    op.drop_table('quiz_sheets')
