"""The coverage report's filters and the targets form."""

from __future__ import annotations

from datetime import date

from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from lawlearn import codes
from lawlearn.forms import AppForm
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Area
from lawlearn.reports.periods import PRESETS, Period, PeriodError, parse_day, resolve
from lawlearn.reports.queries import find_area
from lawlearn.validation import choice_id, no_area

FORMATS = ("html", "csv", "xlsx", "json")


class CoverageFilterForm(AppForm):
    """Read from the query string: a report is a link people share and bookmark, and asking
    for one changes nothing, so there is no CSRF token. `from`/`to` are Python keywords, hence
    the fields' `name=`. The preset and the format come from links, not from inputs."""

    class Meta:
        csrf = False

    area = SelectField(_l("Area"), validate_choice=False)
    start = StringField(_l("From"), name="from", render_kw={"type": "date"})
    end = StringField(_l("To"), name="to", render_kw={"type": "date"})
    preset = StringField(name="preset")
    format = StringField(name="format")
    # Which study sessions count: all (the default, the contract's figures) or approved only.
    # Two radio buttons, not a select: the filter is one tap on a phone.
    basis = RadioField(_l("Counting"), validate_choice=False, default="")

    def __init__(self, formdata, *, today: date, choices: list[tuple[str, str]]):
        super().__init__(formdata=formdata)
        self.today = today
        self.area.choices = choices
        # Set after binding: WTForms 3.3 warns about tuple choices given to the field class.
        self.basis.choices = [("", _l("All sessions")), ("approved", _l("Approved only"))]
        self.found_area: Area | None = None
        self.period: Period | None = None

    def validate_area(self, field):
        if field.data:
            self.found_area = find_area(field.data)
            if self.found_area is None:
                raise ValidationError(no_area(field.data))

    def validate_start(self, field):
        _parse(field.data, "from")

    def validate_end(self, field):
        _parse(field.data, "to")

    def validate_preset(self, field):
        if field.data and field.data not in PRESETS:
            raise ValidationError(_("Unknown period: %(name)s.", name=field.data))

    def validate_basis(self, field):
        if field.data and field.data != "approved":
            raise ValidationError(_("Unknown basis: %(name)s. Choose all sessions or approved "
                                    "only.", name=field.data))

    @property
    def approved_only(self) -> bool:
        return self.basis.data == "approved"

    def validate_format(self, field):
        if field.data and field.data not in FORMATS:
            raise ValidationError(_("Unknown format: %(name)s. Choose CSV or XLSX.",
                                    name=field.data))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            self.period = resolve(self.start.data, self.end.data, self.today, self.preset.data)
        except PeriodError as error:  # the start is after the end
            self.end.errors.append(str(error))
            return False
        return True

    @property
    def all_errors(self) -> list[str]:
        return [e for field in self for e in field.errors]


def _parse(text: str | None, name: str) -> None:
    try:
        parse_day(text, name)
    except PeriodError as error:
        raise ValidationError(str(error)) from None


class TargetForm(AppForm):
    area_id = SelectField(_l("Area"), coerce=choice_id, validators=[InputRequired()])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000,
                                                                             max=2100)])
    kind = SelectField(_l("Kind"), validators=[InputRequired()])
    target = IntegerField(_l("Target: number of units"),
                          validators=[InputRequired(), NumberRange(min=0, max=1_000_000)])

    def __init__(self, *args, areas: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = areas
        # Set after binding: WTForms 3.3 warns about tuple choices given to the field class.
        self.kind.choices = codes.KINDS.choices()
