"""Targets (目标任务): how many units of each kind the county expects in an area in a year, and
how far the registered units go towards them. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lawlearn.audit import record
from lawlearn.extensions import db
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Area, Target
from lawlearn.period_locks import PeriodLocked, locked_in_year


def set_target(*, area: Area, year: int, kind: str, target: int, actor=None) -> Target:
    """Create or change the target for (area, year, kind): the key is unique, so setting it
    again updates it. Raises PeriodLocked when the year is locked for the area (the rule is
    lawlearn.period_locks.locked_in_year: any lock in force of that year on the area or an
    ancestor locks its targets of the year)."""
    refuse_locked_year(area, year)
    found = db.session.scalar(sa.select(Target).where(
        Target.area_id == area.id, Target.year == year, Target.kind == kind))
    if found is None:
        found = Target(area_id=area.id, year=year, kind=kind, target=target)
        db.session.add(found)
        db.session.flush()
        record(actor, "create", found, changes=_describe(area, year, kind, target))
    elif found.target != target:
        record(actor, "update", found, changes={**_describe(area, year, kind, target),
                                                "target": [found.target, target]})
        found.target = target
    return found


def refuse_locked_year(area: Area, year: int) -> None:
    if (lock := locked_in_year(db.session, area, year)) is not None:
        raise PeriodLocked(lock)


def remove_target(target: Target, actor=None) -> None:
    refuse_locked_year(target.area, target.year)
    record(actor, "delete", target, changes=_describe(target.area, target.year, target.kind,
                                                      target.target))
    db.session.delete(target)


def _describe(area: Area, year: int, kind: str, target: int) -> dict:
    return {"area": area.code, "year": year, "kind": kind, "target": target}


@dataclass(frozen=True)
class Band:
    """How close an area is to a target. Colour alone would fail colour-blind readers and
    black-and-white printers, so every band also has a symbol and a word."""

    name: str        # met | near | behind: the CSS class
    symbol: str
    label: object    # lazy text in the user's language


MET = Band("met", "✓", _l("Target met"))
NEAR = Band("near", "▲", _l("Close to target"))
BEHIND = Band("behind", "✗", _l("Behind target"))


def band(achieved: int, target: int) -> Band:
    """≥ 100% met, 80–99% near, < 80% behind. Whole-number arithmetic: 4 of 5 is exactly 80%,
    with no floating-point doubt at the edges. A target of 0 is met by definition."""
    if achieved >= target:
        return MET
    if achieved * 100 >= target * 80:
        return NEAR
    return BEHIND


def achievement(achieved: int, target: int) -> dict:
    return {"achieved": achieved, "target": target,
            "share": achieved / target if target else None, "band": band(achieved, target)}
