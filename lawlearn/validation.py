"""Checks shared by the forms, the imports and the command line, so a value typed in a form and
the same value in a spreadsheet are judged by one rule and one message.

Each rule has one home here: codes, mobile numbers and phones, dates, counts, which parent an
area may have, which area level a kind of study unit lives in, and the words for a code that
is taken or that the user cannot use (the same whether it exists elsewhere or nowhere, so a
message never tells a user what lies outside their scope).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _

from lawlearn import clock, codes

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,31}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EARLIEST_DATE = date(2000, 1, 1)


def code_problem(code: str) -> str | None:
    if not CODE_RE.match(code):
        return _("A code is 1–32 letters, digits or hyphens, starting with a letter or digit.")
    return None


def _digits(text) -> str:
    """A number as typed (spaces, brackets, a +86 prefix) or as a spreadsheet stores it
    (13900000011.0), with only its dashes left in."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = re.sub(r"[\s()（）]", "", str(text))
    if raw.endswith(".0"):
        raw = raw[:-2]
    for prefix in ("+86", "0086"):
        if raw.startswith(prefix):
            raw = raw[len(prefix):]
    return raw


def normalise_mobile(text) -> str | None:
    """A mainland mobile number as 11 digits, or None: how participants are recognised."""
    digits = _digits(text).replace("-", "")
    return digits if MOBILE_RE.match(digits) else None


def mobile_problem(text) -> str:
    """The words for a value that is not a mobile number, in forms and imports alike."""
    shown = int(text) if isinstance(text, float) and text.is_integer() else text
    return _("“%(value)s” is not a mobile number (11 digits starting with 1).", value=shown)


def normalise_phone(text) -> str | None:
    """A mobile (11 digits) or landline (0571-88001234), or None when it is neither: a
    leader's work contact."""
    if mobile := normalise_mobile(text):
        return mobile
    raw = _digits(text)
    return raw if LANDLINE_RE.match(raw) else None


def phone_problem(text) -> str:
    shown = int(text) if isinstance(text, float) and text.is_integer() else text
    return _("“%(value)s” is not a mobile number (11 digits) or a landline (0571-88001234).",
             value=shown)


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


# --- the area tree and the units in it ---------------------------------------------------------

def parent_problem(level: str, parent_level: str | None) -> str | None:
    """Whether an area of `level` may hang under a parent of `parent_level` (None: no parent).
    Counties are roots, so one tree can hold a whole province's counties side by side."""
    needed = codes.PARENT_LEVEL[level]
    if needed is None:
        return _("A county has no parent area.") if parent_level else None
    if parent_level != needed:
        return _("The parent of a %(level)s must be a %(parent)s.",
                 level=codes.LEVELS.label(level), parent=codes.LEVELS.label(needed))
    return None


def kind_area_problem(kind: str, area_level: str, area_code: str) -> str | None:
    """A household lives in a village, a building group in a community, an enterprise group in
    an enterprise (DESIGN.md)."""
    needed = codes.KIND_AREA_LEVEL[kind]
    if area_level != needed:
        return _("A %(kind)s belongs in a %(level)s, but %(code)s is a %(actual)s.",
                 kind=codes.KINDS.label(kind), level=codes.LEVELS.label(needed),
                 code=area_code, actual=codes.LEVELS.label(area_level))
    return None


# Words for codes. An object outside the user's scope is "unknown" exactly as one that does not
# exist; a code that is taken (codes are unique across the tree) says only that.

def no_area(code: str) -> str:
    return _("No area has the code %(code)s.", code=code)


def no_unit(code: str) -> str:
    return _("No study unit has the code %(code)s.", code=code)


def no_session(code: str) -> str:
    return _("No session has the code %(code)s.", code=code)


def area_code_taken() -> str:
    return _("An area with this code already exists.")


def unit_code_taken() -> str:
    return _("A study unit with this code already exists.")


def session_code_taken() -> str:
    return _("A session with this code already exists.")
