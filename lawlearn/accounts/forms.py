from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from lawlearn.auth.passwords import password_problem
from lawlearn.extensions import db
from lawlearn.forms import AppForm
from lawlearn.models import User
from lawlearn.validation import choice_id


class AccountForm(AppForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=50),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dots, hyphens or "
                                                 "underscores."))],
        render_kw={"autocapitalize": "none", "autocomplete": "off"})
    display_name = StringField(_l("Full name"), validators=[Length(max=50)])
    role = SelectField(_l("Role"))
    area_id = SelectField(_l("Town"), coerce=choice_id, choices=[])
    unit_ids = SelectMultipleField(_l("Study units"), coerce=choice_id, choices=[],
                                   description=_l("For a unit leader: the units they lead. "
                                                  "Hold Ctrl to choose several."))
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             description=_l("12 to 128 characters."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, *args, roles, towns, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = roles
        self.area_id.choices = [(0, "—")] + towns
        self.unit_ids.choices = units

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
