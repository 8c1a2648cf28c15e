"""Forms for logging a session, marking a roster and checking in.

The roster form is built per roster: one entry per person, and its validate_marks checks
that every posted person id belongs to this session's roster or attendance, so a tampered
post can't touch anyone else.
"""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from lawlearn import clock
from lawlearn.codes import ATTENDANCE_STATUSES, SESSION_FORMATS, TOPICS, CodeList
from lawlearn.extensions import db
from lawlearn.forms import AppForm, AppSubForm
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.period_locks import locked_period, refusal
from lawlearn.sessions import photos
from lawlearn.validation import choice_id, date_problem, mobile_problem, normalise_mobile

MOBILE_HINT = _l("Enter an 11-digit mobile number starting with 1.")

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) tuples
    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


def choices(code_list: CodeList) -> list:
    """A code list as WTForms choices (3.3 deprecates bare tuples)."""
    return [SelectChoice(code, label) for code, label in code_list.choices()]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes: one tap each on a phone, unlike a multiple <select>."""

    widget = ListWidget(html_tag="ul", prefix_label=False)
    option_widget = CheckboxInput()


def _mobile(field) -> None:
    if not field.data:
        return
    mobile = normalise_mobile(field.data)
    if mobile is None:
        raise ValidationError(mobile_problem(field.data))
    field.data = mobile


class SessionForm(AppForm):
    # InputRequired, not DataRequired: an unreadable date keeps its own "not a valid date".
    held_on = DateField(_l("Date"), validators=[InputRequired()], default=clock.today)
    format = SelectField(_l("Session format"), validators=[DataRequired()])
    topics = CheckboxesField(_l("Topics"), validators=[
        DataRequired(message=_l("Choose at least one topic."))])
    lecturer = StringField(_l("Lecturer"), validators=[Optional(), Length(max=50)])
    duration_minutes = IntegerField(_l("Duration (minutes)"), default=60, validators=[
        InputRequired(), NumberRange(min=1, max=600)],
        render_kw={"inputmode": "numeric", "min": 1, "max": 600})
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    # Not "photos": SessionForm(obj=session) would fill it with the stored SessionPhoto rows.
    photo_files = MultipleFileField(_l("Photos"), description=_l(
        "Up to 6 JPEG, PNG or WebP photos of at most 20 MB each, straight from the phone: "
        "they are scaled down, and location data in them is removed."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args, photo_count: int = 0, area: int | None = None, was_held_on=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        # The unit's area and the date the session had: a locked period refuses both moving
        # a session into it and out of it (lawlearn.period_locks).
        self.area, self.was_held_on = area, was_held_on
        self.format.choices = choices(SESSION_FORMATS)
        self.topics.choices = choices(TOPICS)
        self.photo_count = photo_count          # photos the session has already
        self.prepared: list[photos.PreparedPhoto] = []

    def validate_held_on(self, field):
        if field.data is not None and (problem := date_problem(field.data)):
            raise ValidationError(problem)
        if self.area is not None and field.data is not None:
            for day in (self.was_held_on, field.data):
                if day is not None and (lock := locked_period(db.session, self.area, day)):
                    raise ValidationError(refusal(lock))

    def validate_photo_files(self, field):
        uploads = [f for f in (field.data or []) if f and f.filename]
        room = photos.MAX_PHOTOS - self.photo_count
        if len(uploads) > room:
            raise ValidationError(_("A session keeps at most 6 photos; you can add %(n)d more.",
                                    n=room))
        # Every photo is checked, and every bad one named at once: a leader choosing six
        # pictures on a phone should not learn about them one failed upload at a time.
        problems = []
        for upload in uploads:
            try:
                self.prepared.append(photos.prepare(upload.stream))
            except photos.PhotoError as error:
                problems.append(f"{upload.filename}: {error}")
        if problems:
            self.prepared = []
            field.errors.extend(problems)
            raise StopValidation()

    def session_fields(self) -> dict:
        return {"held_on": self.held_on.data, "format": self.format.data,
                "topics": sorted(set(self.topics.data)),
                "lecturer": (self.lecturer.data or "").strip() or None,
                "duration_minutes": self.duration_minutes.data,
                "notes": (self.notes.data or "").strip() or None}


class MarkForm(AppSubForm):
    """One person of the roster. `initial` is the status the page showed, so saving writes only
    what the leader changed and never undoes a QR check-in made while the page was open."""

    person_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    initial = HiddenField()
    # Optional(strip_whitespace=False): a status of spaces is a wrong choice, not no choice
    # (Optional would clear the choice's error and let "  " through to the database).
    status = RadioField(_l("Status"), choices=choices(ATTENDANCE_STATUSES),
                        validators=[Optional(strip_whitespace=False)])


class WalkInForm(AppSubForm):
    # No Optional() on the name: it would stop validate_name from asking for a missing name.
    name = StringField(_l("Full name"), validators=[Length(max=50)])
    mobile = StringField(_l("Mobile number"), validators=[Optional(), Length(max=20)],
                         render_kw={"inputmode": "numeric", "autocomplete": "off"})

    def validate_name(self, field):
        field.data = (field.data or "").strip()
        if not field.data and (self.mobile.data or "").strip():
            raise ValidationError(_l("Enter the name too."))

    def validate_mobile(self, field):
        _mobile(field)


class RosterForm(AppForm):
    marks = FieldList(FormField(MarkForm))
    walk_ins = FieldList(FormField(WalkInForm), min_entries=3, max_entries=30)

    def __init__(self, *args, allowed_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_ids = allowed_ids

    def validate_marks(self, field):
        seen = set()
        for entry in field:
            person_id = entry.form.person_id.data
            if person_id not in self.allowed_ids or person_id in seen:
                raise ValidationError(_l("The roster changed while the page was open. Reload "
                                         "the page and mark again."))
            seen.add(person_id)

    def changes(self) -> list[tuple[int, str | None, str]]:
        """(person id, status shown, status chosen) for every entry the leader changed."""
        out = []
        for entry in self.marks:
            chosen, shown = entry.form.status.data, entry.form.initial.data or None
            if chosen and chosen != shown:
                out.append((entry.form.person_id.data, shown, chosen))
        return out

    def walk_in_entries(self) -> list:
        """The walk-in rows filled in, in the order of new_people()."""
        return [e for e in self.walk_ins if e.form.name.data]

    def new_people(self) -> list[tuple[str, str | None]]:
        return [(e.form.name.data, e.form.mobile.data or None) for e in self.walk_in_entries()]


class CheckinForm(AppForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=50)],
                       render_kw={"autocomplete": "name"})
    mobile = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)],
                         description=_l("Used only to recognise you next time; shown to nobody "
                                        "in full."),
                         render_kw={"inputmode": "numeric", "autocomplete": "tel"})

    def validate_name(self, field):
        field.data = field.data.strip()

    def validate_mobile(self, field):
        _mobile(field)


class ReturnForm(AppForm):
    """Returning a leader's session: the reason is what the leader reads on their dashboard."""

    reason = TextAreaField(_l("Reason for returning"), validators=[
        DataRequired(message=_l("Say why the session is returned: the leader needs to know "
                                "what to fix.")), Length(max=500)],
        description=_l("For example: the sign-in sheet photo is missing, or the date is wrong."))


class ApproveManyForm(AppForm):
    """"Approve all shown": the queue's checkboxes (rendered with each card, tied to this form
    by their form attribute). The ids are checked against the user's scope by the view."""

    # choice_id: an id no database row can have (too large, negative) is refused as bad
    # input, never looked up.
    sessions = SelectMultipleField(coerce=choice_id, validate_choice=False)
    week = HiddenField()
