"""Writing the audit trail: one AuditEvent per change, in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import has_request_context, request

from lawlearn.extensions import db
from lawlearn.models import AuditEvent


def actor_id(actor: Any) -> int | None:
    """The user id behind `actor`: a User, the request's CurrentUser, or None (command line)."""
    if actor is None:
        return None
    user = getattr(actor, "user", actor)
    return getattr(user, "id", None)


def area_id_of(obj: Any) -> int | None:
    """The area an object belongs to: an area itself, a unit's or target's area, a study
    session's unit's area, an account's area (a leader's: their first unit's)."""
    if obj is None:
        return None
    if getattr(type(obj), "__tablename__", None) == "areas":
        return obj.id
    if getattr(obj, "area_id", None) is not None:
        return obj.area_id
    unit = getattr(obj, "unit", None)
    if unit is not None:
        return unit.area_id
    units = getattr(obj, "units", None)
    if units:
        return units[0].area_id
    return None


def record(actor: Any, action: str, obj: Any = None, changes: dict | None = None, *,
           object_type: str | None = None, object_code: str | None = None,
           area_id: int | None = None, address: str | None = None) -> AuditEvent:
    """One event. `obj` names what changed; without one (an import, a report export, a login
    under an unknown name) `object_type` and `object_code` say it. The event's area is the
    object's, else the actor's, so a coordinator's audit page shows their town's events.
    Made during a web request, it keeps the client's address (ProxyFix has resolved it)."""
    if address is None and has_request_context():
        address = request.remote_addr
    code = getattr(obj, "code", None) or getattr(obj, "username", None) if obj is not None \
        else object_code
    event = AuditEvent(
        user_id=actor_id(actor),
        action=action,
        object_type=type(obj).__tablename__ if obj is not None else object_type,
        object_id=getattr(obj, "id", None),
        object_code=code[:64] if code else None,
        changes=changes,
        area_id=area_id or area_id_of(obj) or area_id_of(getattr(actor, "user", actor)),
        address=address,
    )
    db.session.add(event)
    return event


def diff(obj: Any, values: dict) -> dict:
    """Set `values` on `obj`; return {field: [old, new]} for what really changed."""
    changed = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [plain(old), plain(new)]
            setattr(obj, field, new)
    return changed


def plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def insert_events(actor: Any, model: type, events: Iterable[tuple], at=None) -> None:
    """The bulk form of `record`, for imports: one row per (action, object id, object code,
    changes) about objects of `model`, inserted in chunks in the caller's transaction."""
    from lawlearn.imports.plan import chunks
    from lawlearn.models.base import utcnow

    at, who = at or utcnow(), actor_id(actor)
    rows = ({"at": at, "user_id": who, "action": action, "object_type": model.__tablename__,
             "object_id": object_id, "object_code": code, "changes": changes}
            for action, object_id, code, changes in events)
    for batch in chunks(rows):
        db.session.execute(AuditEvent.__table__.insert(), batch)
