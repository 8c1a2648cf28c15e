"""Forms for county-wide activities. The stop form is the study session form (date, topics,
duration, notes, photos: the same checks and messages) without the format, which is the
activity's kind, and with the host unit, the place, the lecturer from the pool and, at an
exhibition, the visitors counted."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lawlearn import clock
from lawlearn.codes import TOPICS
from lawlearn.extensions import db
from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models.activities import ACTIVITY_KINDS
from lawlearn.models.units import StudyUnit
from lawlearn.period_locks import locked_period, refusal
from lawlearn.sessions.forms import MOBILE_HINT, SelectChoice, SessionForm, _mobile, choices

KIND_LABELS = {
    "exhibition": _l("Touring exhibition"),
    "touring_talk": _l("Touring talk"),
    "site_visit": _l("On-site visit"),
    "rotational_training": _l("Rotational training"),
}
NO_LECTURER = 0


def pairs(items) -> list:
    """(value, label) pairs as WTForms choices (3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in items]


class ActivityForm(AppForm):
    kind = SelectField(_l("Kind of activity"), validators=[DataRequired()],
                       choices=pairs((k, KIND_LABELS[k]) for k in ACTIVITY_KINDS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    year = IntegerField(_l("Year"), default=lambda: clock.today().year, validators=[
        InputRequired(), NumberRange(min=2000, max=2100)], render_kw={"inputmode": "numeric"})
    area_id = SelectField(_l("Organiser"), coerce=int, validators=[InputRequired()])
    completion_percent = IntegerField(
        _l("Completion share (%)"), default=80,
        validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("Rotational training only: a cohort member is complete having attended "
                       "at least this share of the classes."),
        render_kw={"inputmode": "numeric"})
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, areas: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = pairs(areas)


class StopForm(SessionForm):
    format = None    # the activity's kind
    lecturer = None  # from the pool, below
    unit_id = SelectField(_l("Host study unit"), coerce=int, validators=[InputRequired()],
                          description=_l("The study unit of the village, community or "
                                         "enterprise where it happens: the stop counts there."))
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=100)],
                        description=_l("E.g. the village square or the cultural hall."))
    lecturer_id = SelectField(_l("Lecturer"), coerce=int, default=NO_LECTURER)
    visitors = IntegerField(_l("Visitors counted"), default=0, validators=[
        Optional(), NumberRange(min=0, max=100000)],
        description=_l("People who looked at the exhibition, counted by staff; QR check-ins "
                       "are counted by themselves."), render_kw={"inputmode": "numeric"})

    def __init__(self, *args, units: list[tuple[int, str]], lecturers: list[tuple[int, str]],
                 photo_count: int = 0, **kwargs):
        # SessionForm's own __init__ fills the format's choices, which this form has not.
        AppForm.__init__(self, *args, **kwargs)
        self.topics.choices = choices(TOPICS)
        self.unit_id.choices = pairs(units)
        self.lecturer_id.choices = pairs([(NO_LECTURER, "—"), *lecturers])
        self.photo_count = photo_count
        self.prepared = []
        # The host unit, and so the area whose locks apply, is chosen in this same form: the
        # lock is checked in validate(), once the unit is known (SessionForm checks its own
        # unit's area field by field).
        self.area, self.was_held_on = None, None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.held_on.data is not None:
            unit = db.session.get(StudyUnit, self.unit_id.data)
            lock = unit and locked_period(db.session, unit.area_id, self.held_on.data)
            if lock:
                self.held_on.errors = [*self.held_on.errors, refusal(lock)]
                return False
        return valid

    def session_fields(self) -> dict:
        return {"held_on": self.held_on.data, "topics": sorted(set(self.topics.data)),
                "duration_minutes": self.duration_minutes.data,
                "notes": (self.notes.data or "").strip() or None}


class StopEditForm(AppForm):
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=100)])
    visitors = IntegerField(_l("Visitors counted"), default=0, validators=[
        Optional(), NumberRange(min=0, max=100000)], render_kw={"inputmode": "numeric"})


class VisitingUnitForm(AppForm):
    unit_id = SelectField(_l("Visiting study unit"), coerce=int, validators=[InputRequired()])

    def __init__(self, *args, units: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_id.choices = pairs(units)


class CohortMemberForm(AppForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=50)])
    mobile = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)],
                         description=MOBILE_HINT,
                         render_kw={"inputmode": "numeric", "autocomplete": "off"})

    def validate_name(self, field):
        field.data = field.data.strip()

    def validate_mobile(self, field):
        _mobile(field)


class LecturerForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=50)])
    title = StringField(_l("Title or organisation"), validators=[DataRequired(), Length(max=100)],
                        description=_l("E.g. judge, county court; lawyer, a law firm."))
    topics = StringField(_l("Topics"), validators=[Optional(), Length(max=200)],
                         description=_l("What they talk about, e.g. civil code, anti-fraud."))

    def validate_name(self, field):
        field.data = field.data.strip()
