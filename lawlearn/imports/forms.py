from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l


class UploadForm(AppForm):
    file = FileField(_l("File"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
    ], description=_l("CSV in UTF-8, or the first sheet of an Excel .xlsx workbook. Headers may "
                      "be in English or Chinese."))


class ConfirmForm(AppForm):
    token = HiddenField(validators=[DataRequired()])
