"""Forms of the plans pages: upload a plan file, build one on the web, check off a milestone.

The builder's rows are turned into the same plain data a YAML file holds and checked by
`lawlearn.plans.spec.read_spec`, so a plan built on the web obeys exactly the file's rules.
"""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lawlearn import clock, codes
from lawlearn.forms import AppForm, AppSubForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models.plans import RULE_KINDS
from lawlearn.plans.operations import MAX_NOTE
from lawlearn.sessions.forms import choices
from lawlearn.validation import date_problem

RULE_LABELS = {"sessions": _l("Study sessions held"), "unit_share": _l("Share of units"),
               "manual": _l("Checked off by hand")}
MAX_ROWS = 60


class PlanUploadForm(AppForm):
    file = FileField(_l("Plan file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["yaml", "yml"], _l("Upload a .yaml or .yml file."))],
        description=_l("YAML as described in the plan format below. A plan with the same code "
                       "is replaced."))


class MilestoneRowForm(AppSubForm):
    """One milestone, with the stage it belongs to. A row that leaves the stage empty belongs
    to the stage of the row above."""

    stage = StringField(_l("Stage"), validators=[Optional(), Length(max=100)])
    stage_from = DateField(_l("Stage starts"), validators=[Optional()])
    code = StringField(_l("Code"), validators=[Optional(), Length(max=20)])
    name = StringField(_l("Milestone"), validators=[Optional(), Length(max=200)])
    due = DateField(_l("Due"), validators=[Optional()])
    kind = SelectField(_l("Met by"), validators=[Optional()])
    formats = SelectMultipleField(_l("Formats"), validators=[Optional()])
    topics = SelectMultipleField(_l("Topics"), validators=[Optional()])
    min_count = IntegerField(_l("At least (sessions)"), validators=[
        Optional(), NumberRange(min=1, max=10_000)], render_kw={"inputmode": "numeric"})
    unit_kind = SelectField(_l("Unit kind"), validators=[Optional()])
    min_share = StringField(_l("Share (e.g. 0.5)"), validators=[Optional(), Length(max=10)],
                            render_kw={"inputmode": "decimal"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, RULE_LABELS[k]) for k in RULE_KINDS]
        self.formats.choices = choices(codes.SESSION_FORMATS)
        self.topics.choices = choices(codes.TOPICS)
        self.unit_kind.choices = [("", "—"), *choices(codes.KINDS)]

    @property
    def blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.code, self.name))

    def validate_min_share(self, field):
        text = (field.data or "").strip().rstrip("%")
        if not text:
            return
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(_l("Write the share as a number such as 0.5.")) from None
        field.share = value / 100 if (field.data or "").strip().endswith("%") else value

    def rule(self) -> dict:
        rule: dict = {"kind": self.kind.data}
        if self.kind.data == "manual":
            return rule
        if self.formats.data:
            rule["formats"] = list(self.formats.data)
        if self.topics.data:
            rule["topics"] = list(self.topics.data)
        if self.kind.data == "sessions":
            rule["min"] = self.min_count.data or 1
        else:
            rule["unit_kind"] = self.unit_kind.data or None
            rule["min_share"] = getattr(self.min_share, "share", None)
        return rule


class PlanForm(AppForm):
    code = StringField(_l("Plan code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Letters, digits, - and _, e.g. cc2026. Saving a plan "
                                      "under an existing code replaces it."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    area_id = SelectField(_l("Area"), coerce=int, validators=[InputRequired()],
                          description=_l("The plan's rows are this area's towns (or a town's "
                                         "villages, communities and enterprises)."))
    rows = FieldList(FormField(MilestoneRowForm), min_entries=1, max_entries=MAX_ROWS)

    def __init__(self, *args, areas: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = areas

    def plan_data(self, area_code: str) -> dict:
        """The rows as a plan file's data, for spec.read_spec."""
        stages: list[dict] = []
        for row in self.rows:
            r = row.form
            if r.blank:
                continue
            name = (r.stage.data or "").strip()
            if name or r.stage_from.data or not stages:
                stages.append({"name": name, "from": r.stage_from.data, "milestones": []})
            stages[-1]["milestones"].append({
                "code": (r.code.data or "").strip(), "name": (r.name.data or "").strip(),
                "due": r.due.data, "rule": r.rule()})
        return {"code": (self.code.data or "").strip(), "title": (self.title.data or "").strip(),
                "area": area_code, "stages": stages}

    def fill(self, data: dict) -> None:
        """Rows from a stored plan's data (spec.to_data), for editing."""
        self.code.data, self.title.data = data["code"], data["title"]
        while len(self.rows):
            self.rows.pop_entry()
        for stage in data["stages"]:
            for position, m in enumerate(stage["milestones"]):
                rule = m["rule"]
                self.rows.append_entry({
                    "stage": stage["name"] if position == 0 else "",
                    "stage_from": stage["from"] if position == 0 else None,
                    "code": m["code"], "name": m["name"], "due": m["due"],
                    "kind": rule["kind"], "formats": rule.get("formats", []),
                    "topics": rule.get("topics", []), "min_count": rule.get("min"),
                    "unit_kind": rule.get("unit_kind") or "",
                    "min_share": str(rule["min_share"]) if rule.get("min_share") else ""})


class CheckoffForm(AppForm):
    area_id = SelectField(_l("Area"), coerce=int, validators=[InputRequired()])
    milestone = SelectField(_l("Milestone"), validators=[DataRequired()])
    done_on = DateField(_l("Done on"), validators=[InputRequired()], default=clock.today)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)],
                         description=_l("What was done, or where the evidence is kept."))

    def __init__(self, *args, areas: list[tuple[int, str]], milestones: list[tuple[str, str]],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = areas
        self.milestone.choices = milestones

    def validate_done_on(self, field):
        if field.data is not None and (problem := date_problem(field.data)):
            raise ValidationError(problem)
