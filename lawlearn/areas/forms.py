from __future__ import annotations

import sqlalchemy as sa
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from lawlearn import codes, scope
from lawlearn.areas.operations import retired_parent_message
from lawlearn.areas.queries import area_choices
from lawlearn.extensions import db
from lawlearn.forms import AppForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Area
from lawlearn.validation import (
    area_code_problem,
    area_code_taken,
    choice_id,
    parent_problem,
    same_name_warning,
)


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
    # Shown only once the name turned out to be taken under the same parent: the second
    # submit, with this ticked, is the user's confirmation.
    same_name_ok = BooleanField(_l("Add it anyway: it is a different place with the same name"))

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

    def chosen_parent(self) -> Area | None:
        """The parent picked, if it is one of the choices (the user's scope); else None."""
        if self.parent_id.data and self.parent_id.data in {c[0] for c in self.parent_id.choices}:
            return db.session.get(Area, self.parent_id.data)
        return None

    def validate_code(self, field):
        # Taken first, as the import says it: codes are unique across the tree, and "taken" is
        # all a code elsewhere may tell.
        if db.session.scalar(sa.select(Area.id).where(Area.code == field.data.strip())):
            raise ValidationError(area_code_taken())
        parent = self.chosen_parent()
        if problem := area_code_problem(field.data.strip(), self.level.data,
                                        parent.code if parent else None):
            raise ValidationError(problem)

    def validate_parent_id(self, field):
        retired = self._retired_parent(field.data)
        if retired is not None:
            # Instead of the select's "not a valid choice": say why it is not one.
            field.errors[:] = []
            raise ValidationError(retired_parent_message(retired))
        level = self.area.level if self.area else self.level.data
        if level not in codes.PARENT_LEVEL:
            return  # the level field has its own message
        parent = db.session.get(Area, field.data) if field.data else None
        if problem := parent_problem(level, parent.level if parent else None):
            raise ValidationError(problem)
        if self.area and parent and self.area.contains(parent):
            raise ValidationError(_l("An area cannot be moved under itself."))

    def validate_name(self, field):
        parent = self.chosen_parent()
        name = (field.data or "").strip()
        twin = sa.select(Area.id).where(Area.name == name, Area.active,
                                        Area.parent_id == parent.id if parent
                                        else Area.parent_id.is_(None))
        if self.area is not None:
            twin = twin.where(Area.id != self.area.id)
        self.name_taken = bool(name) and db.session.scalar(twin.limit(1)) is not None
        if self.name_taken and not self.same_name_ok.data:
            raise ValidationError(same_name_warning(name, parent.name if parent else None))

    def _retired_parent(self, area_id: int | None) -> Area | None:
        if not area_id or area_id in {c[0] for c in self.parent_id.choices}:
            return None
        area = db.session.scalar(sa.select(Area).where(Area.id == area_id, scope.area_filter()))
        return area if area is not None and not area.active else None

    def for_display(self) -> AreaForm:
        """The form as the page shows it: the same-name box only when the name is taken."""
        if not getattr(self, "name_taken", False) and not self.same_name_ok.data:
            del self.same_name_ok
        return self
