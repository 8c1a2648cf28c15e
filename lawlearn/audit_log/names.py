"""What audit events concern, in words a person reads: "Created · Study unit 张家中心户", not
"create · 17". An event keeps the object's id and code; the name is looked up when shown, so a
renamed unit shows its name of today. One query per kind of object on the list, whatever its
length."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask import url_for

from lawlearn import codes
from lawlearn.audit_log.labels import action_label, object_label
from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, Quiz, StudySession, StudyUnit, User

# object_type → (model, the column that names it, the page that shows it, its URL argument)
_NAMED = {
    "areas": (Area, Area.name, "areas.show", "area_id"),
    "study_units": (StudyUnit, StudyUnit.name, "units.show", "unit_id"),
    "users": (User, sa.func.coalesce(User.display_name, User.username), None, None),
    "quizzes": (Quiz, Quiz.title, None, None),
}


def _names_by_id(events: list[AuditEvent]) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.object_id is not None:
            wanted[event.object_type].add(event.object_id)
    names: dict[tuple[str, int], str] = {}
    for object_type, ids in wanted.items():
        if object_type in _NAMED:
            model, column, _endpoint, _arg = _NAMED[object_type]
            rows = db.session.execute(sa.select(model.id, column).where(model.id.in_(ids)))
        elif object_type == "study_sessions":
            rows = db.session.execute(
                sa.select(StudySession.id, StudyUnit.name + " · " + StudySession.code)
                .join(StudySession.unit).where(StudySession.id.in_(ids)))
        else:
            continue
        names.update({(object_type, object_id): name for object_id, name in rows})
    return names


def _area_names(events: list[AuditEvent]) -> dict[str, str]:
    """Areas named by code: a report export's area, a target's area."""
    wanted = {e.object_code for e in events if e.object_type == "report" and e.object_code}
    wanted |= {(e.changes or {}).get("area") for e in events if e.object_type == "targets"}
    wanted.discard(None)
    if not wanted:
        return {}
    return dict(db.session.execute(sa.select(Area.code, Area.name).where(
        Area.code.in_(wanted))).all())


def _name(event: AuditEvent, names: dict, areas: dict[str, str]) -> str:
    changes = event.changes or {}
    if (event.object_type, event.object_id) in names:
        return names[(event.object_type, event.object_id)]
    if event.object_type == "report" and event.object_code:
        return areas.get(event.object_code, event.object_code)
    if event.object_type == "targets" and changes.get("area"):
        return " · ".join(str(part) for part in (
            areas.get(changes["area"], changes["area"]), changes.get("year", ""),
            codes.KINDS.label(changes.get("kind", ""))))
    if event.object_type == "import" and changes.get("file"):
        return str(changes["file"])
    # Gone since (a deleted study session): its code is what is left.
    return event.object_code or ""


def _url(event: AuditEvent) -> str | None:
    if event.action == "delete" or event.object_id is None:
        return None
    if event.object_type == "study_sessions":
        return url_for("sessions.show", session_id=event.object_id)
    endpoint, arg = _NAMED.get(event.object_type, (None, None, None, None))[2:]
    return url_for(endpoint, **{arg: event.object_id}) if endpoint else None


def described(events: list[AuditEvent]) -> list[dict]:
    """Each event as the home page lists it: when, what was done (translated), to what kind of
    object, its name, and a link to it where it has a page."""
    names, areas = _names_by_id(events), _area_names(events)
    return [{"at": e.at, "action": action_label(e.action), "what": object_label(e.object_type),
             "name": _name(e, names, areas), "url": _url(e)} for e in events]
