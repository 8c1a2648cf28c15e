"""Checks shared by the forms and the imports, so a value typed in a form and the same value in
a spreadsheet are judged by one rule and one message."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _

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
    today = today or date.today()
    if value > today:
        return _("The date is in the future.")
    if value < EARLIEST_DATE:
        return _("The date is before 2000.")
    return None


def parse_count(value) -> int | None:
    """A non-negative whole number (reach, employees) from a form or a cell, or None; at most
    what a database integer column holds (a 5,000-digit cell is not a count)."""
    if isinstance(value, float):
        number = int(value) if value.is_integer() and value >= 0 else None
    elif isinstance(value, int):
        number = value if value >= 0 else None
    else:
        text = str(value).strip().replace(",", "")
        if text.endswith(".0"):
            text = text[:-2]
        # ASCII digits only: str.isdigit() also takes "²" and "١", which int() may refuse.
        ok = text.isascii() and text.isdigit() and len(text) <= 10
        number = int(text) if ok else None
    return number if number is not None and number <= DB_INT_MAX else None


# --- input that no field accepts -----------------------------------------------------------
# Control characters (all of C0 but tab, line feed and carriage return, and DEL) are never
# typed on purpose: they come from pasted binary, broken exports or an attacker, and they break
# what comes after (an XLSX cannot hold them; PostgreSQL refuses NUL). Refused at the door.
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The largest id or whole number a column can hold on every database (PostgreSQL's integer).
DB_INT_MAX = 2**31 - 1
# Years a date asked for may have (report periods, list filters): the years of the data
# (EARLIEST_DATE on) and of the targets form, so date arithmetic (a period's months, the next
# day) never leaves the calendar and a report never spans a thousand years of months.
EARLIEST_YEAR, LATEST_YEAR = EARLIEST_DATE.year, 2100


def control_character_problem(text: str) -> str | None:
    if CONTROL_CHARACTERS_RE.search(text):
        return _("This holds a control character (an invisible code such as \\x01); type "
                 "or paste the text again without it.")
    return None


class RefuseControlCharacters:
    """The WTForms validator every text field of every form runs first (lawlearn.forms adds
    it); the imports call control_character_problem on every cell. StopValidation, so no later
    check (a database lookup) ever sees the text, and Optional() cannot clear the message."""

    def __call__(self, form, field) -> None:
        from wtforms.validators import StopValidation

        if isinstance(field.data, str) and (problem := control_character_problem(field.data)):
            raise StopValidation(problem)


refuse_control_characters = RefuseControlCharacters()


def database_id(text) -> int:
    """An id from a URL or a query string: ASCII digits within what a database id column
    holds, else ValueError (so `request.args.get("area", type=database_id)` gives None)."""
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or not 0 < int(text) <= DB_INT_MAX:
        raise ValueError(text)
    return int(text)


def bounded_int(low: int, high: int):
    """A `type=` for query parameters: a whole number from low to high (ASCII digits, an
    optional minus), else ValueError, so the parameter's default applies."""

    def parse(text) -> int:
        text = str(text).strip()
        digits = text[1:] if text.startswith("-") else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
            raise ValueError(text)
        number = int(text)
        if not low <= number <= high:
            raise ValueError(text)
        return number

    return parse


def sane_date(text) -> date:
    """A `type=` for date parameters: an ISO date within EARLIEST_YEAR..LATEST_YEAR."""
    parsed = date.fromisoformat(str(text).strip())
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValueError(text)
    return parsed


# The `coerce` of a select field holding ids (0 may mean "none"): a value no database id can
# have is "not a valid choice", never a lookup that overflows.
choice_id = bounded_int(0, DB_INT_MAX)
