"""Reading study units: the filtered, scoped list and a unit's roster."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import scope
from lawlearn.models import Area, Person, RosterMember, StudyUnit


def unit_list(*, kind: str | None = None, status: str | None = "active", area: Area | None = None,
              q: str | None = None) -> sa.Select:
    """The units the user may see, filtered; eager-loads each unit's area so a page of 500
    rows costs the same queries as a page of 5."""
    stmt = (
        sa.select(StudyUnit)
        .join(StudyUnit.area)
        .options(sa.orm.contains_eager(StudyUnit.area))
        .where(scope.unit_filter())
        .order_by(StudyUnit.code)
    )
    if kind:
        stmt = stmt.where(StudyUnit.kind == kind)
    if status:
        stmt = stmt.where(StudyUnit.status == status)
    if area is not None:
        stmt = stmt.where(Area.path.startswith(area.path, autoescape=True))
    if q:
        stmt = stmt.where(sa.or_(
            StudyUnit.name.contains(q, autoescape=True),
            StudyUnit.code.startswith(q, autoescape=True),
            StudyUnit.leader_name.contains(q, autoescape=True),
        ))
    return stmt


def roster(unit: StudyUnit) -> sa.Select:
    return (
        sa.select(RosterMember)
        .join(RosterMember.person)
        .options(sa.orm.contains_eager(RosterMember.person))
        .where(RosterMember.unit_id == unit.id)
        .order_by(Person.name, Person.id)
    )


def suggested_quizzes(kind: str) -> list:
    """The open quizzes whose banks were written for this kind of unit (their `audiences`), for
    the unit page. One query: the bank list is short, so the audience test runs on the rows
    (a JSON list is queried differently by SQLite and PostgreSQL)."""
    from lawlearn.quiz.queries import public_quizzes

    return [quiz for quiz in public_quizzes() if kind in (quiz.audiences or [])]
