"""The county office's forms: lock a period for an area, unlock it with a reason."""

from __future__ import annotations

from datetime import date

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.period_locks import QUARTER_LABELS, month_label
from lawlearn.period_locks.operations import MAX_REASON


def period_choices(today: date) -> list[tuple[str, str]]:
    """This year's and last year's months and quarters up to now, newest first: the office
    picks a period, it never types one. Values are what `parse_period` reads."""
    choices = []
    for year in (today.year, today.year - 1):
        last_month = today.month if year == today.year else 12
        for quarter in range((last_month - 1) // 3 + 1, 0, -1):
            choices.append((f"{year}Q{quarter}", str(QUARTER_LABELS[quarter] % {"year": year})))
        choices += [(f"{year}-{m:02d}", month_label(date(year, m, 1)))
                    for m in range(last_month, 0, -1)]
    return choices


class LockForm(AppForm):
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()],
                          description=_l("The lock covers the area and everything under it."))
    period = SelectField(_l("Period"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(message=_l("Give a reason.")), Length(max=MAX_REASON)],
        render_kw={"rows": 3}, description=_l("What was reported, e.g. the quarterly report."))

    def __init__(self, *args, areas: list, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = areas
        self.period.choices = period_choices(today)


class UnlockForm(AppForm):
    reason = TextAreaField(_l("Why unlock"), validators=[
        DataRequired(message=_l("Give a reason.")), Length(max=MAX_REASON)],
        render_kw={"rows": 3}, description=_l("Kept in the lock's history and the audit log."))
