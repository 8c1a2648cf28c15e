from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from lawlearn import codes
from lawlearn.areas.queries import area_choices
from lawlearn.extensions import db
from lawlearn.forms import AppForm
from lawlearn.models import Area
from lawlearn.validation import area_code_taken, choice_id, code_problem, parent_problem


class AreaForm(AppForm):
    """Create or edit an area. The parent list holds only areas of the level the chosen level
    needs, within the user's scope."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("The administrative division code, or the enterprise's "
                                      "code. It cannot be changed later."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    level = SelectField(_l("Level"), validators=[DataRequired()])
    parent_id = SelectField(_l("Parent area"), coerce=choice_id, validators=[Optional()])
    employees = IntegerField(_l("Employees"), validators=[Optional(), NumberRange(min=0)],
                             description=_l("Enterprises only."))
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=100)],
                           description=_l("Enterprises only."))

    def __init__(self, *args, area: Area | None = None, levels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.level.choices = [(c.code, c.label) for c in codes.LEVELS if c.code in levels]
        parent_levels = tuple({codes.PARENT_LEVEL[lv] for lv in levels} - {None})
        self.parent_id.choices = area_choices(parent_levels)
        if None in {codes.PARENT_LEVEL[lv] for lv in levels}:  # a county may stand alone
            self.parent_id.choices.insert(0, (0, _l("— none (a county) —")))
        # A form for one level shows only what that level has: enterprise fields on an
        # enterprise's form only (the template leaves these out).
        self.unneeded = (("employees", "industry")
                         if len(levels) == 1 and levels[0] != "enterprise" else ())
        if area is not None:
            del self.code
            del self.level

    def validate_code(self, field):
        if problem := code_problem(field.data.strip()):
            raise ValidationError(problem)
        if db.session.scalar(sa.select(Area.id).where(Area.code == field.data.strip())):
            raise ValidationError(area_code_taken())

    def validate_parent_id(self, field):
        level = self.area.level if self.area else self.level.data
        if level not in codes.PARENT_LEVEL:
            return  # the level field has its own message
        parent = db.session.get(Area, field.data) if field.data else None
        if problem := parent_problem(level, parent.level if parent else None):
            raise ValidationError(problem)
        if self.area and parent and self.area.contains(parent):
            raise ValidationError(_l("An area cannot be moved under itself."))
