from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from lawlearn.auth.passwords import password_problem
from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l


class LoginForm(AppForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=50)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(AppForm):
    """The holder's own password: the current one proves it is them (a borrowed phone left
    logged in is not enough), the new one follows the one rule (passwords.py)."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("New password"), validators=[DataRequired()],
                             description=_l("At least 12 characters; a few unrelated words "
                                            "make a good one."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, *args, username: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._username = username

    def validate_password(self, field):
        if problem := password_problem(field.data, self._username):
            raise ValidationError(problem)
        if field.data == self.current.data:
            raise ValidationError(_l("The new password must differ from the current one."))


class ResetPasswordForm(AppForm):
    """Only the CSRF token: the confirmation button of a reset."""
