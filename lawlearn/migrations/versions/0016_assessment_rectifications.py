"""Rectification tasks (整改) for towns graded lowest in a year's published assessment, and
entries' evidence that links to the town's study sessions

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'assessment_rectifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('grade', sa.String(length=50), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('return_reason', sa.Text(), nullable=True),
        sa.Column('filename', sa.String(length=80), nullable=True),
        sa.Column('original_name', sa.String(length=200), nullable=True),
        sa.Column('content_type', sa.String(length=50), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'submitted', 'accepted')",
                           name=op.f('ck_assessment_rectifications_status')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_assessment_rectifications_area_id_areas')),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_assessment_rectifications_submitted_by_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_assessment_rectifications_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_rectifications')),
        sa.UniqueConstraint('area_id', 'year',
                            name=op.f('uq_assessment_rectifications_area_id_year')),
    )
    with op.batch_alter_table('assessment_rectifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_rectifications_area_id'), ['area_id'],
                              unique=False)
    op.create_table(
        'assessment_session_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('study_session_id', sa.Integer(), nullable=False),
        sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('linked_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['entry_id'], ['assessment_entries.id'], ondelete='CASCADE',
                                name=op.f('fk_assessment_session_links_entry_id_assessment_entries')),
        sa.ForeignKeyConstraint(['study_session_id'], ['study_sessions.id'], ondelete='CASCADE',
                                name=op.f('fk_assessment_session_links_study_session_id_study_sessions')),
        sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_assessment_session_links_linked_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_session_links')),
        sa.UniqueConstraint('entry_id', 'study_session_id',
                            name=op.f('uq_assessment_session_links_entry_id_study_session_id')),
    )
    with op.batch_alter_table('assessment_session_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_session_links_entry_id'), ['entry_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_session_links_study_session_id'),
                              ['study_session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment_session_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_session_links_study_session_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_session_links_entry_id'))
    op.drop_table('assessment_session_links')
    with op.batch_alter_table('assessment_rectifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_rectifications_area_id'))
    op.drop_table('assessment_rectifications')
