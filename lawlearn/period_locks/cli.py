"""`lawlearn lock add | remove | list`: the county office's period locks from the command line.
User mistakes end with a message and exit status 1."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext


@click.group("lock")
def lock_group() -> None:
    """Lock reported months or quarters for an area and its subtree."""


def _area(code: str):
    from lawlearn.extensions import db
    from lawlearn.models import Area

    area = db.session.scalar(sa.select(Area).where(Area.code == code))
    if area is None:
        raise click.ClickException(f"no area has the code {code}")
    return area


def _period(month: str | None, quarter: str | None):
    from lawlearn.period_locks.operations import LockError, parse_period

    try:
        return parse_period(month, quarter)
    except LockError as error:
        raise click.ClickException(str(error)) from None


@lock_group.command("add")
@click.argument("area_code")
@click.option("--month", help="a month: 2026-03")
@click.option("--quarter", help="a quarter: 2026Q1")
@click.option("--reason", required=True, help="what was reported")
@with_appcontext
def add(area_code: str, month: str | None, quarter: str | None, reason: str) -> None:
    """Lock a month or a quarter for AREA_CODE (the county or a town) and its subtree."""
    from lawlearn.extensions import db
    from lawlearn.period_locks import period_label
    from lawlearn.period_locks.operations import LockError, lock_period

    area = _area(area_code)
    try:
        lock = lock_period(area, *_period(month, quarter), reason)
    except LockError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Locked {period_label(lock)} for {area.code} {area.name}.")


@lock_group.command("remove")
@click.argument("area_code")
@click.option("--month", help="a month: 2026-03")
@click.option("--quarter", help="a quarter: 2026Q1")
@click.option("--reason", required=True, help="why the period may change again")
@with_appcontext
def remove(area_code: str, month: str | None, quarter: str | None, reason: str) -> None:
    """Unlock AREA_CODE's lock in force over that month or quarter (the history is kept)."""
    from lawlearn.extensions import db
    from lawlearn.models import PeriodLock
    from lawlearn.period_locks import period_label
    from lawlearn.period_locks.operations import LockError, unlock_period

    area = _area(area_code)
    kind, first, last = _period(month, quarter)
    overlapping = db.session.scalars(sa.select(PeriodLock).where(
        PeriodLock.area_id == area.id, PeriodLock.unlocked_at.is_(None),
        PeriodLock.first_month <= last, PeriodLock.last_month >= first)).all()
    # Exactly the period named: unlocking March must not quietly unlock the whole quarter.
    lock = next((x for x in overlapping if (x.kind, x.first_month) == (kind, first)), None)
    if lock is None:
        covering = ", ".join(period_label(x) for x in overlapping)
        raise click.ClickException(
            f"{area.code} has no lock in force of exactly that period"
            + (f" (locked: {covering}; remove that one)" if covering else ""))
    try:
        unlock_period(lock, reason)
    except LockError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Unlocked {period_label(lock)} for {area.code} {area.name}.")


@lock_group.command("list")
@click.option("--area", "area_code", help="only this area's locks (and its ancestors')")
@click.option("--all", "show_all", is_flag=True, help="unlocked ones too")
@with_appcontext
def list_locks(area_code: str | None, show_all: bool) -> None:
    """The locks in force, one a line: area, period, locked at, reason."""
    from lawlearn import clock
    from lawlearn.period_locks import period_label
    from lawlearn.period_locks.queries import lock_list

    area = _area(area_code) if area_code else None
    from lawlearn.extensions import db

    for lock in db.session.scalars(lock_list(area, in_force_only=not show_all,
                                             with_ancestors=True)):
        state = "" if lock.in_force else (
            f"\tunlocked {clock.local(lock.unlocked_at):%Y-%m-%d %H:%M}: {lock.unlock_reason}")
        click.echo(f"{lock.area.code}\t{lock.area.name}\t{period_label(lock)}\t"
                   f"{clock.local(lock.locked_at):%Y-%m-%d %H:%M}\t{lock.reason}{state}")


COMMANDS = [lock_group]
