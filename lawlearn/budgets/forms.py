"""Forms of the budget pages: the county's standard, an allocation to a town, a town's
disbursement with its voucher. Amounts are typed in yuan and kept in fen
(lawlearn.budgets.money); a bad amount is a message next to its field."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from lawlearn import clock
from lawlearn.budgets.money import amount_problem, parse_yuan
from lawlearn.budgets.operations import NOTE_MAX
from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.validation import choice_id, date_problem


class Amount:
    """An amount in yuan with at most two decimals; `field.fen` holds it in fen."""

    def __init__(self, positive: bool = True):
        self.positive = positive

    def __call__(self, form, field):
        if problem := amount_problem(field.data, positive=self.positive):
            raise StopValidation(problem)
        field.fen = parse_yuan(field.data)


def amount_field(label, description=None, positive=True):
    return StringField(label, validators=[InputRequired(_l("Enter an amount in yuan.")),
                                          Amount(positive)], description=description,
                       render_kw={"inputmode": "decimal", "autocomplete": "off"})


class NotInTheFuture:
    def __call__(self, form, field):
        if field.data is not None and (problem := date_problem(field.data)):
            raise StopValidation(problem)


class StandardForm(AppForm):
    household = amount_field(_l("Yuan per study household"), positive=False)
    enterprise_group = amount_field(_l("Yuan per enterprise study group"), positive=False)
    building = amount_field(_l("Yuan per building-captain group"), positive=False)
    village_floor = amount_field(_l("Floor per village or community"), _l(
        "The least a village or community (村（社区）) is planned, whatever its units."),
        positive=False)
    town_floor = amount_field(_l("Floor per town"), _l(
        "The least a town is planned, whatever its villages add up to."), positive=False)

    FIELDS = {"household": "household_fen", "enterprise_group": "enterprise_group_fen",
              "building": "building_fen", "village_floor": "village_floor_fen",
              "town_floor": "town_floor_fen"}

    def values(self) -> dict[str, int]:
        return {column: getattr(self, name).fen for name, column in self.FIELDS.items()}


class AllocationForm(AppForm):
    amount = amount_field(_l("Amount (yuan)"))
    allocated_on = DateField(_l("Allocated on"), default=clock.today, validators=[
        InputRequired(_l("Enter a date.")), NotInTheFuture()])
    note = TextAreaField(_l("Remark"), validators=[Optional(), Length(max=NOTE_MAX)],
                         render_kw={"rows": 2},
                         description=_l("E.g. the document number of the allocation."))


class DisbursementForm(AppForm):
    """The view sets `study_session.choices` to the town's study sessions of the year."""

    paid_on = DateField(_l("Paid on"), default=clock.today, validators=[
        InputRequired(_l("Enter a date.")), NotInTheFuture()])
    amount = amount_field(_l("Amount (yuan)"))
    payee = StringField(_l("Payee"), validators=[
        DataRequired(_l("Enter who was paid.")), Length(max=100)])
    purpose = StringField(_l("Purpose"), validators=[
        DataRequired(_l("Enter what the money was for.")), Length(max=200)],
        description=_l("E.g. printing of leaflets, a lecturer's fee, exhibition boards."))
    activity = StringField(_l("Activity"), validators=[Optional(), Length(max=100)],
                           description=_l("The activity it was spent on, e.g. 民法典宣传月; "
                                          "leave empty for other costs."))
    study_session = SelectField(_l("Study session"), coerce=choice_id, default=0,
                                validators=[Optional()],
                                description=_l("Optional: the study session it paid for."))
    voucher = FileField(_l("Voucher"), validators=[
        FileRequired(_l("Attach the voucher (a PDF or a photo).")),
        FileAllowed(["pdf", "jpg", "jpeg", "png", "webp"],
                    _l("Upload a PDF, or a JPEG, PNG or WebP photo."))],
        description=_l("A PDF up to 5 MB, or a photo (its location and camera data are "
                       "removed)."))
