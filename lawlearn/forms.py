"""The base of every form: checks that hold for every field of every form, whoever writes it.

Each text field gets `refuse_control_characters` as its first validator and each whole-number
field a range a database column can hold, both bound in the forms' Meta, so a form added later
has them without anyone remembering to add them.
"""

from __future__ import annotations

import functools

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, StringField
from wtforms.i18n import messages_path
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from lawlearn.i18n import gettext as _
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


@functools.cache
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages ("Not a valid choice.") in the request's language.

    Flask-WTF reads and parses WTForms' catalogue file again for every request that shows or
    checks a form; the catalogues do not change while the process runs, so each language's is
    read once."""

    @staticmethod
    def _catalogue() -> support.Translations:
        return _wtforms_catalogue(str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]))

    def gettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


_wtforms_messages = _WTFormsMessages()


class AppForm(FlaskForm):
    """Every top-level form (CSRF from Flask-WTF, plus the shared checks)."""

    class Meta(_EveryFieldChecks, FlaskForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_messages


class AppSubForm(Form):
    """Every form nested in another (FieldList(FormField(...)) rows)."""

    class Meta(_EveryFieldChecks, DefaultMeta):
        pass
