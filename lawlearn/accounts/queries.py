"""Finding the study units a new leader account will lead: by town, then by name or code, a
page of them at a time (a county has thousands; the old form listed every one)."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import Area, StudyUnit

SHOWN = 30


def unit_search(town: Area | None, q: str) -> tuple[list[tuple[StudyUnit, str]], int]:
    """Active units in the user's scope, within `town` when given, whose name holds `q` or
    whose code starts with it: the first SHOWN of them with their area's name, and how many
    match in all."""
    where = [scope.unit_filter(), StudyUnit.status == "active"]
    if town is not None:
        where.append(Area.path.startswith(town.path, autoescape=True))
    if q:
        where.append(sa.or_(StudyUnit.name.contains(q, autoescape=True),
                            StudyUnit.code.startswith(q, autoescape=True)))
    matching = sa.select(StudyUnit, Area.name).join(StudyUnit.area).where(*where)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        matching.with_only_columns(StudyUnit.id).subquery()))
    found = db.session.execute(matching.order_by(StudyUnit.code).limit(SHOWN)).all()
    return [(unit, area_name) for unit, area_name in found], total


def chosen_units(ids: list[int]) -> list[tuple[StudyUnit, str]]:
    """The active units among `ids` the user may give a leader, with their area's name; any
    other id is simply not there (and then not a valid choice)."""
    if not ids:
        return []
    return [(unit, area_name) for unit, area_name in db.session.execute(
        sa.select(StudyUnit, Area.name).join(StudyUnit.area)
        .where(StudyUnit.id.in_(ids[:200]), scope.unit_filter(), StudyUnit.status == "active")
        .order_by(StudyUnit.code))]
