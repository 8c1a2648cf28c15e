"""Mixed papers: a quiz whose questions each attempt draws from several banks by a blueprint

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quiz_parts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('paper_id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.CheckConstraint('count >= 1 AND count <= 100', name=op.f('ck_quiz_parts_count')),
        sa.ForeignKeyConstraint(['bank_id'], ['quizzes.id'],
                                name=op.f('fk_quiz_parts_bank_id_quizzes')),
        sa.ForeignKeyConstraint(['paper_id'], ['quizzes.id'], ondelete='CASCADE',
                                name=op.f('fk_quiz_parts_paper_id_quizzes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_parts')),
        sa.UniqueConstraint('paper_id', 'bank_id', name=op.f('uq_quiz_parts_paper_id_bank_id')),
    )
    with op.batch_alter_table('quiz_parts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_parts_bank_id'), ['bank_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quiz_parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_parts_bank_id'))
    op.drop_table('quiz_parts')
