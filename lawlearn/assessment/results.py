"""Scores of an area's children against the scheme of a year: the coverage report over the
scheme's period, the towns' targets for the year, their entries, then lawlearn.assessment
.scoring. Three statements and the coverage report's own, whatever the number of towns or
items (docs/contracts.md, "Assessment"); two more when a deduction counts late monthly returns."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from lawlearn.assessment.scheme import BUDGET_METRIC, counted_metrics, period_of, uses_metric
from lawlearn.assessment.scoring import TownScore, as_json_number, rank, town_score
from lawlearn.extensions import db
from lawlearn.models import Area, AssessmentEntry, AssessmentScheme
from lawlearn.models.assessment import SELF_ASSESSED
from lawlearn.reports.coverage import coverage
from lawlearn.reports.periods import Period
from lawlearn.reports.queries import targets_for
from lawlearn.returns.queries import late_returns_by_town


def scheme_for(year: int) -> AssessmentScheme | None:
    return db.session.scalar(sa.select(AssessmentScheme).where(AssessmentScheme.year == year))


def entry_sums(area_ids: list[int], year: int, *, with_claims: bool = False
               ) -> dict[int, dict[str, Decimal]]:
    """{area id: {item: sum of values}} for the year. A self-assessment the county has not
    reviewed yet does not count in the county's scores; `with_claims` reads what the town
    claimed wherever it made a claim (its 自评得分 on the scoring sheet)."""
    stmt = sa.select(AssessmentEntry).where(AssessmentEntry.area_id.in_(area_ids),
                                            AssessmentEntry.year == year)
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for entry in db.session.scalars(stmt):
        if entry.status == SELF_ASSESSED and not with_claims:
            continue
        value = entry.claimed if with_claims and entry.claimed is not None else entry.value
        found = sums[entry.area_id]
        found[entry.item] = found.get(entry.item, Decimal(0)) + value
    return sums


def town_figures(scheme: AssessmentScheme, area: Area, today: date | None = None
                 ) -> dict[str, dict[str, int]]:
    """{town code: {metric: count}} for the figures the scheme's deductions count besides
    their entries; no statement at all for a scheme whose deductions count none."""
    figures: dict[str, dict[str, int]] = defaultdict(dict)
    if "late_returns" in counted_metrics(scheme.document):
        for code, count in late_returns_by_town(area, scheme.year, today).items():
            figures[code]["late_returns"] = count
    return figures


def score_towns(scheme: AssessmentScheme, area: Area, *, today: date | None = None,
                with_claims: bool = False, approved_only: bool = False
                ) -> tuple[dict, list[TownScore]]:
    """(the coverage report the scores read, the children's scores in rank order).
    `approved_only`: the auto items read the report on its approved-only basis (only study
    sessions a coordinator approved count; quiz figures are the same on both bases)."""
    start, end = period_of(scheme.document)
    report = coverage(area, Period(start, end), today, approved_only=approved_only)
    codes = [row["code"] for row in report["rows"]]
    ids = dict(db.session.execute(sa.select(Area.code, Area.id).where(Area.code.in_(codes)))
               .all()) if codes else {}
    targets: dict[str, dict[str, int]] = defaultdict(dict)
    for (code, kind), target in targets_for(codes, scheme.year).items():
        targets[code][kind] = target
    entries = entry_sums(list(ids.values()), scheme.year, with_claims=with_claims)
    rows = report["rows"]
    if uses_metric(scheme.document, BUDGET_METRIC):
        from lawlearn.budgets.queries import disbursed_rates

        rates = disbursed_rates(list(ids.values()), scheme.year)
        rows = [{**row, BUDGET_METRIC: rates.get(ids[row["code"]], Decimal(0))} for row in rows]
    figures = town_figures(scheme, area, today)
    towns = [town_score(scheme.document, row, targets[row["code"]],
                        entries.get(ids[row["code"]], {}), figures.get(row["code"]))
             for row in rows]
    return report, rank(towns, scheme.document["grades"])


def score_report(scheme: AssessmentScheme, area: Area, *, today: date | None = None,
                 approved_only: bool = False) -> dict:
    """The contract's JSON; on the approved-only basis it says so (`"basis": "approved"`)."""
    report, towns = score_towns(scheme, area, today=today, approved_only=approved_only)
    basis = {"basis": "approved"} if approved_only else {}
    return {
        "year": scheme.year, "title": scheme.title,
        "area": {"code": area.code, "level": area.level},
        "from": report["from"], "to": report["to"],
        "rows": [{"code": t.code, "name": t.name,
                  "items": {code: as_json_number(s.score) for code, s in t.items.items()},
                  "total": as_json_number(t.total), "vetoed": t.vetoed, "grade": t.grade,
                  "rank": t.rank} for t in towns],
        **basis,
    }
