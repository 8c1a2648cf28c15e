"""Topic codes up to 40 characters: `anti-domestic-violence` (22) did not fit String(20)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# Every column that holds a law topic code (lawlearn/codes.py TOPICS).
COLUMNS = (("quizzes", "topic"), ("session_topics", "topic"), ("plan_milestone_topics", "topic"))


def upgrade():
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length=20),
                                  type_=sa.String(length=40), existing_nullable=False)


def downgrade():
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length=40),
                                  type_=sa.String(length=20), existing_nullable=False)
