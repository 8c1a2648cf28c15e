"""Forms of the annual exam: the office's exam form (window in Beijing time, roster), and the
participant's name and mobile."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from lawlearn import clock
from lawlearn.forms import AppForm
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.quiz.forms import ContinueForm, StartForm
from lawlearn.validation import mobile_problem, normalise_mobile

MAX_TYPED_PEOPLE = 500
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

__all__ = ["ContinueForm", "ExamForm", "StartForm"]


class ExamForm(AppForm):
    name = StringField(_l("Exam name"), validators=[DataRequired(), Length(max=100)])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    quiz = SelectField(_l("Quiz or mixed paper"), validators=[DataRequired()],
                       description=_l("The questions are drawn from it for each attempt, as "
                                      "for any quiz."))
    pass_score = IntegerField(_l("Pass mark"), default=60,
                              validators=[DataRequired(), NumberRange(1, 100)])
    opens_at = DateTimeLocalField(_l("Opens (Beijing time)"), format=LOCAL_FORMATS,
                                  validators=[DataRequired()])
    closes_at = DateTimeLocalField(_l("Closes (Beijing time)"), format=LOCAL_FORMATS,
                                   validators=[DataRequired()],
                                   description=_l("The make-up is taken within the same "
                                                  "window: to allow a later make-up, move "
                                                  "the closing time."))
    unit_ids = SelectMultipleField(_l("Study units on the roster"), coerce=int,
                                   validators=[Optional()],
                                   description=_l("Everyone on these units' rosters may sit."))
    area_ids = SelectMultipleField(_l("Areas on the roster"), coerce=int,
                                   validators=[Optional()],
                                   description=_l("Everyone on the roster of a unit in "
                                                  "these areas may sit (retired units "
                                                  "left out)."))
    people = TextAreaField(_l("More candidates, one a line: name and mobile"),
                           validators=[Optional(), Length(max=20000)],
                           render_kw={"rows": 4},
                           description=_l("For example: Zhang San 13900001234. Numbers are kept "
                                          "as a keyed hash and shown masked."))

    def __init__(self, *args, quizzes=(), units=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quiz.choices = [("", _("Choose…")), *((q.slug, f"{q.title}（{q.slug}）")
                                                    for q in quizzes)]
        self.unit_ids.choices = [(u.id, f"{u.name}（{u.code}）") for u in units]
        self.area_ids.choices = [(a.id, f"{a.name}（{a.code}）") for a in areas]
        self.typed_people: list[tuple[str, str]] = []

    def validate_opens_at(self, field):
        _window_year_problem(field)

    def validate_closes_at(self, field):
        _window_year_problem(field)
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_("The exam must close after it opens."))

    def validate_people(self, field):
        problems, found = [], []
        lines = [line for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > MAX_TYPED_PEOPLE:
            raise ValidationError(_("At most %(n)d lines at a time.", n=MAX_TYPED_PEOPLE))
        for number, line in enumerate((field.data or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = re.split(r"[\s,，、;；]+", line.strip(), maxsplit=1)
            name = parts[0][:50]
            mobile = normalise_mobile(parts[1]) if len(parts) == 2 else None
            if mobile is None:
                problems.append(_("Line %(n)d: %(problem)s", n=number, problem=mobile_problem(
                    parts[1] if len(parts) == 2 else "")))
            else:
                found.append((name, mobile))
        if problems:
            raise ValidationError("; ".join(problems))
        self.typed_people = found

    def window_utc(self) -> tuple[datetime, datetime]:
        """The window typed in Beijing time, as the UTC instants stored."""
        opens, closes = (value.replace(tzinfo=clock.TZ).astimezone(UTC)
                         for value in (self.opens_at.data, self.closes_at.data))
        return opens, closes


def _window_year_problem(field) -> None:
    """An exam runs between 2000 and 2100: a year-1 date would not even turn into UTC."""
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_("Give a date between 2000 and 2100."))


def local_input(value: datetime | None) -> datetime | None:
    """A stored UTC instant as the naive Beijing wall-clock time the form shows."""
    local = clock.local(value)
    return local.replace(tzinfo=None) if local else None
