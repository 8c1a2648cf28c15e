"""Forms of the assessment pages: a scheme file, copying last year's scheme, a town's entry for
an item, and the county's review of a self-assessed entry."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from lawlearn.assessment.entry_imports import NOTE_MAX, parse_value
from lawlearn.forms import AppForm
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.quiz.forms import _choices


class SchemeUploadForm(AppForm):
    file = FileField(_l("Scheme file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["yaml", "yml", "xlsx"], _l("Upload a .yaml or .xlsx file.")),
    ], description=_l("YAML as in the README (year, title, period, grades and items), or the "
                      "XLSX a scheme downloads as. Loading a scheme for a year that has one "
                      "replaces it."))


class CopySchemeForm(AppForm):
    year = IntegerField(_l("New year"), validators=[
        InputRequired(_l("Enter a year.")), NumberRange(2001, 2100)])


class _Value:
    """A number of 0 or more, at most four decimals: the same rule as the entries file."""

    def __call__(self, form, field):
        if field.data in (None, ""):
            return
        value = parse_value(field.data)
        if value is None:
            raise ValidationError(_("“%(value)s” is not a number of 0 or more (at most four "
                                    "decimals).", value=field.data))
        field.value = value


class EntryForm(AppForm):
    value = StringField(_l("Value"), validators=[InputRequired(_l("Enter a number.")), _Value()],
                        description=_l("Deductions: how many times; bonus and manual items: "
                                       "points; veto: 1 to veto, 0 to lift it."),
                        render_kw={"inputmode": "decimal"})
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)],
                         description=_l("What happened, and where the evidence is kept."))


class ReviewForm(AppForm):
    value = StringField(_l("Value the county accepts"), validators=[Optional(), _Value()],
                        description=_l("Leave as claimed to accept; change it to adjust."),
                        render_kw={"inputmode": "decimal"})
    reason = TextAreaField(_l("Reason for an adjustment"),
                           validators=[Optional(), Length(max=NOTE_MAX)])


class EvidenceForm(AppForm):
    file = FileField(_l("Evidence file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["pdf", "jpg", "jpeg", "png", "webp"],
                    _l("Upload a PDF, or a JPEG, PNG or WebP photo.")),
    ], description=_l("A PDF up to 5 MB, or a photo (its location and camera data are "
                      "removed)."))


class RectificationDueForm(AppForm):
    due = DateField(_l("Due date"), validators=[InputRequired(_l("Enter a date."))])


class RectificationReportForm(AppForm):
    file = FileField(_l("Rectification report"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["pdf", "jpg", "jpeg", "png", "webp"],
                    _l("Upload a PDF, or a JPEG, PNG or WebP photo.")),
    ], description=_l("A PDF up to 5 MB, or a photo (its location and camera data are "
                      "removed). A new report replaces the one before."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)],
                         description=_l("What the town put right."))


class RectificationDecisionForm(AppForm):
    decision = RadioField(_l("Decision"), choices=_choices([
        ("accept", _l("Accept the report")), ("return", _l("Return it to the town"))]),
        validators=[InputRequired(_l("Choose accept or return."))])
    reason = TextAreaField(_l("Reason for returning it"),
                           validators=[Optional(), Length(max=NOTE_MAX)])


class SessionLinkForm(AppForm):
    """A study session of the town, in the scheme's period, as an entry's evidence; the view
    sets the choices (the town's sessions only)."""

    study_session = SelectField(_l("Study session"), coerce=int,
                                validators=[InputRequired(_l("Choose a study session."))])
