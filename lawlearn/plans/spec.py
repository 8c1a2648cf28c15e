"""A stage activity plan as a file (docs/contracts.md, "Activity plans and milestones"): YAML
read and checked completely before anything is written.

Every problem is reported, each naming where it is (the milestone's code when it has one), so
a county fixes its file in one go. The web form that builds a plan hands the same structure to
`read_spec`, so a plan made on the web obeys exactly the rules of a loaded file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

from lawlearn import codes
from lawlearn.i18n import gettext as _
from lawlearn.models.plans import RULE_KINDS

PLAN_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
MILESTONE_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
MAX_TITLE, MAX_STAGE_NAME, MAX_MILESTONE_NAME = 200, 100, 200

PLAN_KEYS = {"code", "title", "area", "stages"}
STAGE_KEYS = {"name", "from", "milestones"}
MILESTONE_KEYS = {"code", "name", "due", "rule"}
RULE_KEYS = {
    "sessions": {"kind", "formats", "topics", "min"},
    "unit_share": {"kind", "unit_kind", "formats", "topics", "min_share"},
    "manual": {"kind"},
}


@dataclass
class MilestoneSpec:
    code: str
    name: str
    due: date
    kind: str
    formats: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    min_count: int | None = None      # sessions
    unit_kind: str | None = None      # unit_share
    min_share: float | None = None    # unit_share


@dataclass
class StageSpec:
    name: str
    starts_on: date
    milestones: list[MilestoneSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    code: str
    title: str
    area_code: str
    stages: list[StageSpec] = field(default_factory=list)

    @property
    def milestones(self) -> list[MilestoneSpec]:
        return [m for s in self.stages for m in s.milestones]


class _PlanLoader(yaml.SafeLoader):
    """Dates stay text until `_date` reads them: PyYAML's own reading of 2026-02-30 raises
    instead of reporting it with the other problems."""


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            lambda loader, node: loader.construct_scalar(node))


class PlanSpecError(ValueError):
    """A plan that can't be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_yaml(text: bytes | str) -> PlanSpec:
    """The plan in a YAML document, or PlanSpecError."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PlanSpecError([_("The file is not UTF-8 text.")]) from None
    try:
        data = yaml.load(text, Loader=_PlanLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("line %(line)d", line=mark.line + 1) if mark else ""
        raise PlanSpecError([_("The file is not valid YAML (%(where)s).", where=where)
                             if where else _("The file is not valid YAML.")]) from None
    return read_spec(data)


def read_spec(data: object) -> PlanSpec:
    """Check a plan given as plain data (a loaded YAML document, or a web form's values)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PlanSpecError([_("A plan is a mapping with code, title, area and stages.")])
    _unknown_keys(data, PLAN_KEYS, _("the plan"), problems)
    code = _text(data.get("code"), "code", _("the plan"), problems, 40)
    if code and not PLAN_CODE_RE.match(code):
        problems.append(_("The plan's code “%(code)s” may hold only letters, digits, - and _ "
                          "(at most 40).", code=code))
    title = _text(data.get("title"), "title", _("the plan"), problems, MAX_TITLE)
    area = data.get("area")
    area_code = str(area).strip() if isinstance(area, (str, int)) and not isinstance(
        area, bool) else ""
    if not area_code:
        problems.append(_("The plan has no area (the code of the county or town whose "
                          "children it covers)."))
    stages = []
    raw_stages = data.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        problems.append(_("The plan has no stages (a list, each with name, from and "
                          "milestones)."))
        raw_stages = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_stages, start=1):
        stage = _stage(raw, number, seen, problems)
        if stage is not None:
            stages.append(stage)
    if problems:
        raise PlanSpecError(problems)
    return PlanSpec(code=code, title=title, area_code=area_code, stages=stages)


def _stage(raw: object, number: int, seen: set[str], problems: list[str]) -> StageSpec | None:
    where = _("stage %(n)d", n=number)
    if not isinstance(raw, dict):
        problems.append(_("%(where)s: a stage is a mapping with name, from and milestones.",
                          where=where))
        return None
    _unknown_keys(raw, STAGE_KEYS, where, problems)
    name = _text(raw.get("name"), "name", where, problems, MAX_STAGE_NAME)
    starts_on = _date(raw.get("from"), "from", where, problems)
    raw_milestones = raw.get("milestones")
    if not isinstance(raw_milestones, list) or not raw_milestones:
        problems.append(_("%(where)s has no milestones.", where=where))
        raw_milestones = []
    stage = StageSpec(name=name, starts_on=starts_on, milestones=[])
    for m_number, m_raw in enumerate(raw_milestones, start=1):
        milestone = _milestone(m_raw, _("stage %(n)d, milestone %(m)d", n=number, m=m_number),
                               starts_on, seen, problems)
        if milestone is not None:
            stage.milestones.append(milestone)
    return stage


