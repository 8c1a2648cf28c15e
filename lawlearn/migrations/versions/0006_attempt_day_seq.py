"""Number each person's online attempts at a quiz per day, so the daily limit is a unique key

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Existing online attempts are numbered in the order they were started. A day that already holds
more attempts than its quiz allows (the race this revision closes) keeps them, numbered on.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_seq', sa.Integer(), nullable=True))
    # A window function numbers them in one statement on SQLite (3.25+) and PostgreSQL alike.
    op.execute("""
        UPDATE attempts SET day_seq = (
            SELECT numbered.seq FROM (
                SELECT id, ROW_NUMBER() OVER (PARTITION BY quiz_id, person_id, taken_on
                                              ORDER BY started_at, id) AS seq
                FROM attempts WHERE method = 'online') AS numbered
            WHERE numbered.id = attempts.id)
        WHERE method = 'online'
    """)
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_attempts_day_seq'), "day_seq IS NULL OR (method = 'online' AND day_seq BETWEEN 1 AND 100)")
        batch_op.create_unique_constraint(
            batch_op.f('uq_attempts_quiz_id_person_id_taken_on_day_seq'),
            ['quiz_id', 'person_id', 'taken_on', 'day_seq'])


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_attempts_quiz_id_person_id_taken_on_day_seq'),
                                 type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_attempts_day_seq'), type_='check')
        batch_op.drop_column('day_seq')
