"""Turning one row's raw cells into checked values, collecting every problem on the way.

The rules are the forms' rules (lawlearn.validation), so a value accepted in a form is
accepted in a file and refused with the same words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lawlearn.codes import CodeList
from lawlearn.i18n import gettext as _
from lawlearn.imports.reader import Row, RowError
from lawlearn.validation import (
    code_problem,
    control_character_problem,
    date_problem,
    mobile_problem,
    normalise_mobile,
    normalise_phone,
    parse_count,
    parse_date,
    phone_problem,
)


class RowChecker:
    def __init__(self, row: Row, errors: list[RowError]):
        self.row, self.errors = row, errors
        self.ok = True

    def error(self, column: str | None, message: str) -> None:
        self.ok = False
        header = self.row.headers.get(column, column) if column else None
        self.errors.append(RowError(self.row.number, header, message))

    def text(self, column: str, *, required: bool = True, max_len: int = 100) -> str | None:
        value = self.row.get(column)
        if value is None:
            if required:
                self.error(column, _("This cell is empty."))
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as a number: 330102001 read back as 330102001.0
        text = str(value).strip()
        if problem := control_character_problem(text):
            self.error(column, problem)
            return None
        if len(text) > max_len:
            self.error(column, _("At most %(n)d characters.", n=max_len))
            return None
        return text

    def code(self, column: str, *, required: bool = True) -> str | None:
        text = self.text(column, required=required, max_len=32)
        if text is not None and (problem := code_problem(text)):
            self.error(column, problem)
            return None
        return text

    def choice(self, column: str, code_list: CodeList, *, required: bool = True) -> str | None:
        text = self.text(column, required=required)
        if text is None:
            return None
        code = code_list.parse(text)
        if code is None:
            allowed = "、".join(f"{c.code}（{c.aliases[0]}）" if c.aliases else c.code
                               for c in code_list)
            self.error(column, _("“%(value)s” is not one of: %(allowed)s", value=text,
                                 allowed=allowed))
        return code

    def date(self, column: str, *, required: bool = True) -> date | None:
        value = self.row.get(column)
        if value is None:
            if required:
                self.error(column, _("This cell is empty."))
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(column, _("“%(value)s” is not a date. Write it as 2026-03-15.",
                                 value=_show(value)))
        elif problem := date_problem(parsed):
            self.error(column, problem)
            return None
        return parsed

    def count(self, column: str, *, required: bool = True) -> int | None:
        value = self.row.get(column)
        if value is None:
            if required:
                self.error(column, _("This cell is empty."))
            return None
        number = parse_count(value)
        if number is None:
            self.error(column, _("“%(value)s” is not a whole number of 0 or more.",
                                 value=_show(value)))
        return number

    def phone(self, column: str, *, required: bool = True) -> str | None:
        value = self.row.get(column)
        if value is None:
            if required:
                self.error(column, _("This cell is empty."))
            return None
        phone = normalise_phone(value)
        if phone is None:
            self.error(column, phone_problem(value))
        return phone

    def mobile(self, column: str, *, required: bool = True) -> str | None:
        """A participant's mobile number (never a landline: it is how they are recognised)."""
        value = self.row.get(column)
        if value is None:
            if required:
                self.error(column, _("This cell is empty."))
            return None
        mobile = normalise_mobile(value)
        if mobile is None:
            self.error(column, mobile_problem(value))
        return mobile


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
