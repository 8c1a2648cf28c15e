"""Reading recognitions: the list a user may see (scoped through the unit, as every unit
query is), its counts by status, a unit's history, and the coverage report's count of
recognised units per area. Each is one statement whatever the number of rows (the count per
area: two)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import Area, Recognition, StudyUnit


def get_or_404(recognition_id: int) -> Recognition:
    """A recognition the user may see: whoever may see its unit (another town's is a 404)."""
    found = db.session.scalar(
        sa.select(Recognition).join(Recognition.unit)
        .options(contains_eager(Recognition.unit))
        .where(Recognition.id == recognition_id, scope.unit_filter()))
    if found is None:
        from flask import abort

        abort(404)
    return found


def _filtered(stmt: sa.Select, year: int | None, kind: str | None) -> sa.Select:
    if year is not None:
        stmt = stmt.where(Recognition.year == year)
    if kind is not None:
        stmt = stmt.where(StudyUnit.kind == kind)
    return stmt.where(scope.unit_filter())


def recognition_list(year: int | None, status: str | None, kind: str | None) -> sa.Select:
    """Newest year first, then the step each waits on (nominations first), then the area."""
    stmt = (sa.select(Recognition).join(Recognition.unit).join(StudyUnit.area)
            .options(contains_eager(Recognition.unit).contains_eager(StudyUnit.area)))
    if status is not None:
        stmt = stmt.where(Recognition.status == status)
    order = sa.case({"nominated": 0, "town_reviewed": 1, "approved": 2, "revoked": 3,
                     "rejected": 4}, value=Recognition.status, else_=9)
    return _filtered(stmt, year, kind).order_by(Recognition.year.desc(), order, Area.path,
                                                StudyUnit.code, Recognition.id)


def status_counts(year: int | None, kind: str | None) -> dict[str, int]:
    """{status: n} over the same filters as the list, whatever status it shows."""
    stmt = (sa.select(Recognition.status, sa.func.count())
            .join(Recognition.unit).group_by(Recognition.status))
    return dict(db.session.execute(_filtered(stmt, year, kind)).all())


def for_unit(unit: StudyUnit) -> list[Recognition]:
    return list(db.session.scalars(sa.select(Recognition).where(Recognition.unit_id == unit.id)
                                   .order_by(Recognition.year.desc(), Recognition.id.desc())))


def recognised_by_area(area_codes: list[str], year: int) -> dict[str, dict[str, int]]:
    """{area code: {kind: n, "total": n}}: units with an approved (not revoked) recognition for
    `year` in each area's subtree.

    Read from the year's approved recognitions (an index, and tens or hundreds of rows), each
    with its unit's area path, and counted in Python against the asked areas' paths: joining
    every area to its subtree by path prefix first made the database match each asked area's
    pattern against every area of the county, a tenth of the coverage page."""
    if not area_codes:
        return {}
    nodes = dict(db.session.execute(sa.select(Area.code, Area.path)
                                    .where(Area.code.in_(area_codes))).all())
    units = db.session.execute(
        sa.select(Area.path, StudyUnit.kind, StudyUnit.id).distinct()
        .select_from(Recognition).join(StudyUnit, StudyUnit.id == Recognition.unit_id)
        .join(Area, Area.id == StudyUnit.area_id)
        .where(Recognition.year == year, Recognition.status == "approved")).all()
    found: dict[str, dict[str, int]] = {}
    for code, node_path in nodes.items():
        for path, kind, _unit_id in units:
            if path.startswith(node_path):
                cell = found.setdefault(code, {"total": 0})
                cell[kind] = cell.get(kind, 0) + 1
                cell["total"] += 1
    return found


def area_line(area: Area) -> str:
    """Where a unit is, for the plaque and the public page: its area under its town
    (示范县 · 城关镇 · 东村), from the area's ancestors, no person named."""
    from lawlearn.areas.queries import ancestors

    names = [a.name for a in ancestors(area)]
    return " · ".join([*names, area.name])


def renewals_of(recognition: Recognition) -> list[Recognition]:
    """The recognitions renewed from this one (the next year's, at most one live)."""
    return list(db.session.scalars(sa.select(Recognition).where(
        Recognition.previous_id == recognition.id).order_by(Recognition.year)))


def issuer(area: Area) -> str:
    """Who issues the plaque: the RECOGNITION_ISSUER setting, else the county's office named
    after the unit's county (the root of its branch of the tree)."""
    from flask import current_app

    from lawlearn.areas.queries import ancestors
    from lawlearn.i18n import gettext as _

    configured = current_app.config.get("RECOGNITION_ISSUER")
    if configured:
        return configured
    county = next((a for a in [*ancestors(area), area] if a.level == "county"), None)
    return _("Law-popularisation office of %(county)s", county=county.name) if county \
        else _("County law-popularisation office")
