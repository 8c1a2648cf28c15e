"""When a monthly return is due, what each town's month stands at, and `late_returns`, the
figure the assessment can deduct for.

A month's return is due on RETURN_DUE_DAY of that month (default the 28th; a shorter month's
last day). A return is `on_time` when first submitted on or before that day, `late` after it;
a month with no return is `missing` once its due day has passed, `open` before.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app, has_app_context

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Area, MonthlyReturn

DEFAULT_DUE_DAY = 28
STATUSES = ("on_time", "late", "missing", "open")


def due_day() -> int:
    return current_app.config.get("RETURN_DUE_DAY", DEFAULT_DUE_DAY) if has_app_context() \
        else DEFAULT_DUE_DAY


def due_date(month: date, day: int | None = None) -> date:
    day = day or due_day()
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))


def status(month: date, submitted_on: date | None, today: date) -> str:
    due = due_date(month)
    if submitted_on is not None:
        return "on_time" if submitted_on <= due else "late"
    return "missing" if today > due else "open"


def months_of(year: int, today: date) -> list[date]:
    """The months of `year` a return can exist for: none after the current month."""
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    return [date(year, m, 1) for m in range(1, last + 1)]


@dataclass
class TownYear:
    area: object                      # (id, code, name, path)
    cells: dict                       # month → (status, MonthlyReturn id or None)

    def count(self, name: str) -> int:
        return sum(1 for s, _id in self.cells.values() if s == name)


def _submissions(area_ids: list[int], year: int) -> dict:
    rows = db.session.execute(
        sa.select(MonthlyReturn.area_id, MonthlyReturn.month, MonthlyReturn.submitted_on,
                  MonthlyReturn.id)
        .where(MonthlyReturn.area_id.in_(area_ids),
               MonthlyReturn.month.between(date(year, 1, 1), date(year, 12, 1))))
    return {(r.area_id, r.month): (r.submitted_on, r.id) for r in rows}


def year_board(towns: list, year: int, today: date | None = None) -> list[TownYear]:
    """Each town's months of `year`: two statements whatever the number of towns."""
    today = today or clock.today()
    found = _submissions([t.id for t in towns], year)
    board = []
    for town in towns:
        cells = {}
        for month in months_of(year, today):
            submitted_on, return_id = found.get((town.id, month), (None, None))
            cells[month] = (status(month, submitted_on, today), return_id)
        board.append(TownYear(town, cells))
    return board


def late_returns_by_town(parent: Area, year: int, today: date | None = None) -> dict[str, int]:
    """{town code: months of `year` whose return came after its due day or not at all (the due
    day passed)}, for every child of `parent`."""
    towns = db.session.execute(sa.select(Area.id, Area.code, Area.name, Area.path)
                               .where(Area.parent_id == parent.id).order_by(Area.code)).all()
    return {row.area.code: row.count("late") + row.count("missing")
            for row in year_board(towns, year, today)}


def late_returns(area: Area, year: int, today: date | None = None) -> int:
    """The assessment's `late_returns` for one town and year: months whose return was late or
    is missing (only months whose due day has passed count as missing)."""
    town = db.session.execute(sa.select(Area.id, Area.code, Area.name, Area.path)
                              .where(Area.id == area.id)).one()
    row = year_board([town], year, today)[0]
    return row.count("late") + row.count("missing")
