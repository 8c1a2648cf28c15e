"""Asking for an evidence binder: a town the user may see, optionally one unit of it by code,
and a range of whole months (a month, a quarter, a year)."""

from __future__ import annotations

import calendar
import re
from datetime import date

import sqlalchemy as sa
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from lawlearn import clock, scope
from lawlearn.extensions import db
from lawlearn.forms import AppForm
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Area, StudyUnit

MAX_MONTHS = 24
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str | None) -> date | None:
    """The first day of a month written as 2026-03; None when it is not one."""
    match = _MONTH.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
        return None
    return date(int(match[1]), int(match[2]), 1)


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


class BinderForm(AppForm):
    town = SelectField(_l("Town"), coerce=int, validators=[InputRequired()])
    unit_code = StringField(_l("One study unit only (code)"), validators=[
        Optional(), Length(max=32)],
        description=_l("Leave empty for every unit of the town."))
    start = StringField(_l("From month"), validators=[InputRequired()],
                        render_kw={"type": "month", "placeholder": "2026-01"})
    end = StringField(_l("To month"), validators=[InputRequired()],
                      render_kw={"type": "month", "placeholder": "2026-03"})

    def __init__(self, *args, towns: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.town.choices = towns
        self.unit = None
        if not self.start.data and not self.end.data and not self.is_submitted():
            today = clock.today()
            self.start.data = f"{quarter_start(today):%Y-%m}"
            self.end.data = f"{today:%Y-%m}"

    def validate_start(self, field) -> None:
        if parse_month(field.data) is None:
            raise ValidationError(_("Write the month as 2026-03."))
        if parse_month(field.data) > clock.today().replace(day=1):
            raise ValidationError(_("This month has not begun yet."))

    def validate_end(self, field) -> None:
        first, last = parse_month(self.start.data), parse_month(field.data)
        if last is None:
            raise ValidationError(_("Write the month as 2026-03."))
        if last > clock.today().replace(day=1):
            raise ValidationError(_("This month has not begun yet."))
        if first is not None and last < first:
            raise ValidationError(_("The last month comes before the first."))
        if first is not None and (last.year - first.year) * 12 + last.month - first.month \
                >= MAX_MONTHS:
            raise ValidationError(_("A binder covers at most %(n)d months.", n=MAX_MONTHS))

    def validate_unit_code(self, field) -> None:
        if not field.data or self.town.data not in {id_ for id_, _label in self.town.choices}:
            return
        self.unit = db.session.scalar(
            sa.select(StudyUnit).join(StudyUnit.area)
            .where(StudyUnit.code == field.data.strip(), scope.unit_filter(),
                   Area.path.startswith(self.town_area().path, autoescape=True)))
        if self.unit is None:
            raise ValidationError(_("No study unit of this town has the code %(code)s.",
                                    code=field.data.strip()))

    def town_area(self) -> Area:
        return db.session.get(Area, self.town.data)

    def period(self) -> tuple[date, date]:
        return parse_month(self.start.data), month_end(parse_month(self.end.data))
