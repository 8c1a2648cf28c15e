"""`lawlearn import areas FILE`: the area tree from a spreadsheet (docs/contracts.md's columns)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lawlearn import codes
from lawlearn.audit import actor_id
from lawlearn.extensions import db
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, chunks, insert_rows
from lawlearn.imports.reader import Column, Row, RowError
from lawlearn.models import Area, AuditEvent
from lawlearn.models.base import utcnow

COLUMNS = [
    Column("code", "编码"),
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
    paths = _resolve_paths(parsed, existing, result, actor)
    outside = result.context.get("outside", set())
    for code, item in parsed.items():
        if code not in paths:
            continue
        values = {"name": item["name"]}
        if item["level"] == "enterprise":
            values.update(employees=item["employees"], industry=item["industry"])
        area = existing.get(code)
        changes = {k: [getattr(area, k), v] for k, v in values.items()
                   if getattr(area, k) != v} if area else {}
        if area and area.path != paths[code]:
            changes["parent"] = [area.parent.code if area.parent else None, item["parent_code"]]
        if code in outside and (area is None or changes):
            # Rows above or beside the user's areas may stand in the file (an exported tree
            # does), as long as they change nothing there.
            result.errors.append(RowError(item["row"], item["headers"].get("code", "code"),
                                          _("This area is outside the areas you look after.")))
            continue
        if area is None:
            result.creates.append({**item, **values, "path": paths[code]})
            continue
        if changes:
            result.updates.append({"id": area.id, "code": code, "values": values,
                                   "path": paths[code], "changes": changes})
        else:
            result.unchanged += 1
    result.errors.sort(key=lambda e: e.row)
    return result


def _resolve_paths(parsed: dict[str, dict], existing: dict[str, Area], result: ImportPlan,
                   actor) -> dict[str, str]:
    """Each row's materialised path, following parents through the file and the database, and
    checking levels, cycles and the actor's scope on the way."""
    from lawlearn.scope import scope_root

    root = scope_root(actor) if actor is not None else None
    paths: dict[str, str] = {}
    failed: set[str] = set()
    outside = result.context.setdefault("outside", set())

    def resolve(code: str, seen: tuple[str, ...]) -> str | None:
        if code in paths or code in failed:
            return paths.get(code)
        item = parsed[code]
        if (area := existing.get(code)) is not None and area.level != item["level"]:
            return _fail(code, "level", _("Area %(code)s exists with another level; the level "
                                          "of an area cannot change.", code=code))
        needed = codes.PARENT_LEVEL[item["level"]]
        parent_code = item["parent_code"]
        if needed is None:
            if parent_code:
                return _fail(code, "parent_code", _("A county has no parent area."))
            path = f"/{code}/"
        else:
            if not parent_code:
                return _fail(code, "parent_code", _("This cell is empty."))
            if parent_code in seen:
                return _fail(code, "parent_code", _("The parent codes go round in a circle."))
            if parent_code in parsed:
                parent_level, parent_path = parsed[parent_code]["level"], resolve(
                    parent_code, (*seen, code))
                if parent_path is None:
                    return _fail(code, "parent_code",
                                 _("Its parent %(code)s has errors.", code=parent_code))
            elif parent_code in existing:
                parent_level, parent_path = existing[parent_code].level, existing[parent_code].path
            else:
                return _fail(code, "parent_code", _("No area has the code %(code)s.",
                                                    code=parent_code))
            if parent_level != needed:
                return _fail(code, "parent_code", _(
                    "The parent of a %(level)s must be a %(parent)s.",
                    level=codes.LEVELS.label(item["level"]), parent=codes.LEVELS.label(needed)))
            path = f"{parent_path}{code}/"
        if actor is not None and not _in_scope(actor, root, path, item["level"]):
            outside.add(code)
        paths[code] = path
        return path

    def _fail(code: str, column: str, message: str) -> None:
        failed.add(code)
        item = parsed[code]
        result.errors.append(RowError(item["row"], item["headers"].get(column, column), message))
        return None

    for code in parsed:
        resolve(code, ())
    return paths


def _in_scope(actor, root: Area | None, path: str, level: str) -> bool:
    user = getattr(actor, "user", actor)
    if user.role == "leader":
        return False
    if user.role == "coordinator" and level in ("county", "town"):
        return False  # a coordinator's own town is the office's to change (as on the web)
    if root is None:
        return True
    return path.startswith(root.path)


def apply(result: ImportPlan, actor=None) -> None:
    """Write the plan: new areas level by level (a parent's id is needed before its children),
    then changed ones, then one audit row per change."""
    now, who = utcnow(), actor_id(actor)
    audit: list[dict] = []
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
        audit += [{"at": now, "user_id": who, "action": "create", "object_type": "areas",
                   "object_id": new_ids[r["code"]], "object_code": r["code"],
                   "changes": {"name": r["name"], "level": r["level"], "via": "import"}}
                  for r in rows]
    for item in result.updates:
        area = db.session.get(Area, item["id"])
        for key, value in item["values"].items():
            setattr(area, key, value)
        if area.path != item["path"]:
            from lawlearn.areas.operations import move_area

            parent_code = item["path"].strip("/").split("/")[-2]
            move_area(area, db.session.scalar(sa.select(Area).where(Area.code == parent_code)))
        audit.append({"at": now, "user_id": who, "action": "update", "object_type": "areas",
                      "object_id": item["id"], "object_code": item["code"],
                      "changes": {**item["changes"], "via": "import"}})
    for batch in chunks(audit):
        db.session.execute(AuditEvent.__table__.insert(), batch)


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
