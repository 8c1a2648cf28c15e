"""County-wide activities (touring exhibitions, touring talks, on-site visits, rotational
training): the activity, its stops (each a study session), the lecturer pool, visiting units
and cohorts

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'county_activities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('completion_percent', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('exhibition', 'touring_talk', 'site_visit', "
                           "'rotational_training')", name=op.f('ck_county_activities_kind')),
        sa.CheckConstraint('completion_percent BETWEEN 1 AND 100',
                           name=op.f('ck_county_activities_completion_percent')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_county_activities_area_id_areas')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_county_activities_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_county_activities')),
    )
    with op.batch_alter_table('county_activities', schema=None) as batch_op:
        batch_op.create_index('ix_county_activities_area_id_year', ['area_id', 'year'],
                              unique=False)

    op.create_table(
        'lecturers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('topics', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'],
                                name=op.f('fk_lecturers_area_id_areas')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lecturers')),
        sa.UniqueConstraint('area_id', 'name', name=op.f('uq_lecturers_area_id_name')),
    )
    with op.batch_alter_table('lecturers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lecturers_area_id'), ['area_id'], unique=False)

    op.create_table(
        'activity_stops',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('study_session_id', sa.Integer(), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('visitors', sa.Integer(), nullable=False),
        sa.Column('lecturer_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('visitors >= 0', name=op.f('ck_activity_stops_visitors')),
        sa.ForeignKeyConstraint(['activity_id'], ['county_activities.id'], ondelete='CASCADE',
                                name=op.f('fk_activity_stops_activity_id_county_activities')),
        sa.ForeignKeyConstraint(['study_session_id'], ['study_sessions.id'], ondelete='CASCADE',
                                name=op.f('fk_activity_stops_study_session_id_study_sessions')),
        sa.ForeignKeyConstraint(['lecturer_id'], ['lecturers.id'], ondelete='SET NULL',
                                name=op.f('fk_activity_stops_lecturer_id_lecturers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_stops')),
        sa.UniqueConstraint('study_session_id',
                            name=op.f('uq_activity_stops_study_session_id')),
    )
    with op.batch_alter_table('activity_stops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_stops_activity_id'), ['activity_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_activity_stops_lecturer_id'), ['lecturer_id'],
                              unique=False)

    op.create_table(
        'activity_visiting_units',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['activity_id'], ['county_activities.id'], ondelete='CASCADE',
            name=op.f('fk_activity_visiting_units_activity_id_county_activities')),
        sa.ForeignKeyConstraint(['unit_id'], ['study_units.id'],
                                name=op.f('fk_activity_visiting_units_unit_id_study_units')),
        sa.PrimaryKeyConstraint('activity_id', 'unit_id',
                                name=op.f('pk_activity_visiting_units')),
    )
    with op.batch_alter_table('activity_visiting_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_visiting_units_unit_id'), ['unit_id'],
                              unique=False)

    op.create_table(
        'cohort_members',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['county_activities.id'], ondelete='CASCADE',
                                name=op.f('fk_cohort_members_activity_id_county_activities')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_cohort_members_person_id_people')),
        sa.PrimaryKeyConstraint('activity_id', 'person_id', name=op.f('pk_cohort_members')),
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_members_person_id'), ['person_id'],
                              unique=False)


def downgrade():
    for table in ('cohort_members', 'activity_visiting_units', 'activity_stops', 'lecturers',
                  'county_activities'):
        op.drop_table(table)
