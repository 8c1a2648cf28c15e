"""Each town's budget figures for a year, as SQL aggregates (one statement for any number of
towns).

**Planned** (计划预算) comes from the county's budget standard for the year (the standard of the
town's parent area):

    child amount   = Σ over the kinds k of (yuan per unit of k × units of k registered in the
                     child area)
    child planned  = max(village floor, child amount)  for a village or community (村（社区）)
                   = child amount                       for an enterprise (no floor)
    town planned   = max(town floor, Σ over the town's child areas in use of child planned)

A unit counts as registered as in the coverage report: status active and registered on or
before 31 December of the year. No standard for the year: planned is unknown (None).

**Allocated** (已拨付): the sum of the county's allocations to the town for the year.
**Disbursed** (已支出): the sum of the town's disbursements charged to the year.
**Spent on activities** (活动支出): the part of the disbursed that names an activity (a study
session of the town or an activity label); the rest went on other costs.
**Execution rate** (执行率) = disbursed ÷ allocated; none when nothing is allocated (the
assessment's `budget_disbursed_rate` reads 0 then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lawlearn.budgets.money import rate
from lawlearn.extensions import db
from lawlearn.models import (
    Area,
    BudgetAllocation,
    BudgetDisbursement,
    BudgetStandard,
    StudySession,
    StudyUnit,
)

FLOORED_LEVELS = ("village", "community")   # 村（社区）: the village floor applies
CHILD_LEVELS = ("village", "community", "enterprise")


@dataclass(frozen=True)
class TownBudget:
    id: int
    code: str
    name: str
    planned: int | None          # fen; None without a standard for the year
    allocated: int
    disbursed: int
    spent: int

    @property
    def execution_rate(self) -> Decimal | None:
        return rate(self.disbursed, self.allocated)

    @property
    def unspent(self) -> int:
        return self.allocated - self.disbursed


def _greater(a, b):
    """max(a, b) in SQL that SQLite and PostgreSQL both read (SQLite has no GREATEST)."""
    return sa.case((a > b, a), else_=b)


def _unit_amount(standard):
    return sa.case(
        (StudyUnit.kind == "household", standard.household_fen),
        (StudyUnit.kind == "enterprise_group", standard.enterprise_group_fen),
        (StudyUnit.kind == "building", standard.building_fen), else_=0)


def child_amounts(year: int, town_filter=None):
    """One row per child area in use of the towns: (child_id, town_id, level, counts per
    kind, amount, planned) under the standard of the towns' parent for `year`."""
    town = aliased(Area)
    std = aliased(BudgetStandard)
    registered = sa.and_(StudyUnit.area_id == Area.id, StudyUnit.status == "active",
                         StudyUnit.registered_on <= date(year, 12, 31))
    amount = sa.func.coalesce(sa.func.sum(_unit_amount(std)), 0)
    planned = sa.case((Area.level.in_(FLOORED_LEVELS),
                       _greater(std.village_floor_fen, amount)), else_=amount)
    counts = [sa.func.count(sa.case((StudyUnit.kind == kind, StudyUnit.id))).label(kind)
              for kind in ("household", "enterprise_group", "building")]
    stmt = (sa.select(Area.id.label("child_id"), Area.code, Area.name,
                      Area.parent_id.label("town_id"), Area.level, *counts,
                      amount.label("amount"), planned.label("planned"))
            .join(town, town.id == Area.parent_id)
            .join(std, sa.and_(std.area_id == town.parent_id, std.year == year))
            .outerjoin(StudyUnit, registered)
            .where(Area.active, Area.level.in_(CHILD_LEVELS), town.level == "town")
            .group_by(Area.id, Area.code, Area.name, Area.parent_id, Area.level,
                      std.village_floor_fen))
    if town_filter is not None:
        stmt = stmt.where(town_filter(town))
    return stmt


