"""The one clock: Beijing's day and time from any server, stored timestamps in UTC, and no
second clock anywhere in the code."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from lawlearn import clock
from lawlearn.models.base import utcnow

PACKAGE = Path(__file__).resolve().parents[1] / "lawlearn"


def test_today_and_now_are_beijings_while_stored_timestamps_are_utc(freeze_clock):
    freeze_clock(datetime(2026, 6, 30, 17, 0, tzinfo=UTC))
    assert clock.today() == date(2026, 7, 1)
    assert clock.now() == datetime(2026, 7, 1, 1, 0, tzinfo=clock.TZ)
    assert clock.now().utcoffset().total_seconds() == 8 * 3600
    assert utcnow() == datetime(2026, 6, 30, 17, 0, tzinfo=UTC)
    assert utcnow().tzinfo is UTC


def test_a_stored_timestamp_is_shown_in_beijing_time():
    stored = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    assert clock.local(stored).strftime("%Y-%m-%d %H:%M") == "2027-01-01 00:30"
    # SQLite hands timestamps back without their offset: they are UTC.
    assert clock.local(stored.replace(tzinfo=None)) == clock.local(stored)
    assert clock.local(None) is None


def test_the_local_time_filter_shows_beijing_time(app):
    stored = datetime(2026, 6, 30, 17, 5, tzinfo=UTC)
    render = app.jinja_env.from_string
    assert render("{{ t|local_time }}").render(t=stored) == "2026-07-01 01:05"
    assert render('{{ t|local_time("%H:%M") }}').render(t=stored) == "01:05"
    assert render("{{ t|local_time }}").render(t=None) == ""


# Asking the system for the date or time anywhere but lawlearn/clock.py: a second clock, on
# the server's time zone or frozen apart from the one the tests stop.
SECOND_CLOCKS = re.compile(r"date\.today\(|datetime\.(?:now|utcnow|today)\(|ZoneInfo\(|"
                           r"time\.(?:localtime|strftime)\(")


def test_no_code_reads_another_clock():
    found = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py")) if path.name != "clock.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if SECOND_CLOCKS.search(line) and not line.lstrip().startswith("#")]
    assert found == []
