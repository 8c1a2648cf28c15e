"""The period lock rule: is this area's day in a period the county has locked?

`locked_period(session, area, day)` answers for the friendly checks that every write path
makes first (a form error, a row error in an import, a clear page for a participant), and
`refuse_locked_months` is the ledger's backstop at commit (lawlearn.ledger.refresh.apply): the
ledger knows exactly which (leaf area, month) pairs a transaction touched, so no write path can
slip past — a `PeriodLocked` then reaches the request as a 409 page with the same message and
the transaction is rolled back (lawlearn.errors).

A lock on an area covers its whole subtree: the locks that matter for an area are those of
its ancestors and its own, whose materialised path (`areas.path`, the chain of codes) is a
prefix of the area's. The lookup is one query: the area by its id, the locks in force that reach
the month (index on `last_month`: a handful), their areas by id, and a prefix test; no walk
over the tree, whatever the county's size.

Targets are yearly (`Target.year`): see `locked_in_year` for when a year counts as locked.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased
from werkzeug.exceptions import Conflict

from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Area, PeriodLock

MONTH_NAMES = dict(enumerate((
    _l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"),
    _l("July"), _l("August"), _l("September"), _l("October"), _l("November"),
    _l("December")), start=1))
QUARTER_LABELS = {1: _l("Q1 %(year)s"), 2: _l("Q2 %(year)s"),
                  3: _l("Q3 %(year)s"), 4: _l("Q4 %(year)s")}


class PeriodLocked(Conflict):
    """A write dated in a locked period. An HTTP 409 so that whatever raises it in a request
    (a form's check or the ledger's backstop) ends as a page with the message, never a 500."""

    def __init__(self, lock: PeriodLock):
        self.lock = lock
        super().__init__(description=refusal(lock))


def month_of(day: date) -> date:
    return day.replace(day=1)


def quarter_months(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), date(year, first + 2, 1)


def period_label(lock: PeriodLock) -> str:
    """"2026年3月" / "March 2026", "2026年第一季度" / "Q1 2026"."""
    first = lock.first_month
    if lock.kind == "quarter":
        return str(QUARTER_LABELS[(first.month - 1) // 3 + 1] % {"year": first.year})
    return month_label(first)


def month_label(month: date) -> str:
    return _("%(month)s %(year)s", month=MONTH_NAMES[month.month], year=month.year)


def refusal(lock: PeriodLock) -> str:
    return _("%(period)s is locked (%(area)s): ask the county law-popularisation office to "
             "unlock it.", period=period_label(lock), area=lock.area.name)


def _codes(area: Area) -> list[str]:
    """The area's code and its ancestors', from the materialised path."""
    return area.path.strip("/").split("/")


def _in_force():
    return PeriodLock.unlocked_at.is_(None)


def _covering(leaf):
    """Locks whose area is `leaf` or one of its ancestors: the lock's path is a prefix of the
    leaf's (exact, unlike LIKE, whatever characters a code holds)."""
    lock_area = aliased(Area)
    return (sa.select(PeriodLock).join(lock_area, lock_area.id == PeriodLock.area_id)
            .join(leaf, sa.func.substr(leaf.path, 1, sa.func.length(lock_area.path))
                  == lock_area.path)
            .where(_in_force()).order_by(PeriodLock.first_month, PeriodLock.id))


def _locked_period_statement():
    leaf = aliased(Area)
    month = sa.bindparam("month", type_=sa.Date)
    return (_covering(leaf).where(leaf.id == sa.bindparam("area_id"),
                                  PeriodLock.first_month <= month,
                                  PeriodLock.last_month >= month).limit(1))


def _locks_over_leaves_statement():
    leaf = aliased(Area)
    return (_covering(leaf).add_columns(leaf.id)
            .where(leaf.id.in_(sa.bindparam("areas", expanding=True)),
                   PeriodLock.first_month <= sa.bindparam("high", type_=sa.Date),
                   PeriodLock.last_month >= sa.bindparam("low", type_=sa.Date)))


@functools.cache
def _statement(name: str):
    """Built once: every write path asks, and building the statement cost more Python than
    running it (see lawlearn.ledger.figures)."""
    return {"locked_period": _locked_period_statement,
            "locks_over_leaves": _locks_over_leaves_statement}[name]()


def locked_period(session: Session, area: Area | int, day: date) -> PeriodLock | None:
    """The lock in force on `area` (an Area or its id) or an ancestor that covers `day`, or
    None. One indexed query; the area itself need not be loaded.

    A None is remembered for this transaction, so that the ledger's backstop at commit does not
    read the same (area, month) again: a write path pays one query for its lock, not two. (A
    lock committed by someone else in between could slip past either way: the backstop's own
    read is no more atomic with the commit than this one.)"""
    from lawlearn.ledger.changes import pending

    area_id, month = area if isinstance(area, int) else area.id, month_of(day)
    found = session.scalars(_statement("locked_period"),
                            {"area_id": area_id, "month": month}).first()
    if found is None:
        pending(session).unlocked_months.add((area_id, month))
    return found


