"""Scoring towns against a scheme: pure arithmetic from a town's coverage ROW, its targets and
its entries (docs/contracts.md, "Assessment"). No database here, so every rule can be tested
by hand.

Every figure is a Decimal: the contract rounds each item half-up to the cent, and binary
floating point would put 18.125 on the wrong side of that line. Each item also keeps the
figures its score came from (`facts`), so a page can explain the arithmetic in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from lawlearn.assessment.scheme import (
    BANDS,
    BONUS,
    BUDGET_METRIC,
    DEDUCTION,
    MANUAL,
    PER_UNIT,
    RATE,
    TARGET,
    VETO,
)

CENT = Decimal("0.01")
ZERO, ONE = Decimal(0), Decimal(1)


def dec(value: Any) -> Decimal | None:
    """A figure as a Decimal, through its text (so 0.1 stays 0.1); None stays None."""
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class ItemScore:
    code: str
    kind: str
    score: Decimal                 # rounded half-up to the cent
    points: Decimal | None         # the most the item gives (None for a veto)
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class TownScore:
    code: str
    name: str
    items: dict[str, ItemScore]
    total: Decimal
    vetoed: bool
    grade: str | None = None
    rank: int | None = None


def metric_value(row: dict, metric: str) -> Decimal | None:
    """What a rate or band reads: a share (active_rate, pass_rate) or a figure per registered
    unit (sessions, attendances, …). None when there is nothing to divide or no value."""
    total = row["units"]["total"]
    if metric == "active_rate":
        return dec(row["active_units"]) / total if total else None
    if metric == "pass_rate":
        return dec(row.get("pass_rate"))
    if metric == BUDGET_METRIC:  # disbursed ÷ allocated; 0 when nothing was allocated
        return dec(row.get(BUDGET_METRIC) or 0)
    value = dec(row.get(metric))
    return value / total if value is not None and total else None


def _capped(points: Decimal, share: Decimal) -> Decimal:
    return points * min(ONE, share)


def item_score(item: dict, row: dict, targets: dict[str, int],
               entry: Decimal | None, figures: dict[str, int] | None = None) -> ItemScore:
    """One item for one town. `targets` is {unit kind: target} for the town and the scheme's
    year; `entry` the sum of the town's entry values for the item (None: no entry);
    `figures` the town's counts a deduction can read besides its entries ({"late_returns": 3})."""
    rule = item["rule"]
    kind = rule["kind"]
    points = dec(item.get("points"))
    facts: dict[str, Any] = {}
    with localcontext() as context:
        context.prec = 40
        if kind == TARGET:
            have, target = row["units"][rule["unit_kind"]], targets.get(rule["unit_kind"])
            facts.update(unit_kind=rule["unit_kind"], units=have, target=target)
            if target is None:
                raw = ZERO
            elif target == 0:  # nothing was asked, so nothing is missing
                raw = points
            else:
                raw = _capped(points, dec(have) / target)
        elif kind in (RATE, PER_UNIT):
            full_at = dec(rule["full_at"])
            value = metric_value(row, rule["metric"])
            facts.update(metric=rule["metric"], value=value, full_at=full_at,
                         figure=row.get(rule["metric"]), active_units=row["active_units"],
                         units=row["units"]["total"])
            raw = ZERO if value is None else _capped(points, value / full_at)
        elif kind == BANDS:
            value = metric_value(row, rule["metric"])
            facts.update(metric=rule["metric"], value=value, figure=row.get(rule["metric"]),
                         active_units=row["active_units"], units=row["units"]["total"])
            raw, facts["band"] = ZERO, None
            if value is not None:
                for threshold, band_points in rule["bands"]:  # highest threshold first
                    if dec(threshold) <= value:
                        raw, facts["band"] = dec(band_points), dec(threshold)
                        break
        elif kind == DEDUCTION:
            per, metric = dec(rule["per"]), rule.get("metric")
            counted = dec((figures or {}).get(metric, 0)) if metric else None
            facts.update(entry=entry, per=per, metric=metric, counted=counted)
            raw = max(ZERO, points - per * ((entry or ZERO) + (counted or ZERO)))
        elif kind in (BONUS, MANUAL):
            facts.update(entry=entry)
            raw = min(points, entry or ZERO)
        elif kind == VETO:
            facts.update(entry=entry, vetoed=entry is not None and entry >= ONE)
            raw = ZERO
        else:  # pragma: no cover - the scheme was checked when it was loaded
            raise ValueError(kind)
        return ItemScore(item["code"], kind, half_up(raw), points, facts)


def town_score(document: dict, row: dict, targets: dict[str, int],
               entries: dict[str, Decimal], figures: dict[str, int] | None = None) -> TownScore:
    items = {item["code"]: item_score(item, row, targets, entries.get(item["code"]), figures)
             for item in document["items"]}
    vetoed = any(s.facts.get("vetoed") for s in items.values())
    total = sum((s.score for s in items.values()), ZERO)
    return TownScore(row["code"], row["name"], items, total, vetoed)


def grade_of(grades: list[dict], total: Decimal, vetoed: bool) -> str | None:
    """The first grade whose minimum the total reaches; a vetoed town gets the lowest grade
    (the smallest minimum) whatever its total."""
    if not grades:
        return None
    if vetoed:
        lowest = min(dec(g["min"]) for g in grades)
        return [g for g in grades if dec(g["min"]) == lowest][-1]["name"]
    for grade in grades:
        if dec(grade["min"]) <= total:
            return grade["name"]
    return None


def rank(towns: list[TownScore], grades: list[dict]) -> list[TownScore]:
    """Grades and ranks, in the contract's order: towns not vetoed by total, highest first
    (equal totals share a rank: 1, 2, 2, 4), then vetoed towns by total, ranked on after
    them; within a rank, by code."""
    ordered = sorted(towns, key=lambda t: (t.vetoed, -t.total, t.code))
    previous = None
    for position, town in enumerate(ordered, start=1):
        key = (town.vetoed, town.total)
        town.rank = previous.rank if previous is not None and key == (
            previous.vetoed, previous.total) else position
        town.grade = grade_of(grades, town.total, town.vetoed)
        previous = town
    return ordered


def as_json_number(value: Decimal) -> float:
    """A cent-rounded Decimal as the JSON number the contract shows (73.5, 16.67)."""
    return float(value)


def tier_ranks(towns: list[TownScore], tiers: dict[str, str]) -> dict[str, int]:
    """{town code: rank within its tier}, by the same rule as the overall rank; towns in no
    tier get none."""
    from dataclasses import replace

    ranks: dict[str, int] = {}
    for name in set(tiers.values()):
        members = [replace(t) for t in towns if tiers.get(t.code) == name]
        ranks.update((t.code, t.rank) for t in rank(members, []))
    return ranks
