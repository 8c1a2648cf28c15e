"""Reading and checking an assessment scheme (考核细则) written in YAML (docs/contracts.md,
"Assessment").

A scheme is refused whole: every problem is collected and reported, each naming the item's
code, and nothing is stored unless there are none. What passes is a plain, JSON-ready
document (dates as ISO text, rules normalised) that is stored as it is and downloaded again
as YAML: the optional texts an office writes on its scoring sheet (`group` 一级指标,
`content` 考核内容, `standard` 评分标准, `basis` 考核依据) and any other keys ride along
untouched.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from lawlearn import codes
from lawlearn.i18n import gettext as _
from lawlearn.validation import CODE_RE

FIRST_YEAR, LAST_YEAR = 2000, 2100
BASE_POINTS = Decimal(100)

TARGET, RATE, PER_UNIT, BANDS = "target", "rate", "per_unit", "bands"
DEDUCTION, BONUS, MANUAL, VETO = "deduction", "bonus", "manual", "veto"
RULE_KINDS = (TARGET, RATE, PER_UNIT, BANDS, DEDUCTION, BONUS, MANUAL, VETO)
# Items whose score comes from entries (a town's figures typed or imported), not from the
# coverage report.
ENTRY_KINDS = (DEDUCTION, BONUS, MANUAL, VETO)
# Not part of the base 100: a bonus is on top of it, a veto has no points.
OUTSIDE_BASE = (BONUS, VETO)

# `budget_disbursed_rate` is not in the coverage ROW: the town's disbursed ÷ allocated budget
# for the scheme's year (lawlearn.budgets.queries), added to the row only for a scheme that
# reads it, so other schemes' scores and queries stay as they were.
BUDGET_METRIC = "budget_disbursed_rate"
RATE_METRICS = ("active_rate", "pass_rate", BUDGET_METRIC)
PER_UNIT_METRICS = ("sessions", "attendances", "participants", "quiz_attempts",
                    "quiz_participants")
# A band reads a share (as `rate` does) or a figure per unit (as `per_unit` does).
BAND_METRICS = RATE_METRICS + PER_UNIT_METRICS

MAX_BYTES = 512 * 1024
_NESTING_LIMIT = 50

# A deduction may also count a figure lawlearn keeps itself, on top of its entries:
# `late_returns`, the monthly returns (月报) a town sent late or not at all in the scheme's year.
DEDUCTION_METRICS = ("late_returns",)


class Problem(str):
    """One reason a scheme is refused, as text, and where it points: `field` (the scheme's
    title, period, grades, tiers, or an item's code, name, points, kind, unit_kind, metric,
    full_at, per, bands) and `item` (the item's code, or its position when it has no code), so
    the web editor can show it next to the field it is about."""

    field: str | None = None
    item: str | int | None = None


def _at(field: str | None, item: str | int | None, text: str) -> Problem:
    problem = Problem(text)
    problem.field, problem.item = field, item
    return problem


class SchemeError(ValueError):
    """The scheme is refused; `problems` says every reason, in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_yaml(data: bytes) -> dict:
    """The checked scheme from the bytes of a YAML file; SchemeError when anything is wrong."""
    if len(data) > MAX_BYTES:
        raise SchemeError([_("The scheme file is larger than %(n)d KB.", n=MAX_BYTES // 1024)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SchemeError([_("The scheme file is not UTF-8 text.")]) from None
    depth = peak = 0
    for bracket in re.findall(r"[\[\]{}]", text):
        depth += 1 if bracket in "[{" else -1
        peak = max(peak, depth)
    if peak > _NESTING_LIMIT:
        raise SchemeError([_("The scheme file nests lists too deeply to be a scheme.")])
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("line %(line)d", line=mark.line + 1) if mark else ""
        raise SchemeError([_("The scheme is not valid YAML %(where)s: %(problem)s",
                             where=where, problem=getattr(error, "problem", None) or error)]
                          ) from None
    except (ValueError, RecursionError):
        raise SchemeError([_("The scheme file holds a number or nesting no scheme has.")]
                          ) from None
    return check(raw)


def to_yaml(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def check(raw: Any) -> dict:
    """The normalised scheme from what YAML gave, or SchemeError with every problem."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise SchemeError([_("A scheme is a mapping with year, title, grades and items.")])
    document = dict(raw)
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(_at("year", None,
                            _("The scheme's year must be a year between %(first)d and %(last)d.",
                              first=FIRST_YEAR, last=LAST_YEAR)))
        year = None
    document["year"] = year
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > 200:
        problems.append(_at("title", None,
                            _("The scheme needs a title of at most 200 characters.")))
    else:
        document["title"] = title.strip()
    document["period"] = _period(raw.get("period"), year, problems)
    document["grades"] = _grades(raw.get("grades"), problems)
    document["items"] = _items(raw.get("items"), problems)
    if raw.get("tiers") is not None:
        document["tiers"] = _tiers(raw.get("tiers"), problems)
    if problems:
        raise SchemeError(problems)
    return document


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _period(raw: Any, year: int | None, problems: list[str]) -> dict | None:
    if raw is None:
        if year is None:
            return None
        return {"from": date(year, 1, 1).isoformat(), "to": date(year, 12, 31).isoformat()}
    if not isinstance(raw, dict):
        problems.append(_at("period", None,
                            _("The period is written as {from: 2026-01-01, to: 2026-12-31}.")))
        return None
    start, end = _day(raw.get("from")), _day(raw.get("to"))
    if start is None or end is None:
        problems.append(_at("period", None,
                            _("The period needs dates from and to, written as 2026-01-01.")))
        return None
    if start > end:
        problems.append(_at("period", None,
                            _("The period starts after it ends.")))
        return None
    if not (FIRST_YEAR <= start.year and end.year <= LAST_YEAR):
        problems.append(_at("period", None,
                            _("The period must lie between %(first)d and %(last)d.",
                              first=FIRST_YEAR, last=LAST_YEAR)))
        return None
    return {"from": start.isoformat(), "to": end.isoformat()}


def number(value: Any) -> Decimal | None:
    """A finite number written in the file as a number (not text, not true/false)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def _grades(raw: Any, problems: list[str]) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        problems.append(_at("grades", None,
                            _("The scheme needs grades, e.g. [{name: 合格, min: 60}, "
                              "{name: 不合格, min: 0}].")))
        return []
    grades, names = [], set()
    for grade in raw:
        name = grade.get("name") if isinstance(grade, dict) else None
        minimum = number(grade.get("min")) if isinstance(grade, dict) else None
        if not isinstance(name, str) or not name.strip() or minimum is None:
            problems.append(_at("grades", None,
                                _("Each grade needs a name and a minimum total (min).")))
            continue
        if name.strip() in names:
            problems.append(_at("grades", None,
                                _("The grade %(name)s appears twice.", name=name.strip())))
        names.add(name.strip())
        grades.append({**grade, "name": name.strip(), "min": grade["min"]})
    return grades


def _items(raw: Any, problems: list[str]) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        problems.append(_at("items", None,
                            _("The scheme needs a list of items.")))
        return []
    items, seen, base = [], set(), Decimal(0)
    for index, entry in enumerate(raw, start=1):
        item = _item(entry, index, seen, problems)
        if item is None:
            continue
        items.append(item)
        if item["rule"]["kind"] not in OUTSIDE_BASE and (pts := number(item.get("points"))):
            base += pts
    counted = [i for i in items if i["rule"]["kind"] not in OUTSIDE_BASE]
    if counted and len(items) == len(raw) and base != BASE_POINTS:
        problems.append(_at("points", None,
                            _("The base points (every item but bonus and veto items) add up to "
                              "%(sum)s, not 100: %(items)s.", sum=_plain(base),
                              items="、".join(f"{i['code']} {i.get('points')}" for i in counted))))
    return items


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _item(entry: Any, index: int, seen: set[str], problems: list[str]) -> dict | None:
    if not isinstance(entry, dict):
        problems.append(_at("code", index,
                            _("Item %(n)d is not written as {code: ..., name: ..., points: ..., "
                              "rule: {kind: ...}}.", n=index)))
        return None
    code = entry.get("code")
    code = str(code).strip() if isinstance(code, (str, int)) and not isinstance(code, bool) \
        else ""
    if not CODE_RE.match(code):
        problems.append(_at("code", index,
                            _("Item %(n)d needs a code of 1–32 letters, digits or hyphens.",
                              n=index)))
        return None
    if code in seen:
        problems.append(_at("code", code,
                            _("Item %(code)s: the code appears twice.", code=code)))
        return None
    seen.add(code)
    ok = True
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        problems.append(_at("name", code,
                            _("Item %(code)s: the name is missing or longer than 200 characters.",
                              code=code)))
        ok = False
    rule = entry.get("rule")
    kind = rule.get("kind") if isinstance(rule, dict) else None
    if kind not in RULE_KINDS:
        problems.append(_at("kind", code,
                            _("Item %(code)s: unknown rule kind “%(kind)s” (one of: %(kinds)s).",
                              code=code, kind=kind if kind is not None else "",
                              kinds=", ".join(RULE_KINDS))))
        return None
    points = number(entry.get("points"))
    if kind != VETO and (points is None or points <= 0):
        problems.append(_at("points", code,
                            _("Item %(code)s: points must be a number above 0.", code=code)))
        ok = False
    checked_rule = _rule(code, kind, rule, points, problems)
    if checked_rule is None or not ok:
        return None
    item = {**entry, "code": code, "name": name.strip(), "rule": checked_rule}
    if kind == VETO:
        item.pop("points", None)
    return item


def _positive(code: str, rule: dict, key: str, problems: list[str]) -> Any:
    value = number(rule.get(key))
    if value is None or value <= 0:
        problems.append(_at(key, code,
                            _("Item %(code)s: %(key)s must be a number above 0.", code=code,
                              key=key)))
        return None
    return rule[key]


def _metric(code: str, rule: dict, allowed: tuple[str, ...], problems: list[str]) -> str | None:
    metric = rule.get("metric")
    if metric not in allowed:
        problems.append(_at("metric", code,
                            _("Item %(code)s: unknown metric “%(metric)s” for a %(kind)s rule "
                              "(one of: %(metrics)s).", code=code,
                              metric=metric if metric is not None else "", kind=rule["kind"],
                              metrics=", ".join(allowed))))
        return None
    return metric


def _rule(code: str, kind: str, rule: dict, points: Decimal | None,
          problems: list[str]) -> dict | None:
    checked = {**rule, "kind": kind}
    if kind == TARGET:
        unit_kind = codes.KINDS.parse(str(rule.get("unit_kind") or ""))
        if unit_kind is None:
            problems.append(_at("unit_kind", code,
                                _("Item %(code)s: unknown unit_kind “%(value)s” (one of: "
                                  "%(kinds)s).", code=code, value=rule.get("unit_kind") or "",
                                  kinds=", ".join(codes.KINDS.codes))))
            return None
        checked["unit_kind"] = unit_kind
    elif kind in (RATE, PER_UNIT):
        allowed = RATE_METRICS if kind == RATE else PER_UNIT_METRICS
        metric = _metric(code, rule, allowed, problems)
        if kind == RATE and rule.get("full_at") is None:
            rule = checked = {**checked, "full_at": 1}  # a share: full marks at 100 %
        full_at = _positive(code, rule, "full_at", problems)
        if metric is None or full_at is None:
            return None
    elif kind == BANDS:
        metric = _metric(code, rule, BAND_METRICS, problems)
        bands = _bands(code, rule.get("bands"), points, problems)
        if metric is None or bands is None:
            return None
        checked["bands"] = bands
    elif kind == DEDUCTION:
        if rule.get("per") is None:  # one point off for each unit of the entries' sum
            rule = checked = {**checked, "per": 1}
        per = _positive(code, rule, "per", problems)
        if "metric" in rule and _metric(code, rule, DEDUCTION_METRICS, problems) is None:
            return None
        if per is None:
            return None
    return checked


def _bands(code: str, raw: Any, points: Decimal | None, problems: list[str]) -> list | None:
    """[[threshold, points], ...] highest threshold first, whatever order they were written."""
    if not isinstance(raw, list) or not raw:
        problems.append(_at("bands", code,
                            _("Item %(code)s: bands are written as [[0.9, 15], [0.75, 10]].",
                              code=code)))
        return None
    bands = []
    for band in raw:
        pair = band if isinstance(band, list) and len(band) == 2 else [None, None]
        threshold, band_points = number(pair[0]), number(pair[1])
        if threshold is None or band_points is None or band_points < 0:
            problems.append(_at("bands", code,
                                _("Item %(code)s: each band is a threshold and the points it "
                                  "earns, e.g. [0.9, 15].", code=code)))
            return None
        if points is not None and band_points > points:
            problems.append(_at("bands", code,
                                _("Item %(code)s: a band gives %(band)s points, above the item's "
                                  "%(points)s.", code=code, band=_plain(band_points),
                                  points=_plain(points))))
            return None
        bands.append([pair[0], pair[1]])
    if len({number(b[0]) for b in bands}) != len(bands):
        problems.append(_at("bands", code,
                            _("Item %(code)s: two bands have the same threshold.", code=code)))
        return None
    return sorted(bands, key=lambda b: number(b[0]), reverse=True)


def _tiers(raw: Any, problems: list[str]) -> list[dict]:
    """Optional town tiers (类别), ranked separately on the web: [{name, areas: [codes]}]. The
    contract's ranking (CLI, JSON) is over all towns and does not read them."""
    if not isinstance(raw, list):
        problems.append(_at("tiers", None,
                            _("Tiers are written as [{name: 一类, areas: [\"330101\"]}].")))
        return []
    tiers, seen = [], {}
    for tier in raw:
        name = tier.get("name") if isinstance(tier, dict) else None
        areas = tier.get("areas") if isinstance(tier, dict) else None
        if not isinstance(name, str) or not name.strip() or not isinstance(areas, list):
            problems.append(_at("tiers", None,
                                _("Each tier needs a name and a list of area codes (areas).")))
            continue
        codes_ = [str(a).strip() for a in areas if isinstance(a, (str, int))
                  and not isinstance(a, bool)]
        for code in codes_:
            if code in seen:
                problems.append(_at("tiers", None,
                                    _("Area %(code)s is in two tiers (%(first)s, %(second)s).",
                                      code=code, first=seen[code], second=name.strip())))
            seen[code] = name.strip()
        tiers.append({**tier, "name": name.strip(), "areas": codes_})
    return tiers


def tier_of(document: dict) -> dict[str, str]:
    """{area code: tier name} for the scheme's tiers (empty without tiers)."""
    return {code: tier["name"] for tier in document.get("tiers") or [] for code in tier["areas"]}


def period_of(document: dict) -> tuple[date, date]:
    return (date.fromisoformat(document["period"]["from"]),
            date.fromisoformat(document["period"]["to"]))


def uses_metric(document: dict, metric: str) -> bool:
    return any(i["rule"].get("metric") == metric for i in document["items"])


def counted_metrics(document: dict) -> set[str]:
    """The figures the scheme's deductions count besides their entries (e.g. late_returns)."""
    return {i["rule"]["metric"] for i in document["items"]
            if i["rule"]["kind"] == DEDUCTION and i["rule"].get("metric")}


def entry_items(document: dict) -> dict[str, dict]:
    """{code: item} for the items that entries feed."""
    return {i["code"]: i for i in document["items"] if i["rule"]["kind"] in ENTRY_KINDS}
