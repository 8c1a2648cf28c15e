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

from lawlearn import clock, codes
from lawlearn.i18n import gettext as _

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


# The national administrative division scheme (行政区划代码) lengthens a code at each level: a
# county's 6 digits, a town's 9, a village's or community's 12, each starting with its parent's.
NATIONAL_PARENT_LENGTHS = (6, 9)
ADMINISTRATIVE_LEVELS = ("county", "town", "village", "community")


def area_code_problem(code: str, level: str, parent_code: str | None) -> str | None:
    """Whether `code` may name a new area of `level` under the parent coded `parent_code`.

    Every code has the general shape (letters, digits, hyphens). Under a parent whose code is a
    national code (all digits, 6 or 9 of them), a town, village or community has a code of
    digits only, no shorter than its parent's, and a longer code (the national 9 or 12 digits)
    starts with the parent's code. A code of the parent's length is a county's own numbering
    (town 330101 under county 330100) and is accepted. Enterprises keep their own codes (a
    credit code, or the town's code plus a letter), and a parent with letters in its code opts
    the county out of the national rule. Checked when an area is created: codes never change,
    so moving an area does not re-check it.
    """
    if problem := code_problem(code):
        return problem
    if level not in ADMINISTRATIVE_LEVELS or not parent_code:
        return None
    if not (parent_code.isascii() and parent_code.isdigit()
            and len(parent_code) in NATIONAL_PARENT_LENGTHS):
        return None
    if not (code.isascii() and code.isdigit()):
        return _("%(parent)s is a national division code, so the code of a %(level)s under "
                 "it is digits only.", parent=parent_code, level=codes.LEVELS.label(level))
    if len(code) < len(parent_code) or (len(code) > len(parent_code)
                                        and not code.startswith(parent_code)):
        return _("The code of a %(level)s under %(parent)s starts with %(parent)s "
                 "(as %(example)s): the national division codes extend their parent's.",
                 level=codes.LEVELS.label(level), parent=parent_code,
                 example=parent_code + "001")
    return None


def same_name_warning(name: str, parent_name: str | None) -> str:
    """Two areas of one name under one parent are allowed (a renamed village may keep an old
    name for a while) but are usually a slip; forms ask to confirm, imports warn."""
    if parent_name:
        return _("%(parent)s already has an area named “%(name)s”. Check this is not the same "
                 "place entered twice.", parent=parent_name, name=name)
    return _("There is already a county named “%(name)s”. Check this is not the same place "
             "entered twice.", name=name)


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


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def sent_file_name(name: str | None, fallback: str = "file") -> str:
    """A file name as the user's browser sent it, fit to show on a page and to send back in a
    Content-Disposition header: the last path part, without control characters (a header
    with a newline in it is refused, so every later download of the file would fail)."""
    name = _CONTROL.sub("", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:200] or fallback
