"""Reading the area tree: breadcrumbs, children with unit counts, choices for forms."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import Area, StudyUnit


def ancestors(area: Area) -> list[Area]:
    """The area's ancestors, root first, in one query (the path holds their codes)."""
    codes = area.ancestor_codes
    if not codes:
        return []
    found = {a.code: a for a in db.session.scalars(sa.select(Area).where(Area.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def unit_counts_by_child(children: list[Area]) -> dict[int, dict[str, int]]:
    """{child id: {kind: active units in its subtree, "total": n}} in one aggregate query.

    Each unit's area path starts with the path of exactly one of the children, so joining on
    that prefix groups every unit under its child without walking the tree.
    """
    if not children:
        return {}
    child = sa.orm.aliased(Area)
    below = sa.orm.aliased(Area)
    rows = db.session.execute(
        sa.select(child.id, StudyUnit.kind, sa.func.count(StudyUnit.id))
        .join(below, below.path.startswith(child.path))
        .join(StudyUnit, StudyUnit.area_id == below.id)
        .where(child.id.in_([c.id for c in children]), StudyUnit.status == "active")
        .group_by(child.id, StudyUnit.kind)
    ).all()
    counts: dict[int, dict[str, int]] = {c.id: {"total": 0} for c in children}
    for child_id, kind, n in rows:
        counts[child_id][kind] = n
        counts[child_id]["total"] += n
    return counts


def roots_in_scope() -> list[Area]:
    """Where the tree starts for the signed-in user: their area, or every county."""
    root = scope.scope_root()
    if root is not None:
        return [root]
    return list(db.session.scalars(
        sa.select(Area).where(Area.parent_id.is_(None), scope.area_filter()).order_by(Area.code)
    ))


def area_choices(levels: tuple[str, ...], active_only: bool = True) -> list[tuple[int, str]]:
    """(id, label) of the areas at `levels` the user may see, labelled with their town so two
    villages of the same name in different towns can be told apart."""
    parent = sa.orm.aliased(Area)
    stmt = (
        sa.select(Area.id, Area.name, Area.code, parent.name)
        .outerjoin(parent, Area.parent_id == parent.id)
        .where(Area.level.in_(levels), scope.area_filter())
        .order_by(Area.path)
    )
    if active_only:
        stmt = stmt.where(Area.active)
    return [(id_, f"{pname} / {name}（{code}）" if pname else f"{name}（{code}）")
            for id_, name, code, pname in db.session.execute(stmt)]
