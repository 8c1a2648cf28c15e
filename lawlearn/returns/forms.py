"""The monthly return form: the town's summary (the figures are the report's)."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.returns.operations import MAX_SUMMARY


class ReturnForm(AppForm):
    summary = TextAreaField(_l("Summary of the month"), validators=[
        DataRequired(message=_l("Write a short summary of the month's work.")),
        Length(max=MAX_SUMMARY)], render_kw={"rows": 8},
        description=_l("What was done, what is planned, problems met."))
