"""`lawlearn import units FILE`: study units from a spreadsheet (docs/contracts.md's columns)."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import codes, ledger, validation
from lawlearn.audit import insert_events, plain
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, chunks, insert_rows
from lawlearn.imports.reader import Column, Row
from lawlearn.models import Area, StudyUnit
from lawlearn.models.base import utcnow

COLUMNS = [
    Column("code", "编码"),
    Column("kind", "类型"),
    Column("name", "名称"),
    Column("area_code", "所属区域编码"),
    Column("leader_name", "负责人"),
    Column("leader_phone", "联系电话"),
    Column("reach", "覆盖数"),
    Column("registered_on", "登记日期"),
    # Beyond the contract, optional: what the web form also records.
    Column("building", "楼栋号", required=False),
    Column("shift", "班次", required=False, extra_aliases=("车间",)),
]

FIELDS = ("name", "leader_name", "leader_phone", "reach", "registered_on", "building", "shift")


def _load(model, column, keys: set[str]) -> dict:
    found = {}
    for batch in chunks(sorted(keys)):
        found.update((getattr(o, column.key), o) for o in db.session.scalars(
            sa.select(model).where(column.in_(batch))))
    return found


def _existing_units(codes_: set[str]) -> dict:
    """The file's units already in the database, as plain rows: comparing 50,000 rows needs
    their values, not 50,000 ORM objects with identity-map bookkeeping."""
    columns = [StudyUnit.id, StudyUnit.code, StudyUnit.kind, StudyUnit.area_id,
               Area.code.label("area_code"), *(getattr(StudyUnit, f) for f in FIELDS)]
    found = {}
    for batch in chunks(sorted(codes_)):
        found.update((r.code, r) for r in db.session.execute(
            sa.select(*columns).join(StudyUnit.area).where(StudyUnit.code.in_(batch))))
    return found


def plan(rows: list[Row], actor=None) -> ImportPlan:
    from lawlearn.scope import unit_filter

    result = ImportPlan("units", rows=len(rows))
    checked: list[tuple[RowChecker, dict]] = []
    first_row: dict[str, int] = {}
    for row in rows:
        check = RowChecker(row, result.errors)
        item = {
            "code": check.code("code"),
            "kind": check.choice("kind", codes.KINDS),
            "name": check.text("name"),
            "area_code": check.code("area_code"),
            "leader_name": check.text("leader_name", max_len=50),
            "leader_phone": check.phone("leader_phone"),
            "reach": check.count("reach"),
            "registered_on": check.date("registered_on"),
            "building": check.text("building", required=False, max_len=50),
            "shift": check.text("shift", required=False, max_len=50),
        }
        if item["code"] in first_row:
            check.error("code", _("Code %(code)s already appears in row %(row)d.",
                                  code=item["code"], row=first_row[item["code"]]))
        elif item["code"]:
            first_row[item["code"]] = row.number
        checked.append((check, item))

    areas = _load(Area, Area.code, {i["area_code"] for _c, i in checked if i["area_code"]})
    units = _existing_units({i["code"] for _c, i in checked if i["code"]})
    in_scope = _in_scope_ids(actor, areas, units, unit_filter)
    for check, item in checked:
        _check_references(check, item, areas, units, in_scope)
        if not check.ok:
            continue
        values = {k: item[k] for k in FIELDS}
        area = areas[item["area_code"]]
        if (unit := units.get(item["code"])) is None:
            result.creates.append({"code": item["code"], "kind": item["kind"],
                                   "area_id": area.id, **values})
            continue
        changes = {k: [plain(getattr(unit, k)), plain(v)] for k, v in values.items()
                   if getattr(unit, k) != v}
        if unit.area_id != area.id:
            changes["area"] = [unit.area_code, area.code]
        if changes:
            result.updates.append({"id": unit.id, "code": unit.code, "area_id": area.id,
                                   "values": values, "changes": changes})
        else:
            result.unchanged += 1
    result.errors.sort(key=lambda e: e.row)
    return result


def _in_scope_ids(actor, areas: dict, units: dict, unit_filter) -> dict[str, set[int]]:
    """Which of the file's areas and existing units `actor` may touch (all, from the CLI)."""
    if actor is None:
        return {"areas": {a.id for a in areas.values()}, "units": {u.id for u in units.values()}}
    from lawlearn.scope import area_filter

    user = getattr(actor, "user", actor)
    if user.role == "leader":
        return {"areas": set(), "units": set()}
    area_ids, unit_ids = set(), set()
    for batch in chunks([a.id for a in areas.values()]):
        area_ids |= set(db.session.scalars(sa.select(Area.id).where(
            Area.id.in_(batch), area_filter(actor))))
    for batch in chunks([u.id for u in units.values()]):
        unit_ids |= set(db.session.scalars(sa.select(StudyUnit.id).where(
            StudyUnit.id.in_(batch), unit_filter(actor))))
    return {"areas": area_ids, "units": unit_ids}


def _check_references(check: RowChecker, item: dict, areas: dict, units: dict,
                      in_scope: dict) -> None:
    area = areas.get(item["area_code"]) if item["area_code"] else None
    if area is not None and area.id not in in_scope["areas"]:
        area = None  # another town's area reads exactly as one that does not exist
    if item["area_code"] and area is None:
        check.error("area_code", validation.no_area(item["area_code"]))
    elif area is not None:
        if not area.active:
            check.error("area_code", _("Area %(code)s is retired.", code=area.code))
        elif item["kind"] and (problem := validation.kind_area_problem(
                item["kind"], area.level, area.code)):
            check.error("area_code", problem)
    unit = units.get(item["code"]) if item["code"] else None
    if unit is not None:
        if unit.id not in in_scope["units"]:
            check.error("code", validation.unit_code_taken())
        elif item["kind"] and unit.kind != item["kind"]:
            check.error("kind", _("Study unit %(code)s is registered as a %(kind)s; the kind "
                                  "of a unit cannot change.", code=unit.code,
                                  kind=codes.KINDS.label(unit.kind)))


def apply(result: ImportPlan, actor=None) -> None:
    now = utcnow()
    rows = [{**i, "status": "active", "created_at": now} for i in result.creates]
    new_ids = insert_rows(StudyUnit.__table__, rows, "code")
    audit = [("create", new_ids[r["code"]], r["code"],
              {"via": "import", "kind": r["kind"], "name": r["name"]}) for r in rows]
    # Before the update: their months are still counted in the area they are leaving.
    ledger.touch_units(u["id"] for u in result.updates)
    for batch in chunks(result.updates):
        db.session.execute(sa.update(StudyUnit), [
            {"id": u["id"], "area_id": u["area_id"], **u["values"]} for u in batch])
        audit += [("update", u["id"], u["code"], {**u["changes"], "via": "import"})
                  for u in batch]
    insert_events(actor, StudyUnit, audit, at=now)