def _milestone(raw: object, where: str, starts_on: date | None, seen: set[str],
               problems: list[str]) -> MilestoneSpec | None:
    if not isinstance(raw, dict):
        problems.append(_("%(where)s: a milestone is a mapping with code, name, due and rule.",
                          where=where))
        return None
    code = raw.get("code")
    code = str(code).strip() if isinstance(code, (str, int)) and not isinstance(
        code, bool) else ""
    if code:
        if not MILESTONE_CODE_RE.match(code):
            problems.append(_("%(where)s: the code “%(code)s” may hold only letters, digits, "
                              "., - and _ (at most 20).", where=where, code=code))
        elif code in seen:
            problems.append(_("Milestone %(code)s: the code is used twice in the plan.",
                              code=code))
        seen.add(code)
        where = _("milestone %(code)s", code=code)
    else:
        problems.append(_("%(where)s has no code.", where=where))
    _unknown_keys(raw, MILESTONE_KEYS, where, problems)
    name = _text(raw.get("name"), "name", where, problems, MAX_MILESTONE_NAME)
    due = _date(raw.get("due"), "due", where, problems)
    if due and starts_on and due < starts_on:
        problems.append(_("%(where)s: due %(due)s is before its stage starts (%(start)s).",
                          where=where, due=due.isoformat(), start=starts_on.isoformat()))
    spec = MilestoneSpec(code=code, name=name, due=due, kind="manual")
    rule = raw.get("rule")
    if not isinstance(rule, dict):
        problems.append(_("%(where)s has no rule (a mapping with a kind: %(kinds)s).",
                          where=where, kinds=", ".join(RULE_KINDS)))
        return spec
    kind = rule.get("kind")
    if kind not in RULE_KINDS:
        problems.append(_("%(where)s: unknown rule kind “%(kind)s” (one of: %(kinds)s).",
                          where=where, kind=kind, kinds=", ".join(RULE_KINDS)))
        return spec
    spec.kind = kind
    _unknown_keys(rule, RULE_KEYS[kind], _("%(where)s's rule", where=where), problems)
    if kind == "manual":
        return spec
    spec.formats = _codes(rule.get("formats"), codes.SESSION_FORMATS, "formats", where, problems)
    spec.topics = _codes(rule.get("topics"), codes.TOPICS, "topics", where, problems)
    if kind == "sessions":
        count = rule.get("min", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10_000:
            problems.append(_("%(where)s: min must be a whole number of study sessions from 1 "
                              "to 10000.", where=where))
        else:
            spec.min_count = count
    else:
        unit_kind = rule.get("unit_kind")
        spec.unit_kind = codes.KINDS.parse(unit_kind) if isinstance(unit_kind, str) else None
        if spec.unit_kind is None:
            problems.append(_("%(where)s: unit_kind must be one of: %(kinds)s.", where=where,
                              kinds=", ".join(codes.KINDS.codes)))
        share = rule.get("min_share")
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            problems.append(_("%(where)s: min_share must be a share above 0 and at most 1, "
                              "e.g. 0.5.", where=where))
        else:
            spec.min_share = float(share)
    return spec


def _unknown_keys(data: dict, allowed: set[str], where: str, problems: list[str]) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        problems.append(_("%(where)s: unknown key(s) %(keys)s (allowed: %(allowed)s).",
                          where=where, keys=", ".join(unknown),
                          allowed=", ".join(sorted(allowed))))


def _text(value: object, key: str, where: str, problems: list[str], max_len: int) -> str:
    text = str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(
        value, bool) else ""
    if not text:
        problems.append(_("%(where)s: %(key)s is missing.", where=where, key=key))
    elif len(text) > max_len:
        problems.append(_("%(where)s: %(key)s is longer than %(n)d characters.", where=where,
                          key=key, n=max_len))
    return text


def _date(value: object, key: str, where: str, problems: list[str]) -> date | None:
    if isinstance(value, datetime):
        value = None  # a time of day has no place here
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    if value is None:
        problems.append(_("%(where)s: %(key)s is missing (a date, YYYY-MM-DD).", where=where,
                          key=key))
    else:
        problems.append(_("%(where)s: %(key)s “%(value)s” is not a date (YYYY-MM-DD).",
                          where=where, key=key, value=value))
    return None


def _codes(value: object, code_list: codes.CodeList, key: str, where: str,
           problems: list[str]) -> list[str]:
    """Codes or their Chinese aliases, as codes; none given means no filter."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.append(_("%(where)s: %(key)s must be a list.", where=where, key=key))
        return []
    found: list[str] = []
    for item in items:
        parsed = code_list.parse(item) if isinstance(item, str) else None
        if parsed is None:
            problems.append(_("%(where)s: unknown %(key)s entry “%(value)s” (one of: "
                              "%(allowed)s).", where=where, key=key, value=item,
                              allowed=", ".join(code_list.codes)))
        elif parsed not in found:
            found.append(parsed)
    return found


def to_data(plan) -> dict:
    """A stored plan as the plain data of its file (for download, and the web form)."""
    stages = []
    for stage in plan.stages:
        milestones = []
        for m in stage.milestones:
            rule: dict = {"kind": m.kind}
            if m.kind == "unit_share":
                rule["unit_kind"] = m.unit_kind
            if m.formats:
                rule["formats"] = m.formats
            if m.topics:
                rule["topics"] = m.topics
            if m.kind == "sessions":
                rule["min"] = m.min_count
            if m.kind == "unit_share":
                rule["min_share"] = m.min_share
            milestones.append({"code": m.code, "name": m.name, "due": m.due, "rule": rule})
        stages.append({"name": stage.name, "from": stage.starts_on, "milestones": milestones})
    return {"code": plan.code, "title": plan.title, "area": plan.area.code, "stages": stages}


def to_yaml(plan) -> str:
    return yaml.safe_dump(to_data(plan), allow_unicode=True, sort_keys=False,
                          default_flow_style=None, width=100)
