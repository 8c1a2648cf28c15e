"""Quantitative assessment of towns (定量考核): schemes, entries, published results

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'assessment_schemes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('document', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_assessment_schemes_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_schemes')),
        sa.UniqueConstraint('year', name=op.f('uq_assessment_schemes_year')),
    )
    op.create_table(
        'assessment_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('item', sa.String(length=32), nullable=False),
        sa.Column('value', sa.String(length=32), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('claimed', sa.String(length=32), nullable=True),
        sa.Column('review_reason', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('recorded', 'self_assessed', 'accepted', 'adjusted')",
                           name=op.f('ck_assessment_entries_status')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_assessment_entries_area_id_areas')),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'],
                                name=op.f('fk_assessment_entries_reviewed_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_assessment_entries_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_entries')),
        sa.UniqueConstraint('area_id', 'year', 'item',
                            name=op.f('uq_assessment_entries_area_id_year_item')),
    )
    op.create_table(
        'assessment_publications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('results', sa.JSON(), nullable=False),
        sa.Column('scheme', sa.JSON(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['published_by_id'], ['users.id'],
                                name=op.f('fk_assessment_publications_published_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_publications')),
        sa.UniqueConstraint('year', name=op.f('uq_assessment_publications_year')),
    )
    with op.batch_alter_table('assessment_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_entries_area_id'), ['area_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('assessment_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_entries_area_id'))
    op.drop_table('assessment_publications')
    op.drop_table('assessment_entries')
    op.drop_table('assessment_schemes')
