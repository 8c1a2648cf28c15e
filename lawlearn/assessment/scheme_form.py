"""The scheme editor's form: a year's whole scheme on one page (title, period, grades, tiers,
then one block per item), because the base points must add up to 100 at every save, so two
items' points can only change together.

The form checks nothing of the scheme itself: it turns what was typed into the document a YAML
file would have given (numbers where numbers were typed, the text as typed otherwise) and hands
it to lawlearn.assessment.scheme.check, the one home of the scheme's rules, whose problems then
go back next to the fields they name.
"""

from __future__ import annotations

import math
import re
from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from lawlearn import codes
from lawlearn.assessment.scheme import (
    BAND_METRICS,
    BANDS,
    DEDUCTION,
    DEDUCTION_METRICS,
    PER_UNIT,
    RATE,
    RULE_KINDS,
    TARGET,
    VETO,
    Problem,
)
from lawlearn.forms import AppForm, AppSubForm
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.quiz.forms import _choices

MAX_ITEMS = 200
_TEXT = [Optional(), Length(max=2000)]
_SHORT = [Optional(), Length(max=300)]
# The rule's parameters the form writes; any other key of a stored rule rides along.
_RULE_KEYS = ("kind", "unit_kind", "metric", "full_at", "per", "bands")
_ITEM_KEYS = ("code", "name", "points", "rule", "group", "content", "standard", "basis")


