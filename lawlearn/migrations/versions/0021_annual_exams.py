"""Annual exams: an exam over a window for a roster, its candidates and sittings

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'exams',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('quiz_id', sa.Integer(), nullable=False),
        sa.Column('pass_score', sa.Integer(), nullable=False),
        sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=True),
        sa.Column('roster_units', sa.JSON(), nullable=False),
        sa.Column('roster_areas', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('pass_score >= 1 AND pass_score <= 100',
                           name=op.f('ck_exams_pass_score')),
        sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_exams_window')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_exams_area_id_areas')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_exams_created_by_id_users')),
        sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'],
                                name=op.f('fk_exams_quiz_id_quizzes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exams')),
        sa.UniqueConstraint('token', name=op.f('uq_exams_token')),
    )
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exams_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exams_quiz_id'), ['quiz_id'], unique=False)

    op.create_table(
        'exam_candidates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.CheckConstraint("source IN ('roster', 'person')",
                           name=op.f('ck_exam_candidates_source')),
        sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], ondelete='CASCADE',
                                name=op.f('fk_exam_candidates_exam_id_exams')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_exam_candidates_person_id_people')),
        sa.ForeignKeyConstraint(['unit_id'], ['study_units.id'],
                                name=op.f('fk_exam_candidates_unit_id_study_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_candidates')),
        sa.UniqueConstraint('exam_id', 'person_id',
                            name=op.f('uq_exam_candidates_exam_id_person_id')),
    )
    with op.batch_alter_table('exam_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_candidates_person_id'), ['person_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_exam_candidates_unit_id'), ['unit_id'],
                              unique=False)

    op.create_table(
        'exam_sittings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exam_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('seq IN (1, 2)', name=op.f('ck_exam_sittings_seq')),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'],
                                name=op.f('fk_exam_sittings_attempt_id_attempts')),
        sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], ondelete='CASCADE',
                                name=op.f('fk_exam_sittings_exam_id_exams')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_exam_sittings_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_sittings')),
        sa.UniqueConstraint('attempt_id', name=op.f('uq_exam_sittings_attempt_id')),
        sa.UniqueConstraint('exam_id', 'person_id', 'seq',
                            name=op.f('uq_exam_sittings_exam_id_person_id_seq')),
    )
    with op.batch_alter_table('exam_sittings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_sittings_person_id'), ['person_id'],
                              unique=False)


def downgrade():
    op.drop_table('exam_sittings')
    op.drop_table('exam_candidates')
    op.drop_table('exams')
