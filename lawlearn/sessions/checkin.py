"""When a session's check-in link works, and its QR code.

The rule, in Beijing time (Asia/Shanghai, the only time zone of the county): check-in opens
at 00:00 on the session day and closes SESSION_CHECKIN_HOURS hours after that day ends
(default 12, i.e. at noon the next day). A session has a date but no start time, and village
meetings are often held in the evening after work, so the whole day must be open; the extra
hours cover a leader who shows the code again the next morning. After that the page says
clearly that check-in is closed: late entries go through the leader's roster or an import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import segno
from flask import current_app

from lawlearn import clock

DEFAULT_HOURS = 12


@dataclass(frozen=True)
class CheckinWindow:
    opens: datetime
    closes: datetime

    def state(self, now: datetime | None = None) -> str:
        now = now or clock.now()
        if now < self.opens:
            return "not_yet"
        return "open" if now < self.closes else "closed"


def checkin_window(held_on: date, hours: int | None = None) -> CheckinWindow:
    if hours is None:
        hours = int(current_app.config.get("SESSION_CHECKIN_HOURS", DEFAULT_HOURS))
    opens = datetime.combine(held_on, time(0), clock.TZ)
    return CheckinWindow(opens, opens + timedelta(days=1, hours=hours))


def qr_svg(url: str) -> bytes:
    """The check-in link as an SVG QR code: crisp on paper at any size, a few KB, and drawn
    with attributes only (the CSP allows no inline styles)."""
    out = io.BytesIO()
    # Error correction "M" survives a creased or smudged printout.
    # A viewBox instead of a fixed size, so the <img> decides how big it prints.
    segno.make(url, error="m", micro=False).save(out, kind="svg", border=2, omitsize=True,
                                                 xmldecl=False, dark="#000", light="#fff",
                                                 title="QR")
    return out.getvalue()
