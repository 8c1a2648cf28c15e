"""Writing the audit trail: one AuditEvent per change, in the same transaction as the change."""

from __future__ import annotations

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
