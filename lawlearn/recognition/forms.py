"""Forms of the recognition journey: nominating a unit, and the reviews' notes and reasons.

A reason is required where the step refuses or takes back (rejecting, revoking); the forms say
so inline, and the operations check it again (lawlearn.recognition.operations)."""

from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.recognition.operations import MAX_TEXT


class NominationForm(AppForm):
    year = SelectField(_l("Year"), coerce=int, validators=[InputRequired()],
                       description=_l("The year the recognition is for."))
    statement = TextAreaField(_l("Why this unit"), validators=[
        DataRequired(message=_l("Say why the unit deserves the recognition.")),
        Length(max=MAX_TEXT)], render_kw={"rows": 5},
        description=_l("Its regular study sessions, attendance, what it did for its "
                       "neighbours or colleagues."))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = [(y, str(y)) for y in years]


class ConfirmForm(AppForm):
    """Approving: the button is the decision (CSRF only)."""


class NoteForm(AppForm):
    """Forwarding to the county, renewing: a note is welcome, not required (kept as the
    town's note, or as the renewed recognition's statement)."""

    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_TEXT)],
                         render_kw={"rows": 2})


class ReasonForm(AppForm):
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(message=_l("Give the reason.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 3}, description=_l("The unit's leader and the town see it."))
