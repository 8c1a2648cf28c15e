"""The base of every form: checks that hold for every field of every form, whoever writes it.

Each text field gets `refuse_control_characters` as its first validator and each whole-number
field a range a database column can hold, both bound in the forms' Meta, so a form added later
has them without anyone remembering to add them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, StringField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from lawlearn.validation import DB_INT_MAX, refuse_control_characters


def fits_a_database_integer(form, field) -> None:
    if isinstance(field.data, int) and not -DB_INT_MAX <= field.data <= DB_INT_MAX:
        raise StopValidation(_("This number is far too large."))


class _EveryFieldChecks:
    """A Meta mixin: prepends the shared checks to each field as it is bound."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, StringField):
            field.validators = [refuse_control_characters, *field.validators]
        elif isinstance(field, IntegerField):
            field.validators = [fits_a_database_integer, *field.validators]
        return field


class AppForm(FlaskForm):
    """Every top-level form (CSRF from Flask-WTF, plus the shared checks)."""

    class Meta(_EveryFieldChecks, FlaskForm.Meta):
        pass


class AppSubForm(Form):
    """Every form nested in another (FieldList(FormField(...)) rows)."""

    class Meta(_EveryFieldChecks, DefaultMeta):
        pass
