from __future__ import annotations

import sqlalchemy as sa
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lawlearn import clock
from lawlearn.areas.queries import area_choices
from lawlearn.codes import KIND_AREA_LEVEL
from lawlearn.extensions import db
from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import StudyUnit
from lawlearn.validation import (
    choice_id,
    code_problem,
    date_problem,
    mobile_problem,
    normalise_mobile,
    normalise_phone,
    phone_problem,
    unit_code_taken,
)

# What `reach` counts, and what the optional detail field is, differ by kind (docs/contracts.md).
REACH_LABEL = {
    "household": _l("Neighbouring households it hosts"),
    "enterprise_group": _l("Workers in the group"),
    "building": _l("Households in the building"),
}
AREA_LABEL = {
    "household": _l("Village"),
    "enterprise_group": _l("Enterprise"),
    "building": _l("Community"),
}
NAME_HINT = {
    "household": _l("For example: 张家中心户"),
    "enterprise_group": _l("For example: 一车间早班学法班组"),
    "building": _l("For example: 幸福社区3号楼"),
}


class UnitForm(AppForm):
    # Stripped first: a code of spaces is no code (numbered automatically), not a code "   ".
    code = StringField(_l("Code"), validators=[Optional(), Length(max=32)],
                       filters=[lambda text: text.strip() if isinstance(text, str) else text],
                       description=_l("Leave empty to number it automatically."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    area_id = SelectField(_l("Area"), coerce=choice_id, validators=[DataRequired()])
    building = StringField(_l("Building number"), validators=[Optional(), Length(max=50)])
    shift = StringField(_l("Shift or workshop"), validators=[Optional(), Length(max=50)])
    leader_name = StringField(_l("Leader"), validators=[DataRequired(), Length(max=50)])
    leader_phone = StringField(_l("Leader's phone"), validators=[DataRequired(), Length(max=20)],
                               render_kw={"inputmode": "tel", "autocomplete": "tel"})
    reach = IntegerField(_l("Reach"), validators=[InputRequired(), NumberRange(min=0, max=100000)])
    registered_on = DateField(_l("Registered on"), validators=[DataRequired()], default=clock.today)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, kind: str, unit: StudyUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.unit = kind, unit
        self.area_id.label.text = AREA_LABEL[kind]
        self.area_id.choices = area_choices((KIND_AREA_LEVEL[kind],))
        self.reach.label.text = REACH_LABEL[kind]
        self.name.description = NAME_HINT[kind]
        if kind != "building":
            del self.building
        if kind != "enterprise_group":
            del self.shift
        if unit is not None:
            del self.code

    def validate_code(self, field):
        if not field.data:
            return
        field.data = field.data.strip()
        if problem := code_problem(field.data):
            raise ValidationError(problem)
        if db.session.scalar(sa.select(StudyUnit.id).where(StudyUnit.code == field.data)):
            raise ValidationError(unit_code_taken())

    def validate_leader_phone(self, field):
        phone = normalise_phone(field.data)
        if phone is None:
            raise ValidationError(phone_problem(field.data))
        field.data = phone

    def validate_registered_on(self, field):
        if problem := date_problem(field.data):
            raise ValidationError(problem)

    def unit_fields(self) -> dict:
        return {name: (field.data.strip() or None) if isinstance(field.data, str) else field.data
                for name, field in self._fields.items()
                if name not in ("csrf_token", "code", "area_id")}


class MemberForm(AppForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=50)])
    mobile = StringField(_l("Mobile number"), validators=[Optional(), Length(max=20)],
                         description=_l("Optional. Used only to recognise the same person again; "
                                        "shown masked."),
                         render_kw={"inputmode": "numeric", "autocomplete": "off"})

    def validate_mobile(self, field):
        if not field.data:
            return
        mobile = normalise_mobile(field.data)
        if mobile is None:
            raise ValidationError(mobile_problem(field.data))
        field.data = mobile
