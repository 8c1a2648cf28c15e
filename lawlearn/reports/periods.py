"""Report periods: parsing, presets, and whether a period lines up with whole months."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from lawlearn.i18n import gettext as _
from lawlearn.validation import EARLIEST_YEAR, LATEST_YEAR


class PeriodError(ValueError):
    """The period asked for makes no sense; the message says why."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.start > self.end:
            raise PeriodError(_("The start date %(start)s is after the end date %(end)s.",
                                start=self.start.isoformat(), end=self.end.isoformat()))

    @property
    def year(self) -> int:
        return self.end.year

    def months(self) -> tuple[date, date]:
        """First days of the first and last month the period touches."""
        return self.start.replace(day=1), self.end.replace(day=1)

    def month_aligned(self, today: date) -> bool:
        """True when counting whole months gives exactly this period's figures: it starts on
        a 1st and ends on a month's last day, or on or after today (nothing can be dated
        after today: sessions and attempts are never in the future)."""
        last_day = calendar.monthrange(self.end.year, self.end.month)[1]
        return self.start.day == 1 and (self.end.day == last_day or self.end >= today)

    @property
    def within_one_year(self) -> bool:
        return self.start.year == self.end.year


def parse_day(text: str | None, name: str) -> date | None:
    if text in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise PeriodError(_("“%(value)s” is not a date. Write it as 2026-03-15.",
                            value=text)) from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise PeriodError(_("%(value)s is outside the years a report covers (%(first)d to "
                            "%(last)d).", value=day.isoformat(), first=EARLIEST_YEAR,
                            last=LATEST_YEAR))
    return day


PRESETS = ("this_month", "this_quarter", "this_year", "last_year")


def preset(name: str, today: date) -> Period:
    if name == "this_month":
        return Period(today.replace(day=1), today)
    if name == "this_quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        return Period(date(today.year, first_month, 1), today)
    if name == "this_year":
        return Period(date(today.year, 1, 1), today)
    if name == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    raise PeriodError(_("Unknown period: %(name)s.", name=name))


def resolve(start: str | None, end: str | None, today: date, preset_name: str | None = None
            ) -> Period:
    """The period from `--from`/`--to` (or a preset); default: this year to date."""
    if preset_name:
        return preset(preset_name, today)
    first, last = parse_day(start, "from"), parse_day(end, "to")
    return Period(first or date((last or today).year, 1, 1), last or today)


def month_starts(first: date, last: date) -> list[date]:
    months, day = [], first
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months
