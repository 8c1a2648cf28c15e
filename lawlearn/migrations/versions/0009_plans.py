"""Stage activity plans: stages, milestones with their rules and filters, and check-offs (销号);
monthly returns (月报)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_plans_area_id_areas')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plans_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_area_id'), ['area_id'], unique=False)

    op.create_table('plan_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_stages_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_stages'))
    )
    with op.batch_alter_table('plan_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_stages_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('stage_position', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('unit_kind', sa.String(length=20), nullable=True),
    sa.Column('min_count', sa.Integer(), nullable=True),
    sa.Column('min_share', sa.Float(), nullable=True),
    sa.CheckConstraint("kind IN ('sessions', 'unit_share', 'manual')", name=op.f('ck_plan_milestones_kind')),
    sa.CheckConstraint('min_count IS NULL OR min_count >= 1', name=op.f('ck_plan_milestones_min_count')),
    sa.CheckConstraint('min_share IS NULL OR (min_share > 0 AND min_share <= 1)', name=op.f('ck_plan_milestones_min_share')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_milestones_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['plan_stages.id'], name=op.f('fk_plan_milestones_stage_id_plan_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_milestones')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_plan_milestones_plan_id_code'))
    )
    with op.batch_alter_table('plan_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_milestones_stage_id'), ['stage_id'], unique=False)

    op.create_table('plan_checkoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_plan_checkoffs_area_id_areas')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_plan_checkoffs_checked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['milestone_id'], ['plan_milestones.id'], name=op.f('fk_plan_checkoffs_milestone_id_plan_milestones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_checkoffs')),
    sa.UniqueConstraint('milestone_id', 'area_id', name=op.f('uq_plan_checkoffs_milestone_id_area_id'))
    )
    with op.batch_alter_table('plan_checkoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_checkoffs_area_id'), ['area_id'], unique=False)

    op.create_table('plan_milestone_formats',
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['plan_milestones.id'], name=op.f('fk_plan_milestone_formats_milestone_id_plan_milestones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('milestone_id', 'format', name=op.f('pk_plan_milestone_formats'))
    )
    op.create_table('plan_milestone_topics',
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['plan_milestones.id'], name=op.f('fk_plan_milestone_topics_milestone_id_plan_milestones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('milestone_id', 'topic', name=op.f('pk_plan_milestone_topics'))
    )
    op.create_table('monthly_returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_monthly_returns_area_id_areas')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_monthly_returns_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_returns')),
    sa.UniqueConstraint('area_id', 'month', name=op.f('uq_monthly_returns_area_id_month'))
    )
    with op.batch_alter_table('monthly_returns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_returns_area_id'), ['area_id'], unique=False)


def downgrade():
    with op.batch_alter_table('monthly_returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_returns_area_id'))

    op.drop_table('monthly_returns')
    op.drop_table('plan_milestone_topics')
    op.drop_table('plan_milestone_formats')
    with op.batch_alter_table('plan_checkoffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_checkoffs_area_id'))

    op.drop_table('plan_checkoffs')
    with op.batch_alter_table('plan_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_milestones_stage_id'))

    op.drop_table('plan_milestones')
    with op.batch_alter_table('plan_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_stages_plan_id'))

    op.drop_table('plan_stages')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_area_id'))

    op.drop_table('plans')
