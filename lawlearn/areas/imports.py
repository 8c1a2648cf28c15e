"""`lawlearn import areas FILE`: the area tree from a spreadsheet (docs/contracts.md's columns)."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import codes, validation
from lawlearn.audit import insert_events
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, chunks, insert_rows
from lawlearn.imports.reader import Column, Row, RowError
from lawlearn.models import Area

COLUMNS = [
    Column("code", "编码", extra_aliases=("区域编码",)),  # as the report export heads it
    Column("name", "名称"),
    Column("level", "级别"),
    Column("parent_code", "上级编码", required=False),
    Column("employees", "职工人数", required=False),
    Column("industry", "行业", required=False),
]

FIELDS = ("name", "employees", "industry")


def _existing(codes_: set[str]) -> dict[str, Area]:
    found: dict[str, Area] = {}
    for batch in chunks(sorted(codes_)):
        found.update((a.code, a) for a in db.session.scalars(sa.select(Area).where(
            Area.code.in_(batch))))
    return found


def _known(existing: dict[str, Area], actor) -> set[str]:
    """The codes of `existing` the user may name: the areas they see, and the ancestors of
    their own area (an exported tree starts with the county). Any other area reads as one
    that does not exist (lawlearn.validation's words)."""
    if actor is None:
        return set(existing)
    from lawlearn.scope import area_filter, scope_root

    known: set[str] = set()
    for batch in chunks(sorted(a.id for a in existing.values())):
        known.update(db.session.scalars(sa.select(Area.code).where(
            Area.id.in_(batch), area_filter(actor))))
    root = scope_root(actor)
    if root is not None:
        known.update(c for c in root.ancestor_codes if c in existing)
    return known


def _may_manage(actor, level: str, path: str) -> bool:
    if actor is None:
        return True
    from lawlearn.scope import may_manage_area

    return may_manage_area(level, path, actor)


def plan(rows: list[Row], actor=None) -> ImportPlan:
    result = ImportPlan("areas", rows=len(rows))
    parsed: dict[str, dict] = {}
    for row in rows:
        check = RowChecker(row, result.errors)
        item = {
            "row": row.number,
            "headers": row.headers,
            "code": check.code("code"),
            "name": check.text("name"),
            "level": check.choice("level", codes.LEVELS),
            "parent_code": check.code("parent_code", required=False),
            "employees": check.count("employees", required=False),
            "industry": check.text("industry", required=False),
        }
        if item["code"] and item["code"] in parsed:
            check.error("code", _("Code %(code)s already appears in row %(row)d.",
                                  code=item["code"], row=parsed[item["code"]]["row"]))
        if check.ok:
            parsed[item["code"]] = item
    existing = _existing(set(parsed) | {i["parent_code"] for i in parsed.values()
                                        if i["parent_code"]})
    known = _known(existing, actor)
    for code in [c for c in parsed if c in existing and c not in known]:
        # Codes are unique across the tree, so the code is taken; that is all it says.
        item = parsed.pop(code)
        _error(result, item, "code", validation.area_code_taken())
    existing = {c: a for c, a in existing.items() if c in known}
    paths = _resolve_paths(parsed, existing, result)
    for code, item in parsed.items():
        if code in paths:
            _plan_row(result, item, existing.get(code), paths[code], actor)
    _warn_same_names(result)
    result.errors.sort(key=lambda e: e.row)
    return result


def _warn_same_names(result: ImportPlan) -> None:
    """A new area whose parent already has (or gets, earlier in the file) an active area of the
    same name: imported all the same, but named on the preview (lawlearn.validation's words)."""
    if not result.creates:
        return
    parent = sa.orm.aliased(Area)
    wanted = {(i["parent_code"], i["name"]) for i in result.creates}
    parent_codes = sorted({p for p, _name in wanted if p})
    taken: set[tuple] = set()
    parent_names = {i["code"]: i["name"] for i in result.creates}
    for batch in chunks(parent_codes):
        parent_names.update(db.session.execute(
            sa.select(Area.code, Area.name).where(Area.code.in_(batch))).all())
        taken.update(key for key in map(tuple, db.session.execute(
            sa.select(parent.code, Area.name).join(parent, Area.parent)
            .where(parent.code.in_(batch), Area.active))) if key in wanted)
    if any(p is None for p, _name in wanted):
        taken.update((None, name) for name in db.session.scalars(
            sa.select(Area.name).where(Area.parent_id.is_(None), Area.active)))
    for item in sorted(result.creates, key=lambda i: i["row"]):
        key = (item["parent_code"], item["name"])
        if key in taken:
            parent_name = parent_names.get(key[0], key[0]) if key[0] else None
            result.warnings.append(RowError(
                item["row"], item["headers"].get("name", "name"),
                validation.same_name_warning(item["name"], parent_name)))
        taken.add(key)


def _plan_row(result: ImportPlan, item: dict, area: Area | None, path: str, actor) -> None:
    values = {"name": item["name"]}
    if item["level"] == "enterprise":
        values.update(employees=item["employees"], industry=item["industry"])
    changes = {k: [getattr(area, k), v] for k, v in values.items()
               if getattr(area, k) != v} if area else {}
    if area and area.path != path:
        changes["parent"] = [area.parent.code if area.parent else None, item["parent_code"]]
    allowed = _may_manage(actor, item["level"], path) and (
        area is None or _may_manage(actor, area.level, area.path))
    if not allowed and (area is None or changes):
        # Rows above the user's areas may stand in the file (an exported tree has them), as
        # long as they change nothing there.
        _error(result, item, "code", _("This area is outside the areas you look after."))
    elif area is None:
        result.creates.append({**item, **values, "path": path})
    elif changes:
        result.updates.append({"id": area.id, "code": area.code, "values": values,
                               "path": path, "changes": changes})
    else:
        result.unchanged += 1


def _error(result: ImportPlan, item: dict, column: str, message: str) -> None:
    result.errors.append(RowError(item["row"], item["headers"].get(column, column), message))


def _resolve_paths(parsed: dict[str, dict], existing: dict[str, Area], result: ImportPlan
                   ) -> dict[str, str]:
    """Each row's materialised path, following parents through the file and the areas the
    user may name, checking levels and cycles on the way."""
    paths: dict[str, str] = {}
    failed: set[str] = set()

    def resolve(code: str, seen: tuple[str, ...]) -> str | None:
        if code in paths or code in failed:
            return paths.get(code)
        item = parsed[code]
        if (area := existing.get(code)) is not None and area.level != item["level"]:
            return _fail(code, "level", _("Area %(code)s exists with another level; the level "
                                          "of an area cannot change.", code=code))
        parent_code = item["parent_code"]
        if parent_code is None:
            parent_level, parent_path = None, "/"
        elif parent_code in seen:
            return _fail(code, "parent_code", _("The parent codes go round in a circle."))
        elif parent_code in parsed:
            parent_level, parent_path = parsed[parent_code]["level"], resolve(
                parent_code, (*seen, code))
            if parent_path is None:
                return _fail(code, "parent_code",
                             _("Its parent %(code)s has errors.", code=parent_code))
        elif parent_code in existing:
            parent_level, parent_path = existing[parent_code].level, existing[parent_code].path
        else:
            return _fail(code, "parent_code", validation.no_area(parent_code))
        if problem := validation.parent_problem(item["level"], parent_level):
            return _fail(code, "parent_code", problem)
        # New codes only (after the tree's own checks, which say more): a code never changes,
        # so one already in the tree is not judged again.
        if area is None and (problem := validation.area_code_problem(
                code, item["level"], parent_code)):
            return _fail(code, "code", problem)
        paths[code] = f"{parent_path}{code}/"
        return paths[code]

    def _fail(code: str, column: str, message: str) -> None:
        failed.add(code)
        _error(result, parsed[code], column, message)
        return None

    for code in parsed:
        resolve(code, ())
    return paths


def apply(result: ImportPlan, actor=None) -> None:
    """Write the plan: new areas level by level (a parent's id is needed before its children),
    then changed ones, then one audit row per change."""
    audit: list[tuple] = []
    by_depth = sorted(result.creates, key=lambda i: i["path"].count("/"))
    ids: dict[str, int] = {}
    for depth_items in _group_by_depth(by_depth):
        parent_ids = _ids_for({i["parent_code"] for i in depth_items if i["parent_code"]}, ids)
        rows = [{"code": i["code"], "name": i["name"], "level": i["level"], "path": i["path"],
                 "parent_id": parent_ids.get(i["parent_code"]), "active": True,
                 "employees": i.get("employees"), "industry": i.get("industry")}
                for i in depth_items]
        new_ids = insert_rows(Area.__table__, rows, "code")
        ids.update(new_ids)
        audit += [("create", new_ids[r["code"]], r["code"],
                   {"name": r["name"], "level": r["level"], "via": "import"}) for r in rows]
    for item in result.updates:
        area = db.session.get(Area, item["id"])
        for key, value in item["values"].items():
            setattr(area, key, value)
        if area.path != item["path"]:
            from lawlearn.areas.operations import move_area

            parent_code = item["path"].strip("/").split("/")[-2]
            move_area(area, db.session.scalar(sa.select(Area).where(Area.code == parent_code)))
        audit.append(("update", item["id"], item["code"], {**item["changes"], "via": "import"}))
    insert_events(actor, Area, audit)


def _group_by_depth(items: list[dict]) -> list[list[dict]]:
    groups: dict[int, list[dict]] = {}
    for item in items:
        groups.setdefault(item["path"].count("/"), []).append(item)
    return [groups[d] for d in sorted(groups)]


def _ids_for(codes_: set[str], known: dict[str, int]) -> dict[str, int]:
    missing = codes_ - set(known)
    found = dict(known)
    for batch in chunks(sorted(missing)):
        found.update(db.session.execute(sa.select(Area.code, Area.id).where(
            Area.code.in_(batch))).all())
    return found
