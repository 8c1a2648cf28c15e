"""`lawlearn import assessment-entries FILE`: the towns' figures for the scheme's deduction,
bonus, manual and veto items, upserted by (area, year, item) (docs/contracts.md,
"Assessment").

All or nothing like every import, every bad row reported with its row number; a row must name
an item of that year's scheme that takes entries. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from lawlearn import validation
from lawlearn.assessment import operations
from lawlearn.assessment.scheme import ENTRY_KINDS
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, areas_by_code, chunks
from lawlearn.imports.reader import Column, Row, RowError
from lawlearn.models import Area, AssessmentEntry, AssessmentScheme
from lawlearn.models.assessment import RECORDED

COLUMNS = [
    Column("area_code", "区域编码"),
    Column("year", "年度"),
    Column("item", "考核项目"),
    Column("value", "数值"),
    Column("note", "说明", required=False),
]

FIRST_YEAR, LAST_YEAR = 2000, 2100
NOTE_MAX = 500
# Ten digits before the point and four after are more than any count of deductions or
# points; a longer number is a typing slip.
VALUE_MAX = Decimal("9999999999")


def parse_value(raw) -> Decimal | None:
    """A number of 0 or more as typed in a cell or a form (2, 2.5, "1.25"); None if not."""
    if isinstance(raw, bool) or raw is None:
        return None
    text = str(raw).strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > VALUE_MAX or value.as_tuple().exponent < -4:
        return None
    return value


def _check_row(row: Row, errors: list[RowError]) -> tuple[RowChecker, dict]:
    check = RowChecker(row, errors)
    item = {"area_code": check.code("area_code"), "year": check.count("year"),
            "item": check.text("item", max_len=200), "value": None,
            "note": check.text("note", required=False, max_len=NOTE_MAX)}
    if item["year"] is not None and not FIRST_YEAR <= item["year"] <= LAST_YEAR:
        check.error("year", _("A year between %(first)d and %(last)d.", first=FIRST_YEAR,
                              last=LAST_YEAR))
    raw = row.get("value")
    if raw is None:
        check.error("value", _("This cell is empty."))
    elif (value := parse_value(raw)) is None:
        check.error("value", _("“%(value)s” is not a number of 0 or more (at most four "
                               "decimals).", value=raw))
    else:
        item["value"] = value
    return check, item


def plan(rows: list[Row], actor=None) -> ImportPlan:
    result = ImportPlan("assessment-entries", rows=len(rows))
    if actor is not None and getattr(actor, "user", actor).role != "admin":
        # Self-assessment is a town's own form, reviewed by the county; a file is the county's.
        result.errors.append(RowError(1, None, _("Only the county office imports assessment "
                                                 "entries.")))
        return result
    checked = [_check_row(row, result.errors) for row in rows]
    schemes = _schemes({i["year"] for c, i in checked if c.ok})
    areas = areas_by_code({i["area_code"] for c, i in checked if c.ok}, actor)
    existing = _existing([a.id for a, _ok in areas.values()])
    # Several rows for the same town and item are several incidents (late in March, late in
    # May): the entry is their sum, with their notes, as the contract scores "the sum of the
    # town's entry values". The file as a whole then replaces what was stored.
    merged: dict[tuple, dict] = {}
    for check, item in checked:
        area = _check_area(check, item, areas)
        scheme_item = _check_item(check, item, schemes)
        if not check.ok:
            continue
        key = (area.id, item["year"], scheme_item["code"])
        if key in merged:
            found = merged[key]
            found["value"] += item["value"]
            if item["note"]:
                found["note"] = "；".join(filter(None, (found["note"], item["note"])))
            continue
        merged[key] = {"area_id": area.id, "year": item["year"], "item": scheme_item["code"],
                       "value": item["value"], "note": item["note"],
                       "code": f"{area.code}/{item['year']}/{scheme_item['code']}",
                       "name": f"{area.name} · {scheme_item['name']}"}
    for key, values in merged.items():
        found = existing.get(key)
        if found is None:
            result.creates.append(values)
        elif (found.value, found.note, found.status) != (values["value"], values["note"],
                                                         RECORDED):
            result.updates.append({**values, "id": found.id, "changes": {
                "value": [str(found.value), str(values["value"])]}})
        else:
            result.unchanged += 1
    result.errors.sort(key=lambda e: e.row)
    return result


def _schemes(years: set[int]) -> dict[int, dict]:
    return {s.year: s.document for s in db.session.scalars(
        sa.select(AssessmentScheme).where(AssessmentScheme.year.in_(sorted(years))))}



def _existing(area_ids: list[int]) -> dict[tuple[int, int, str], AssessmentEntry]:
    found = {}
    for batch in chunks(area_ids):
        found.update(((e.area_id, e.year, e.item), e) for e in db.session.scalars(
            sa.select(AssessmentEntry).where(AssessmentEntry.area_id.in_(batch))))
    return found


def _check_area(check: RowChecker, item: dict, areas: dict) -> Area | None:
    if item["area_code"] is None:
        return None
    area, allowed = areas.get(item["area_code"], (None, False))
    if area is None or not allowed:
        check.error("area_code", validation.no_area(item["area_code"]))
    elif not area.active:
        check.error("area_code", _("Area %(code)s is retired.", code=area.code))
    return area


def _check_item(check: RowChecker, item: dict, schemes: dict[int, dict]) -> dict | None:
    """The scheme item a row names, by its code or its name as written in the scheme."""
    if item["year"] is None or item["item"] is None:
        return None
    document = schemes.get(item["year"])
    if document is None:
        check.error("year", _("There is no assessment scheme for %(year)d; load the scheme "
                              "first.", year=item["year"]))
        return None
    named = item["item"]
    found = next((i for i in document["items"] if i["code"] == named), None) or next(
        (i for i in document["items"] if i["name"] == named), None)
    if found is None:
        check.error("item", _("The %(year)d scheme has no item “%(item)s”.", year=item["year"],
                              item=named))
        return None
    if found["rule"]["kind"] not in ENTRY_KINDS:
        check.error("item", _("Item %(code)s is scored from the coverage report; entries are "
                              "for deduction, bonus, manual and veto items only.",
                              code=found["code"]))
        return None
    return found


def apply(result: ImportPlan, actor=None) -> None:
    """Few rows (towns × entry items), so each goes through the one operation the forms use,
    and is audited with its area."""
    ids = {r["area_id"] for r in (*result.creates, *result.updates)}
    areas = {a.id: a for a in db.session.scalars(sa.select(Area).where(Area.id.in_(ids)))}
    for row in (*result.creates, *result.updates):
        operations.set_entry(area=areas[row["area_id"]], year=row["year"], item=row["item"],
                             value=row["value"], note=row["note"], actor=actor, via="import")
