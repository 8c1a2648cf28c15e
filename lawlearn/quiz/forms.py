from __future__ import annotations

import functools

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import SelectMultipleField as _SelectMultipleField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lawlearn import codes
from lawlearn.forms import AppForm, AppSubForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.quiz.banks import LETTERS
from lawlearn.quiz.result_imports import parse_score
from lawlearn.validation import mobile_problem, normalise_mobile

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) tuples
    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


def _choices(pairs) -> list:
    """(value, label) pairs as WTForms choices (3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


MOBILE_HINT = _l("Used only to recognise you next time and to count today's attempts; shown "
                 "masked, never in full.")


def _mobile(field) -> None:
    if not field.data:
        return
    mobile = normalise_mobile(field.data)
    if mobile is None:
        raise ValidationError(mobile_problem(field.data))
    field.data = mobile


class StartForm(AppForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=50)],
                       render_kw={"autocomplete": "name"})
    mobile = StringField(_l("Mobile number"), validators=[DataRequired()], description=MOBILE_HINT,
                         render_kw={"inputmode": "numeric", "autocomplete": "tel"})

    def validate_name(self, field):
        field.data = field.data.strip()

    def validate_mobile(self, field):
        _mobile(field)


class ContinueForm(AppForm):
    """Start as the participant who just checked in: nothing to fill in, only the token."""


class MultiCheckboxField(_SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttemptForm(AppForm):
    """One field per drawn question (q1, q2, …), built for the attempt by `attempt_form`."""

    class Meta:
        # The attempt's token in the URL is the secret that proves it is theirs: a CSRF token
        # adds nothing, and a cookie lost by WeChat's browser would throw the answers away.
        csrf = False

    def responses(self) -> dict[int, object]:
        return {int(name[1:]): field.data for name, field in self._fields.items()
                if name.startswith("q") and name[1:].isdigit()}


@functools.lru_cache(maxsize=256)
def _attempt_form_class(layout: tuple[tuple[int, str], ...]) -> type[AttemptForm]:
    """A form class per layout of questions ((position, kind), …), built once per process:
    WTForms reads a class's fields when it is first instantiated, which cost more than the
    rest of a submission. What differs between attempts of one layout (the options drawn, the
    language of True/False) is set on each instance by `attempt_form`."""

    class Form_(AttemptForm):
        pass

    for position, kind in layout:
        field_class = MultiCheckboxField if kind == "multiple" else RadioField
        setattr(Form_, f"q{position}", field_class(choices=[], validators=[Optional()]))
    return Form_


def attempt_form(items, true_label: str, false_label: str, **kwargs) -> AttemptForm:
    items = list(items)
    form = _attempt_form_class(tuple((item.position, item.kind) for item in items))(**kwargs)
    for item in items:
        if item.kind == "true_false":
            choices = _choices([("T", true_label), ("F", false_label)])
        else:
            choices = _choices((LETTERS[i], text) for i, text in enumerate(item.options))
        # Before validation, which checks the answers against them.
        form[f"q{item.position}"].choices = choices
    return form


def initial_data(items) -> dict:
    """The answers saved so far, as form data, so a reloaded page keeps them."""
    data = {}
    for item in items:
        if item.response is None:
            continue
        if item.kind == "true_false":
            data[f"q{item.position}"] = "T" if item.response else "F"
        else:
            data[f"q{item.position}"] = item.response
    return data


class BankUploadForm(AppForm):
    file = FileField(_l("Bank file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["yaml", "yml", "gift", "aiken", "txt", "xlsx"],
                    _l("Upload a .yaml, .gift, .txt (GIFT or Aiken) or .xlsx file.")),
    ], description=_l("YAML (our format), Moodle GIFT or Aiken in UTF-8, or an Excel 题库 "
                      "(download the template below)."))
    fmt = SelectField(_l("Format"), choices=_choices([
        ("", _l("From the file name")), ("yaml", "YAML"), ("gift", "GIFT"), ("aiken", "Aiken"),
        ("xlsx", "Excel (.xlsx)")]), validators=[Optional()],
        description=_l("A .txt file can be GIFT or Aiken: say which."))
    slug = StringField(_l("Bank code (slug)"), validators=[Optional(), Length(max=40)],
                       description=_l("Lowercase letters, digits and hyphens, e.g. civil-code-2. "
                                      "Empty: the file name. The same code again replaces that "
                                      "bank's questions."))
    topic = SelectField(_l("Law topic"), validators=[Optional()],
                        description=_l("Empty for a new bank whose file and code name no law: a "
                                    "general bank."))
    title = StringField(_l("Title shown to participants"), validators=[Optional(),
                                                                       Length(max=100)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = _choices([("", _l("From the file or the bank")),
                                       *codes.BANK_TOPICS.choices()])


class QuizChoiceForm(AppForm):
    quiz = SelectField(_l("Quiz"), validators=[DataRequired()])

    def __init__(self, *args, quizzes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quiz.choices = _choices((q.slug, q.title) for q in quizzes)


class ScoreRowForm(AppSubForm):
    """One line of the paper-scores form; a blank line is ignored."""

    # No Optional() on name and score: it would stop the chain before the checks below, which
    # need a name and a score only on lines that are filled in.
    name = StringField(_l("Full name"), validators=[Length(max=50)])
    mobile = StringField(_l("Mobile (optional)"), validators=[Optional()],
                         render_kw={"inputmode": "numeric", "autocomplete": "off"})
    score = StringField(_l("Score"), render_kw={"inputmode": "decimal"})

    @property
    def blank(self) -> bool:
        return not any((self.name.data or "").strip() or (f.data or "").strip()
                       for f in (self.mobile, self.score))

    def validate_mobile(self, field):
        _mobile(field)

    def validate_score(self, field):
        if not field.data:
            if not self.blank:
                raise ValidationError(_l("Enter a score from 0 to 100."))
            return
        if parse_score(field.data) is None:
            raise ValidationError(_l("Enter a score from 0 to 100."))

    def validate_name(self, field):
        field.data = (field.data or "").strip()
        if not field.data and not self.blank:
            raise ValidationError(_l("Enter the participant's name."))


class PaperScoresForm(QuizChoiceForm):
    rows = FieldList(FormField(ScoreRowForm), min_entries=10, max_entries=200)

    def filled_rows(self) -> list[tuple[int, ScoreRowForm]]:
        return [(i, row.form) for i, row in enumerate(self.rows, start=1) if not row.form.blank]

    def validate_rows(self, field):
        if not self.filled_rows():
            raise ValidationError(_l("Enter at least one participant's score."))


class MixedPaperForm(AppForm):
    """A mixed paper (综合卷): its rules, and a blueprint of banks and counts, one per line."""

    slug = StringField(_l("Paper code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Lowercase letters, digits and hyphens, e.g. mixed-2026. "
                                      "The same code again replaces that paper's blueprint."))
    title = StringField(_l("Title shown to participants"),
                        validators=[DataRequired(), Length(max=100)])
    blueprint = TextAreaField(
        _l("Blueprint"), validators=[DataRequired(), Length(max=2000)],
        render_kw={"rows": 6, "placeholder": "civil-code 5\nanti-fraud 3\nconstitution 2"},
        description=_l("One bank per line: its code or its law's name, then how many "
                       "questions to draw from it."))
    pass_score = IntegerField(_l("Pass mark"), default=60,
                              validators=[DataRequired(), NumberRange(min=1, max=100)])
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), default=15,
                                      validators=[DataRequired(), NumberRange(min=1, max=600)])
    attempts_per_day = IntegerField(_l("Attempts a day per person"), default=3,
                                    validators=[DataRequired(), NumberRange(min=1, max=100)])