class ItemForm(AppSubForm):
    original = HiddenField()
    remove = BooleanField(_l("Remove this item"))
    group = StringField(_l("First-level indicator"), validators=_SHORT)
    code = StringField(_l("Code"), validators=_SHORT)
    name = StringField(_l("Name"), validators=_SHORT)
    points = StringField(_l("Points"), validators=_SHORT, render_kw={"inputmode": "decimal"},
                         description=_l("Not for a veto item."))
    kind = SelectField(_l("Rule"))
    unit_kind = SelectField(_l("Unit kind"), validators=[Optional()],
                            description=_l("Target items only."))
    metric = SelectField(_l("Metric"), validators=[Optional()],
                         description=_l("Rate, per-unit and band items; a deduction may count "
                                        "late monthly returns."))
    full_at = StringField(_l("Full marks at"), validators=_SHORT,
                          render_kw={"inputmode": "decimal"},
                          description=_l("Rate and per-unit items: a share (0.9 = 90 %) or a "
                                         "figure per unit."))
    per = StringField(_l("Points off each time"), validators=_SHORT,
                      render_kw={"inputmode": "decimal"}, description=_l("Deduction items."))
    bands = StringField(_l("Bands"), validators=_SHORT,
                        description=_l("Band items: threshold=points, separated by ;, e.g. "
                                       "0.9=15; 0.75=10"))
    content = TextAreaField(_l("Content"), validators=_TEXT)
    standard = TextAreaField(_l("Scoring standard"), validators=_TEXT,
                             description=_l("Shown as written; left empty, the rule in words."))
    basis = TextAreaField(_l("Evidence expected"), validators=_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from lawlearn.assessment.explain import kind_label, metric_label

        self.kind.choices = _choices((k, kind_label(k)) for k in RULE_KINDS)
        self.unit_kind.choices = _choices([("", "–"), *((k, codes.KINDS.label(k))
                                                         for k in codes.KINDS.codes)])
        self.metric.choices = _choices([("", "–"), *((m, metric_label(m)) for m
                                                      in BAND_METRICS + DEDUCTION_METRICS)])

    @property
    def blank(self) -> bool:
        return not (self.code.data or "").strip() and not (self.name.data or "").strip()


class GradeForm(AppSubForm):
    name = StringField(_l("Grade"), validators=_SHORT)
    min = StringField(_l("Minimum total"), validators=_SHORT,
                      render_kw={"inputmode": "decimal"})


class TierForm(AppSubForm):
    name = StringField(_l("Tier"), validators=_SHORT)
    areas = StringField(_l("Area codes"), validators=[Optional(), Length(max=4000)],
                        description=_l("Separated by spaces or commas."))


class SchemeEditForm(AppForm):
    title = StringField(_l("Title"), validators=_SHORT)
    period_from = StringField(_l("Period from"), validators=_SHORT, render_kw={"type": "date"})
    period_to = StringField(_l("Period to"), validators=_SHORT, render_kw={"type": "date"})
    grades = FieldList(FormField(GradeForm), min_entries=1, max_entries=20)
    tiers = FieldList(FormField(TierForm), max_entries=50)
    items = FieldList(FormField(ItemForm), min_entries=1, max_entries=MAX_ITEMS)

    def fill(self, document: dict) -> None:
        """The fields from a stored scheme, for editing."""
        self.title.data = document["title"]
        self.period_from.data = document["period"]["from"]
        self.period_to.data = document["period"]["to"]
        for name in ("grades", "tiers", "items"):
            while len(self[name]):
                self[name].pop_entry()
        for grade in document["grades"]:
            self.grades.append_entry({"name": grade["name"], "min": _text(grade["min"])})
        for tier in document.get("tiers") or []:
            self.tiers.append_entry({"name": tier["name"], "areas": " ".join(tier["areas"])})
        for item in document["items"]:
            rule = item["rule"]
            self.items.append_entry({
                "original": item["code"], "code": item["code"], "name": item["name"],
                "group": item.get("group") or "", "points": _text(item.get("points")),
                "kind": rule["kind"], "unit_kind": rule.get("unit_kind") or "",
                "metric": rule.get("metric") or "", "full_at": _text(rule.get("full_at")),
                "per": _text(rule.get("per")), "bands": "; ".join(
                    f"{_text(t)}={_text(p)}" for t, p in rule.get("bands") or []),
                "content": item.get("content") or "", "standard": item.get("standard") or "",
                "basis": item.get("basis") or ""})

    def document(self, stored: dict) -> dict:
        """What was typed as a scheme document, for check(); the stored scheme's other keys
        (and its items' and rules' other keys, by the code they were loaded under) stay."""
        start, end = (self.period_from.data or "").strip(), (self.period_to.data or "").strip()
        raw = {**stored, "title": (self.title.data or "").strip(),
               "period": {"from": start, "to": end} if start or end else None,
               "grades": [{"name": (g.form.name.data or "").strip(),
                           "min": _number(g.form.min.data)}
                          for g in self.grades if _filled(g.form.name, g.form.min)]}
        raw.pop("tiers", None)
        tiers = [{"name": (t.form.name.data or "").strip(),
                  "areas": [a for a in re.split(r"[\s,，、]+", t.form.areas.data or "") if a]}
                 for t in self.tiers if _filled(t.form.name, t.form.areas)]
        if tiers:
            raw["tiers"] = tiers
        before = {i["code"]: i for i in stored.get("items", [])}
        raw["items"] = [_item(row.form, before.get(row.form.original.data) or {})
                        for row in self.kept_items()]
        return raw

    def kept_items(self) -> list:
        """The item blocks that make the scheme: not marked for removal, not left blank."""
        return [row for row in self.items if not row.form.remove.data and not row.form.blank]

    def show(self, problems: list[str]) -> list[str]:
        """Put each problem next to the field it names; return those that name none."""
        rows = self.kept_items()
        header = {"title": self.title, "period": self.period_from,
                  "grades": self.grades[0].form.name if len(self.grades) else None,
                  "tiers": self.tiers[0].form.name if len(self.tiers) else None}
        left = []
        for problem in problems:
            field = _field_for(problem, rows, header)
            if field is None:
                left.append(problem)
            else:
                field.errors = [*field.errors, problem]
        return left


def _field_for(problem: str, rows: list, header: dict):
    where, item = getattr(problem, "field", None), getattr(problem, "item", None)
    if not isinstance(problem, Problem) or where is None:
        return None
    if item is None:
        return header.get(where)
    if isinstance(item, int):
        row = rows[item - 1] if 0 < item <= len(rows) else None
    else:
        row = next((r for r in rows if (r.form.code.data or "").strip() == item), None)
    return getattr(row.form, where, None) if row is not None else None


def _item(form: ItemForm, before: dict) -> dict:
    kind = form.kind.data
    old_rule = before.get("rule") or {}
    rule = {k: v for k, v in old_rule.items() if k not in _RULE_KEYS}
    rule["kind"] = kind
    metric = form.metric.data or None
    if kind == TARGET:
        rule["unit_kind"] = form.unit_kind.data or None
    elif kind in (RATE, PER_UNIT):
        rule["metric"] = metric
        if (form.full_at.data or "").strip() or kind == PER_UNIT:
            rule["full_at"] = _number(form.full_at.data)
    elif kind == BANDS:
        rule["metric"], rule["bands"] = metric, _bands(form.bands.data)
    elif kind == DEDUCTION:
        if (form.per.data or "").strip():
            rule["per"] = _number(form.per.data)
        if metric:
            rule["metric"] = metric
    item = {k: v for k, v in before.items() if k not in _ITEM_KEYS}
    item.update(code=(form.code.data or "").strip(), name=(form.name.data or "").strip())
    if kind != VETO:
        item["points"] = _number(form.points.data)
    item["rule"] = rule
    for key in ("group", "content", "standard", "basis"):
        if (text := (form[key].data or "").strip()):
            item[key] = text
    return item


def _number(text: str | None) -> Any:
    """A number as a YAML file would give it; what is not a number stays text, for check() to
    refuse with the item's code."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def _bands(text: str | None) -> list:
    """"0.9=15; 0.75=10" as [[0.9, 15], [0.75, 10]]; a piece that is not a pair stays a
    one-element list, which check() refuses."""
    bands = []
    for piece in re.split(r"[;；\n]+", text or ""):
        if piece.strip():
            bands.append([_number(p) for p in re.split(r"\s*[=:：]\s*|\s+", piece.strip())])
    return bands


def _filled(*fields) -> bool:
    return any((field.data or "").strip() for field in fields)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)