def check(session: Session, area: Area | int, *days: date | None) -> None:
    """Raise PeriodLocked when any of `days` is locked for `area` (an edit checks both the
    old and the new date: moving a session out of a locked month changes that month too)."""
    for day in sorted({d for d in days if d is not None}):
        if (lock := locked_period(session, area, day)) is not None:
            raise PeriodLocked(lock)


def locks_over(session: Session, area: Area, start: date, end: date) -> list[PeriodLock]:
    """Locks in force that overlap `start`..`end` on `area`, an ancestor (they cover it) or
    an area under it (part of its figures are locked): the coverage report's note, earliest
    first."""
    from sqlalchemy.orm import contains_eager

    return list(session.scalars(
        sa.select(PeriodLock).join(Area, Area.id == PeriodLock.area_id)
        .options(contains_eager(PeriodLock.area))
        .where(sa.or_(Area.code.in_(_codes(area)),
                      Area.path.startswith(area.path, autoescape=True)), _in_force(),
               PeriodLock.first_month <= end, PeriodLock.last_month >= month_of(start))
        .order_by(PeriodLock.first_month, Area.path, PeriodLock.id)))


def locked_in_year(session: Session, area: Area, year: int) -> PeriodLock | None:
    """The rule for yearly targets: a target for `area` and `year` is locked when any lock in
    force of that year covers the area (a lock on it or an ancestor). The year's target is the
    denominator of every figure reported in it, so once any month or quarter of the year has
    been reported, changing it would move what was reported. A lock on a town does not lock
    the county's own target (the county's figures include other towns still open)."""
    return session.scalars(
        sa.select(PeriodLock).join(Area, Area.id == PeriodLock.area_id)
        .where(Area.code.in_(_codes(area)), _in_force(),
               PeriodLock.first_month >= date(year, 1, 1),
               PeriodLock.first_month <= date(year, 12, 1))
        .order_by(PeriodLock.first_month, PeriodLock.id).limit(1)).first()


def refuse_locked_months(session: Session, leaf_months: Iterable[tuple[int, date]]) -> None:
    """The ledger's backstop: raise PeriodLocked when any (leaf area id, month) pair touched
    by this transaction lies in a lock in force. One indexed query per 500 areas touched (a
    single one for any ordinary write); a lock covers a leaf when its area's path is a prefix
    of the leaf's path."""
    from lawlearn.imports.plan import chunks

    by_area: dict[int, set[date]] = {}
    for area_id, month in leaf_months:
        by_area.setdefault(area_id, set()).add(month)
    if not by_area:
        return
    months = {m for ms in by_area.values() for m in ms}
    low, high = min(months), max(months)
    for batch in chunks(sorted(by_area), 500):
        for lock, leaf_id in session.execute(_statement("locks_over_leaves"),
                                             {"areas": batch, "low": low, "high": high}):
            if any(lock.first_month <= m <= lock.last_month for m in by_area[leaf_id]):
                raise PeriodLocked(lock)


class LockBook:
    """The locks in force over the days of a file, read once, so that an import of 10,000 rows
    checks them in Python: one query for the locks (usually none), and one for the units'
    area paths only when some lock is in force over those days."""

    def __init__(self, session: Session, days: Iterable[date | None] = (),
                 years: Iterable[int | None] = ()):
        self.session = session
        months = {month_of(d) for d in days if d is not None}
        months |= {m for y in years if y is not None for m in (date(y, 1, 1), date(y, 12, 1))}
        self.locks: list[tuple[PeriodLock, str]] = [] if not months else list(session.execute(
            sa.select(PeriodLock, Area.path).join(Area, Area.id == PeriodLock.area_id)
            .where(_in_force(), PeriodLock.first_month <= max(months),
                   PeriodLock.last_month >= min(months))
            .order_by(PeriodLock.first_month, PeriodLock.id)).all())
        self.unit_paths: dict[int, str] = {}

    def __bool__(self) -> bool:
        return bool(self.locks)

    def load_units(self, unit_ids: Iterable[int | None]) -> None:
        from lawlearn.imports.plan import chunks
        from lawlearn.models import StudyUnit

        wanted = sorted({u for u in unit_ids if u is not None} - self.unit_paths.keys())
        if not self.locks:
            return
        for batch in chunks(wanted):
            self.unit_paths.update(self.session.execute(
                sa.select(StudyUnit.id, Area.path).join(StudyUnit.area)
                .where(StudyUnit.id.in_(batch))).all())

    def for_path(self, path: str | None, day: date | None) -> PeriodLock | None:
        if path is None or day is None:
            return None
        month = month_of(day)
        return next((lock for lock, lock_path in self.locks if path.startswith(lock_path)
                     and lock.first_month <= month <= lock.last_month), None)

    def for_unit(self, unit_id: int | None, day: date | None) -> PeriodLock | None:
        if not self.locks or unit_id is None:
            return None
        if unit_id not in self.unit_paths:
            self.load_units([unit_id])
        return self.for_path(self.unit_paths.get(unit_id), day)

    def for_year(self, path: str, year: int | None) -> PeriodLock | None:
        """`locked_in_year`'s rule, for a target row."""
        return next((lock for lock, lock_path in self.locks if path.startswith(lock_path)
                     and lock.first_month.year == year), None)