def town_budgets(year: int, town_filter) -> list[TownBudget]:
    """The figures of every town `town_filter(Area)` admits, ordered by code: one statement."""
    children = child_amounts(year).subquery()
    planned_sum = (sa.select(children.c.town_id, sa.func.sum(children.c.planned).label("sum"))
                   .group_by(children.c.town_id).subquery())
    allocated = (sa.select(BudgetAllocation.area_id,
                           sa.func.sum(BudgetAllocation.amount_fen).label("sum"))
                 .where(BudgetAllocation.year == year).group_by(BudgetAllocation.area_id)
                 .subquery())
    named = sa.or_(BudgetDisbursement.study_session_id.is_not(None),
                   BudgetDisbursement.activity.is_not(None))
    disbursed = (sa.select(BudgetDisbursement.area_id,
                           sa.func.sum(BudgetDisbursement.amount_fen).label("sum"),
                           sa.func.sum(sa.case((named, BudgetDisbursement.amount_fen),
                                               else_=0)).label("spent"))
                 .where(BudgetDisbursement.year == year).group_by(BudgetDisbursement.area_id)
                 .subquery())
    std = aliased(BudgetStandard)
    planned = sa.case((std.id.is_(None), None),
                      else_=_greater(std.town_floor_fen, sa.func.coalesce(planned_sum.c.sum, 0)))
    stmt = (sa.select(Area.id, Area.code, Area.name, planned.label("planned"),
                      sa.func.coalesce(allocated.c.sum, 0).label("allocated"),
                      sa.func.coalesce(disbursed.c.sum, 0).label("disbursed"),
                      sa.func.coalesce(disbursed.c.spent, 0).label("spent"))
            .outerjoin(std, sa.and_(std.area_id == Area.parent_id, std.year == year))
            .outerjoin(planned_sum, planned_sum.c.town_id == Area.id)
            .outerjoin(allocated, allocated.c.area_id == Area.id)
            .outerjoin(disbursed, disbursed.c.area_id == Area.id)
            .where(Area.level == "town", town_filter(Area)).order_by(Area.code))
    return [TownBudget(r.id, r.code, r.name, None if r.planned is None else int(r.planned),
                       int(r.allocated), int(r.disbursed), int(r.spent))
            for r in db.session.execute(stmt)]


def town_budget(town: Area, year: int) -> TownBudget:
    return town_budgets(year, lambda area: area.id == town.id)[0]


def totals(rows: list[TownBudget]) -> dict:
    """The county's line under the towns': sums of what the rows show (planned only over the
    towns that have one)."""
    planned = [r.planned for r in rows if r.planned is not None]
    allocated = sum(r.allocated for r in rows)
    disbursed = sum(r.disbursed for r in rows)
    return {"planned": sum(planned) if planned else None, "allocated": allocated,
            "disbursed": disbursed, "spent": sum(r.spent for r in rows),
            "execution_rate": rate(disbursed, allocated)}


def disbursed_rates(town_ids: list[int], year: int) -> dict[int, Decimal]:
    """{town id: disbursed ÷ allocated for `year`}, 0 for a town with nothing allocated: the
    assessment's `budget_disbursed_rate`. One statement."""
    if not town_ids:
        return {}
    rows = town_budgets(year, lambda area: area.id.in_(town_ids))
    return {r.id: r.execution_rate or Decimal(0) for r in rows}


def standard_for(county_id: int | None, year: int) -> BudgetStandard | None:
    if county_id is None:
        return None
    return db.session.scalar(sa.select(BudgetStandard).where(
        BudgetStandard.area_id == county_id, BudgetStandard.year == year))


def breakdown(town: Area, year: int) -> list:
    """The town's child areas with their units and planned amounts (the formula, row by row)."""
    stmt = child_amounts(year, lambda t: t.id == town.id).order_by(Area.code)
    return db.session.execute(stmt).all()


def allocations(town: Area, year: int) -> list[BudgetAllocation]:
    return list(db.session.scalars(sa.select(BudgetAllocation).where(
        BudgetAllocation.area_id == town.id, BudgetAllocation.year == year)
        .order_by(BudgetAllocation.allocated_on, BudgetAllocation.id)))


def disbursements(town: Area, year: int) -> list:
    """The town's disbursements of the year, each with its study session's code and date (one
    statement, however many)."""
    return db.session.execute(
        sa.select(BudgetDisbursement, StudySession.code, StudySession.held_on)
        .outerjoin(StudySession, StudySession.id == BudgetDisbursement.study_session_id)
        .where(BudgetDisbursement.area_id == town.id, BudgetDisbursement.year == year)
        .order_by(BudgetDisbursement.paid_on, BudgetDisbursement.id)).all()


def by_activity(town: Area, year: int) -> list:
    """Spending per activity: (activity label, study session code, count, fen), the named
    activities first, then what names none (label and code None)."""
    label = BudgetDisbursement.activity
    return db.session.execute(
        sa.select(label.label("activity"), StudySession.code.label("session_code"),
                  sa.func.count(BudgetDisbursement.id).label("payments"),
                  sa.func.sum(BudgetDisbursement.amount_fen).label("fen"))
        .outerjoin(StudySession, StudySession.id == BudgetDisbursement.study_session_id)
        .where(BudgetDisbursement.area_id == town.id, BudgetDisbursement.year == year)
        .group_by(label, StudySession.code)
        .order_by(sa.case((sa.and_(label.is_(None), StudySession.code.is_(None)), 1), else_=0),
                  label, StudySession.code)).all()


def session_choices(town: Area, year: int) -> list:
    """The town's study sessions of the year a payment can be linked to, newest first."""
    return db.session.execute(
        sa.select(StudySession.id, StudySession.code, StudySession.held_on, StudyUnit.name)
        .join(StudyUnit, StudyUnit.id == StudySession.unit_id)
        .join(Area, Area.id == StudyUnit.area_id)
        .where(Area.path.startswith(town.path, autoescape=True),
               StudySession.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(StudySession.held_on.desc(), StudySession.id.desc()).limit(300)).all()
