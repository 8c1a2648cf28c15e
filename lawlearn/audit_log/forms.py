"""The audit page's filters: read from the query string (a filtered list is a link to share,
and reading it changes nothing, so no CSRF token)."""

from __future__ import annotations

from datetime import date

from wtforms import SelectField, StringField
from wtforms.validators import Length, StopValidation, ValidationError

from lawlearn.audit_log.labels import action_choices
from lawlearn.forms import AppForm
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Area

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(_l("Write the date as YYYY-MM-DD.")) from None
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(_("Choose a date between %(first)s and %(last)s.",
                                first=EARLIEST.isoformat(), last=LATEST.isoformat()))
    return day


def _printable(_form, field):
    # A NUL byte in a query is a database error on PostgreSQL, not a search; stop before the
    # area lookup.
    if field.data and any(ord(ch) < 32 for ch in field.data):
        raise StopValidation(_l("Remove the control characters."))


class AuditFilterForm(AppForm):
    class Meta:
        csrf = False

    who = StringField(_l("Account"), validators=[Length(max=50), _printable],
                      description=_l("A username: what it did, and what was done to it."),
                      render_kw={"autocapitalize": "none"})
    action = SelectField(_l("What"), validate_choice=False)
    area = StringField(_l("Area code"), validators=[Length(max=32), _printable],
                       description=_l("Events of this area and everything under it."))
    start = StringField(_l("From"), name="from", render_kw={"type": "date"})
    end = StringField(_l("To"), name="to", render_kw={"type": "date"})

    def __init__(self, formdata, *, find_area):
        super().__init__(formdata=formdata)
        self.action.choices = [("", _l("Everything")), *action_choices()]
        self._find_area = find_area
        self.found_area: Area | None = None
        self.start_day: date | None = None
        self.end_day: date | None = None

    def validate_action(self, field):
        if field.data and field.data not in dict(action_choices()):
            raise ValidationError(_l("Choose one of the listed kinds of event."))

    def validate_area(self, field):
        code = (field.data or "").strip()
        if code:
            # One answer for an unknown code and another town's: nothing to tell apart.
            self.found_area = self._find_area(code)
            if self.found_area is None:
                raise ValidationError(_("No area you look after has the code %(code)s.",
                                        code=code))

    def validate_start(self, field):
        self.start_day = _day(field.data)

    def validate_end(self, field):
        self.end_day = _day(field.data)
        if self.start_day and self.end_day and self.end_day < self.start_day:
            raise ValidationError(_l("The end date is before the start date."))
