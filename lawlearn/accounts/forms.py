from __future__ import annotations

import sqlalchemy as sa
from markupsafe import Markup
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from lawlearn.auth.passwords import password_problem
from lawlearn.extensions import db
from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import User
from lawlearn.validation import choice_id


class HiddenChoices(SelectMultipleField):
    """Choices made on an earlier step, carried on as hidden inputs (one per value)."""

    def __call__(self, **kwargs) -> str:
        widget = HiddenInput()
        return Markup("".join(widget(self, value=value, id=f"{self.id}-{value}")
                              for value in (self.data or [])))


class AccountForm(AppForm):
    """The last step of creating an account: its details. The role was chosen on the first
    step and the units (for a leader) on the second; both come back as hidden inputs, and only
    the fields the role needs are on the form."""

    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=50),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dots, hyphens or "
                                                 "underscores."))],
        render_kw={"autocapitalize": "none", "autocomplete": "off"})
    display_name = StringField(_l("Full name"), validators=[Length(max=50)])
    role = SelectField(_l("Role"))  # rendered as a hidden input: chosen on the first step
    area_id = SelectField(_l("Town"), coerce=choice_id, choices=[])
    unit_ids = HiddenChoices(_l("Study units"), coerce=choice_id, choices=[])
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             description=_l("12 to 128 characters."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, *args, roles, role, towns, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = roles
        if role == "coordinator" and towns:
            self.area_id.choices = [(0, "—")] + towns
        else:
            del self.area_id
        if role == "leader":
            self.unit_ids.choices = units
        else:
            del self.unit_ids

    def validate_username(self, field):
        if db.session.scalar(sa.select(User.id).where(User.username == field.data)):
            raise ValidationError(_l("This username is taken."))

    def validate_password(self, field):
        if problem := password_problem(field.data, self.username.data):
            raise ValidationError(problem)

    def validate_area_id(self, field):
        if self.role.data == "coordinator" and not field.data:
            raise ValidationError(_l("A town coordinator needs a town."))

    def validate_unit_ids(self, field):
        if self.role.data == "leader" and not field.data:
            raise ValidationError(_l("A unit leader needs at least one study unit."))


class UnitCheckboxes(SelectMultipleField):
    widget = ListWidget(html_tag="ul", prefix_label=False)
    option_widget = CheckboxInput()


class UnitPickForm(AppForm):
    """The leader's second step, a GET form: narrow the units by town and by name or code,
    tick them (ticks survive another search: they are in the same form), go on."""

    class Meta:
        csrf = False  # a GET that changes nothing

    town = SelectField(_l("Town"), coerce=choice_id, validators=[Optional()], choices=[])
    q = StringField(_l("Name or code"), validators=[Optional(), Length(max=50)])
    unit = UnitCheckboxes(_l("Study units they lead"), coerce=choice_id, choices=[],
                          validators=[Optional()])

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        if towns:
            self.town.choices = [(0, _l("— every town —"))] + towns
        else:
            del self.town
