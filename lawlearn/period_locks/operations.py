"""Locking and unlocking a period for an area. Callers commit.

Only the county office locks (the views and the CLI check the role); a lock needs a reason
(what was reported) and so does an unlock (why a reported figure may move again). Both go to
the audit log; an unlock keeps the lock row, stamped, so the history stays.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lawlearn.audit import record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, PeriodLock
from lawlearn.models.base import utcnow
from lawlearn.period_locks import period_label, quarter_months

LOCKABLE_LEVELS = ("county", "town")
MAX_REASON = 500


class LockError(ValueError):
    pass


def parse_period(month: str | None = None, quarter: str | None = None) -> tuple[str, date, date]:
    """"2026-03" or "2026Q1" (also "2026-Q1", lower case) → (kind, first month, last month)."""
    if bool(month) == bool(quarter):
        raise LockError(_("Give either a month (2026-03) or a quarter (2026Q1)."))
    try:
        if month:
            year, number = (int(p) for p in month.strip().split("-"))
            first = date(year, number, 1)
            return "month", first, first
        text = quarter.strip().upper().replace("-", "")
        year, number = text.split("Q")
        if int(number) not in (1, 2, 3, 4):
            raise ValueError(number)
        return ("quarter", *quarter_months(int(year), int(number)))
    except ValueError:
        raise LockError(_("Give either a month (2026-03) or a quarter (2026Q1).")) from None


def _user_id(actor) -> int | None:
    return getattr(getattr(actor, "user", actor), "id", None)


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise LockError(_("Give a reason."))
    if len(reason) > MAX_REASON:
        raise LockError(_("The reason is longer than %(n)d characters.", n=MAX_REASON))
    return reason


def lock_period(area: Area, kind: str, first: date, last: date, reason: str, *,
                actor=None) -> PeriodLock:
    if area.level not in LOCKABLE_LEVELS:
        raise LockError(_("Periods are locked for the county or a town."))
    reason = _reason(reason)
    overlapping = db.session.scalar(sa.select(PeriodLock).where(
        PeriodLock.area_id == area.id, PeriodLock.unlocked_at.is_(None),
        PeriodLock.first_month <= last, PeriodLock.last_month >= first).limit(1))
    if overlapping is not None:
        raise LockError(_("%(period)s is already locked for %(area)s.",
                          period=period_label(overlapping), area=area.name))
    lock = PeriodLock(area=area, kind=kind, first_month=first, last_month=last, reason=reason,
                      locked_by_id=_user_id(actor))
    db.session.add(lock)
    db.session.flush()
    record(actor, "lock_period", lock, area_id=area.id, changes={
        "kind": kind, "from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}", "reason": reason})
    return lock


def unlock_period(lock: PeriodLock, reason: str, *, actor=None) -> PeriodLock:
    if lock.unlocked_at is not None:
        raise LockError(_("This period is already unlocked."))
    lock.unlock_reason = _reason(reason)
    lock.unlocked_at = utcnow()
    lock.unlocked_by_id = _user_id(actor)
    record(actor, "unlock_period", lock, area_id=lock.area_id, changes={
        "kind": lock.kind, "from": f"{lock.first_month:%Y-%m}",
        "to": f"{lock.last_month:%Y-%m}", "reason": lock.unlock_reason})
    return lock
