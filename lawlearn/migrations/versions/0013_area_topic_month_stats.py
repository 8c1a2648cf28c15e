"""The quiz figures of the monthly summaries split by law topic (the report's mean score by law)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

The rows are filled here from the attempts already stored (every area gets the sums of the
leaves below it, as `lawlearn report rebuild` would write them); from then on every write
keeps them, like the other summaries.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('area_topic_month_stats',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('quiz_attempts', sa.Integer(), nullable=False),
    sa.Column('quiz_score_sum', sa.Float(), nullable=False),
    sa.Column('quiz_passes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                            name=op.f('fk_area_topic_month_stats_area_id_areas')),
    sa.PrimaryKeyConstraint('area_id', 'month', 'topic', name=op.f('pk_area_topic_month_stats'))
    )
    bind = op.get_bind()
    month = ("CAST(date_trunc('month', attempts.taken_on) AS date)"
             if bind.dialect.name == "postgresql" else "date(attempts.taken_on, 'start of month')")
    op.execute(f"""
        INSERT INTO area_topic_month_stats
            (area_id, month, topic, quiz_attempts, quiz_score_sum, quiz_passes)
        SELECT above.id, {month}, quizzes.topic, count(attempts.id),
               coalesce(sum(attempts.score), 0),
               coalesce(sum(CASE WHEN attempts.passed THEN 1 ELSE 0 END), 0)
        FROM attempts
        JOIN quizzes ON quizzes.id = attempts.quiz_id
        JOIN study_units ON study_units.id = attempts.unit_id
        JOIN areas AS leaf ON leaf.id = study_units.area_id
        JOIN areas AS above ON substr(leaf.path, 1, length(above.path)) = above.path
        WHERE attempts.score IS NOT NULL
        GROUP BY above.id, {month}, quizzes.topic""")


def downgrade():
    op.drop_table('area_topic_month_stats')
