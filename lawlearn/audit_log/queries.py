"""Which audit events a user may see, filtered, in SQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_login import current_user

from lawlearn import clock, scope
from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, User


def events_in_scope() -> sa.Select:
    """The office sees every event of its area, plus those that belong to no area (the command
    line, logins under unknown names); a coordinator sees the events of their town only."""
    user = current_user.user
    stmt = sa.select(AuditEvent)
    if user.role == "admin" and user.area is None:
        return stmt
    in_area = AuditEvent.area_id.in_(sa.select(Area.id).where(scope.area_filter()))
    if user.role == "admin":
        return stmt.where(sa.or_(in_area, AuditEvent.area_id.is_(None)))
    return stmt.where(in_area)


def local_midnight(day: date) -> datetime:
    """The start of a Beijing-time day, as the aware instant stored timestamps compare with."""
    return datetime.combine(day, time.min, tzinfo=clock.TZ)


def filtered(*, who: str | None = None, action: str | None = None, area: Area | None = None,
             start: date | None = None, end: date | None = None) -> sa.Select:
    """Newest first. `who` is an account's username: what it did, and what was done to it
    (a reset of its password, failed logins under its name)."""
    stmt = events_in_scope()
    if who:
        acted = AuditEvent.user_id.in_(sa.select(User.id).where(User.username == who))
        concerned = sa.and_(AuditEvent.object_type == "users", AuditEvent.object_code == who)
        stmt = stmt.where(sa.or_(acted, concerned))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if area is not None:
        stmt = stmt.where(AuditEvent.area_id.in_(
            sa.select(Area.id).where(Area.path.startswith(area.path, autoescape=True))))
    if start:
        stmt = stmt.where(AuditEvent.at >= local_midnight(start))
    if end:
        stmt = stmt.where(AuditEvent.at < local_midnight(end + timedelta(days=1)))
    return stmt.options(sa.orm.joinedload(AuditEvent.user), sa.orm.joinedload(AuditEvent.area)) \
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def area_in_scope(code: str) -> Area | None:
    return db.session.scalar(sa.select(Area).where(Area.code == code, scope.area_filter()))


def purge(before: datetime) -> int:
    """Delete events older than `before` (the retention period); how many went."""
    return db.session.execute(sa.delete(AuditEvent).where(AuditEvent.at < before)).rowcount
