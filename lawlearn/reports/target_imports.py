"""`lawlearn import targets FILE`: targets from a spreadsheet, upserted by (area, year, kind).

All or nothing like every import: one bad row and nothing is written. Re-importing the same
file changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import codes, validation
from lawlearn.audit import insert_events
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, areas_by_code, chunks
from lawlearn.imports.reader import Column, Row, RowError
from lawlearn.models import Area, Target
from lawlearn.period_locks import LockBook, refusal

COLUMNS = [
    Column("area_code", "区域编码"),
    Column("year", "年度"),
    Column("kind", "类型"),
    Column("target", "目标数"),
]

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _check_row(row: Row, errors: list[RowError]) -> tuple[RowChecker, dict]:
    check = RowChecker(row, errors)
    item = {"area_code": check.code("area_code"), "year": check.count("year"),
            "kind": check.choice("kind", codes.KINDS), "target": check.count("target")}
    if item["year"] is not None and not FIRST_YEAR <= item["year"] <= LAST_YEAR:
        check.error("year", _("A year between %(first)d and %(last)d.", first=FIRST_YEAR,
                              last=LAST_YEAR))
    return check, item


def plan(rows: list[Row], actor=None) -> ImportPlan:
    result = ImportPlan("targets", rows=len(rows))
    if actor is not None and getattr(actor, "user", actor).role != "admin":
        # Targets are the county office's to set; say so once rather than on every row.
        result.errors.append(RowError(1, None, _("Only the county office sets targets.")))
        return result
    checked, first_row = [], {}
    for row in rows:
        check, item = _check_row(row, result.errors)
        key = (item["area_code"], item["year"], item["kind"])
        if check.ok and key in first_row:
            check.error(None, _("This area, year and kind already appear in row %(row)d.",
                                row=first_row[key]))
        elif check.ok:
            first_row[key] = row.number
        checked.append((check, item))
    areas = areas_by_code({i["area_code"] for c, i in checked if c.ok}, actor)
    existing = _existing([a.id for a, _allowed in areas.values()])
    book = LockBook(db.session, years=[i["year"] for c, i in checked if c.ok])
    for check, item in checked:
        area = _check_area(check, item, areas)
        if check.ok and (lock := book.for_year(area.path, item["year"])):
            check.error("year", refusal(lock))  # lawlearn.period_locks.locked_in_year's rule
        if not check.ok:
            continue
        found = existing.get((area.id, item["year"], item["kind"]))
        values = {"area_id": area.id, "year": item["year"], "kind": item["kind"],
                  "target": item["target"], "area_code": area.code}
        if found is None:
            result.creates.append(values)
        elif found.target != item["target"]:
            result.updates.append({**values, "id": found.id,
                                   "changes": {"target": [found.target, item["target"]]}})
        else:
            result.unchanged += 1
    result.errors.sort(key=lambda e: e.row)
    return result



def _existing(area_ids: list[int]) -> dict[tuple[int, int, str], Target]:
    found = {}
    for batch in chunks(area_ids):
        found.update(((t.area_id, t.year, t.kind), t) for t in db.session.scalars(
            sa.select(Target).where(Target.area_id.in_(batch))))
    return found


def _check_area(check: RowChecker, item: dict, areas: dict) -> Area | None:
    if not check.ok:
        return None
    area, allowed = areas.get(item["area_code"], (None, False))
    if area is None or not allowed:  # another county's area reads as one that does not exist
        check.error("area_code", validation.no_area(item["area_code"]))
    elif not area.active:
        check.error("area_code", _("Area %(code)s is retired.", code=area.code))
    return area


def apply(result: ImportPlan, actor=None) -> None:
    creates = [{k: r[k] for k in ("area_id", "year", "kind", "target")} for r in result.creates]
    for batch in chunks(creates):
        db.session.execute(Target.__table__.insert(), batch)
    new_ids = _existing(sorted({r["area_id"] for r in creates}))
    audit = [_event("create", new_ids[(r["area_id"], r["year"], r["kind"])].id, r,
                    {"target": r["target"]}) for r in result.creates]
    for batch in chunks(result.updates):
        db.session.execute(sa.update(Target), [{"id": u["id"], "target": u["target"]}
                                               for u in batch])
    audit += [_event("update", u["id"], u, u["changes"]) for u in result.updates]
    insert_events(actor, Target, audit)


def _event(action: str, target_id: int, item: dict, changes: dict) -> tuple:
    return (action, target_id, f"{item['area_code']}/{item['year']}/{item['kind']}",
            {**changes, "via": "import"})
