"""Attendance recorded as a walk-in (到场登记) has its own method, not the roster's

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01

"""
from alembic import op

revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None

OLD = "method IN ('roster', 'qr', 'import', 'paper')"
NEW = "method IN ('roster', 'walk_in', 'qr', 'import', 'paper')"


def _replace_check(condition: str) -> None:
    # SQLite cannot alter a CHECK: batch mode copies the table with the new one.
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attendance_method'), type_='check')
        batch_op.create_check_constraint(op.f('ck_attendance_method'), condition)


def upgrade():
    _replace_check(NEW)


def downgrade():
    # Walk-ins become roster marks again: the old check has no other word for them.
    op.execute("UPDATE attendance SET method = 'roster' WHERE method = 'walk_in'")
    _replace_check(OLD)
