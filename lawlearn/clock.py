"""The county's one clock: what "now" and "today" mean, whatever the server's time zone.

The county lives in Beijing time (Asia/Shanghai, UTC+8 all year). A server whose clock runs
in UTC is still on yesterday until 08:00 in Beijing, so `date.today()` or a naive
`datetime.now()` would put a meeting held this morning in the future, end a report on the
wrong day, or reset the quizzes' daily limit at 08:00. Everything that asks "what day is it"
or shows a time therefore asks this module:

- `today()` and `now()`: the day and the aware datetime in Beijing;
- `utcnow()`: the same instant in UTC, for what is stored (timestamps stay UTC in the
  database, see `lawlearn.models.base.UTCDateTime`);
- `local()`: a stored timestamp turned into Beijing time for display (the `local_time`
  template filter).

All of them read `_system_now()`, the single place the tests stop (tests/conftest.py,
`freeze_clock` and `fixed_today`): they look it up at call time, so a frozen clock also
reaches functions bound early, such as a form field's `default=clock.today`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Needs the IANA database: the system's, else the `tzdata` package (a dependency, for minimal
# images and Windows that ship none).
TZ = ZoneInfo("Asia/Shanghai")


def _system_now() -> datetime:
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Now, aware, in UTC: the value to store."""
    return _system_now().astimezone(UTC)


def now() -> datetime:
    """Now, aware, in Beijing time."""
    return _system_now().astimezone(TZ)


def today() -> date:
    """Today in the county."""
    return now().date()


def local(value: datetime | None) -> datetime | None:
    """A stored timestamp in Beijing time. Naive values are taken as UTC, which is what the
    database holds (SQLite drops the offset)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TZ)
