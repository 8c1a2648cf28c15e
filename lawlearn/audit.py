"""Writing the audit trail: one AuditEvent per change, in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lawlearn.extensions import db
from lawlearn.models import AuditEvent


def actor_id(actor: Any) -> int | None:
    """The user id behind `actor`: a User, the request's CurrentUser, or None (command line)."""
    if actor is None:
        return None
    user = getattr(actor, "user", actor)
    return getattr(user, "id", None)


def record(actor: Any, action: str, obj: Any, changes: dict | None = None) -> AuditEvent:
    event = AuditEvent(
        user_id=actor_id(actor),
        action=action,
        object_type=type(obj).__tablename__,
        object_id=obj.id,
        object_code=getattr(obj, "code", None) or getattr(obj, "username", None),
        changes=changes,
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
