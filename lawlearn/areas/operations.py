"""Changes to the area tree. Callers commit."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn.audit import diff, record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, StudyUnit


class AreaError(ValueError):
    """The change would break the tree; the message says why, in the user's language."""


def retired_parent_message(parent: Area) -> str:
    return _("%(name)s is retired: nothing new can be added under it. Reactivate it first if "
             "it is in use again.", name=parent.name)


def child_path(parent: Area | None, code: str) -> str:
    return (parent.path if parent else "/") + code + "/"


def create_area(*, code: str, name: str, level: str, parent: Area | None,
                employees: int | None = None, industry: str | None = None, actor=None) -> Area:
    area = Area(code=code, name=name, level=level, parent=parent, path=child_path(parent, code),
                employees=employees if level == "enterprise" else None,
                industry=industry if level == "enterprise" else None)
    db.session.add(area)
    db.session.flush()
    record(actor, "create", area, changes={"name": name, "level": level,
                                           "parent": parent.code if parent else None})
    return area


def update_area(area: Area, *, name: str, parent: Area | None, employees: int | None = None,
                industry: str | None = None, actor=None) -> dict:
    values = {"name": name}
    if area.level == "enterprise":
        values.update(employees=employees, industry=industry)
    changes = diff(area, values)
    if parent is not area.parent:
        changes["parent"] = [area.parent.code if area.parent else None,
                             parent.code if parent else None]
        move_area(area, parent)
    if changes:
        record(actor, "update", area, changes=changes)
    return changes


def move_area(area: Area, new_parent: Area | None) -> None:
    """Re-hang `area` and rewrite the paths of its whole subtree in one statement."""
    old_prefix, new_prefix = area.path, child_path(new_parent, area.code)
    area.parent = new_parent
    db.session.flush()
    db.session.execute(
        sa.update(Area)
        .where(Area.path.startswith(old_prefix, autoescape=True))
        .values(path=sa.literal(new_prefix) + sa.func.substr(Area.path, len(old_prefix) + 1))
        .execution_options(synchronize_session=False)
    )
    # The ledger noticed the new parent at the flush (with the old path) and moves the
    # subtree's sums to the new ancestors at commit.
    db.session.expire_all()


def active_units_below(area: Area) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(StudyUnit).join(StudyUnit.area)
        .where(Area.path.startswith(area.path, autoescape=True), StudyUnit.status == "active")
    )


def retire_problem(area: Area) -> str | None:
    """Why `area` cannot be retired yet (what still depends on it), or None: asked by the
    confirmation page before the user presses anything, and again by retire_area."""
    active_children = db.session.scalar(
        sa.select(sa.func.count()).where(Area.parent_id == area.id, Area.active)
    )
    if active_children:
        return _("%(n)d areas under it are still in use: retire them first.", n=active_children)
    if units := active_units_below(area):
        return _("%(n)d registered study units belong to it: retire or move them first.", n=units)
    return None


def retire_area(area: Area, actor=None) -> None:
    """Retire an area that nothing active depends on any more."""
    if problem := retire_problem(area):
        raise AreaError(problem)
    area.active = False
    record(actor, "retire", area)


def reactivate_area(area: Area, actor=None) -> None:
    if area.parent is not None and not area.parent.active:
        raise AreaError(_("Its parent area is retired: reactivate that first."))
    area.active = True
    record(actor, "reactivate", area)
