"""The lock list for the county office's page, the coordinators' view and `lawlearn lock list`."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lawlearn.models import Area, PeriodLock


def lock_list(area: Area | None = None, *, in_force_only: bool = False,
              with_ancestors: bool = False, within=None) -> sa.Select:
    """Locks newest first. `area`: the locks on it and its subtree; with `with_ancestors`
    also those of its ancestors (what covers it). `within`: an area-scope filter (a
    coordinator sees their town's and the county's locks that cover it)."""
    stmt = (sa.select(PeriodLock).join(Area, Area.id == PeriodLock.area_id)
            .options(joinedload(PeriodLock.area), joinedload(PeriodLock.locked_by),
                     joinedload(PeriodLock.unlocked_by))
            .order_by(PeriodLock.first_month.desc(), Area.code, PeriodLock.id.desc()))
    if area is not None:
        covering = Area.path.startswith(area.path, autoescape=True)
        if with_ancestors:
            covering = sa.or_(covering, Area.code.in_(area.ancestor_codes))
        stmt = stmt.where(covering)
    if in_force_only:
        stmt = stmt.where(PeriodLock.unlocked_at.is_(None))
    if within is not None:
        stmt = stmt.where(within)
    return stmt
