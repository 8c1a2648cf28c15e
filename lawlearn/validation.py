"""Checks shared by the forms and the imports, so a value typed in a form and the same value in
a spreadsheet are judged by one rule and one message."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _

from lawlearn import clock

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,31}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EARLIEST_DATE = date(2000, 1, 1)


def code_problem(code: str) -> str | None:
    if not CODE_RE.match(code):
        return _("A code is 1–32 letters, digits or hyphens, starting with a letter or digit.")
    return None


def normalise_phone(text) -> str | None:
    """A mobile (11 digits) or landline (0571-88001234) as typed or as a spreadsheet stores it
    (13900000011.0), or None when it is neither."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = re.sub(r"[\s()（）]", "", str(text))
    if raw.endswith(".0"):
        raw = raw[:-2]
    for prefix in ("+86", "0086"):
        if raw.startswith(prefix):
            raw = raw[len(prefix):]
    if MOBILE_RE.match(raw.replace("-", "")):
        return raw.replace("-", "")
    if LANDLINE_RE.match(raw):
        return raw
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value) -> date | None:
    """A date as people type it or as a spreadsheet cell holds it, or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # The common case, ten times faster than strptime: worth it on a 100,000-row import.
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return _parse_with_formats(text)


def _parse_with_formats(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def date_problem(value: date, *, today: date | None = None) -> str | None:
    today = today or clock.today()
    if value > today:
        return _("The date is in the future.")
    if value < EARLIEST_DATE:
        return _("The date is before 2000.")
    return None


def parse_count(value) -> int | None:
    """A non-negative whole number (reach, employees) from a form or a cell, or None."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value).strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None
