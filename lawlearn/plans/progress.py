"""A plan's progress (docs/contracts.md, "Activity plans and milestones"): for each of the
plan's areas (its area's children, by code) and each milestone, done (with the day it was
done), pending, overdue or not applicable.

Read live from the study sessions already logged, in a fixed number of statements whatever the
number of areas, milestones and sessions:

- the matching sessions: a session of a unit in the row's subtree, held from its stage's start
  to min(due, today), of one of the milestone's formats and topics when it names any;
- `sessions`: ROW_NUMBER over each (milestone, row)'s matches by date picks the `min`-th one,
  whose date is `done_on`;
- `unit_share`: each unit's first matching date, numbered by date; the share is reached at the
  first k with k / units ≥ min_share, over the row's units of the kind registered by `due`
  (both sides as floating point, so a share of exactly 3/10 meets 0.3);
- `manual`: a check-off dated on or before min(due, today).

On the "approved only" basis (`approved_only=True`, `lawlearn plan progress --approved-only`)
only study sessions whose review is approved match; the JSON then says `"basis": "approved"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import (
    Area,
    Checkoff,
    Milestone,
    MilestoneFormat,
    MilestoneTopic,
    Plan,
    PlanStage,
    SessionTopic,
    StudySession,
    StudyUnit,
)
from lawlearn.models.sessions import APPROVED

STATUSES = ("done", "pending", "overdue", "not_applicable")


@dataclass
class Cell:
    """One area's standing on one milestone; `count` and `needed` say how far it has got
    (study sessions, units that held one, or nothing for manual milestones)."""

    status: str
    done_on: date | None = None
    count: int = 0
    needed: int | None = None
    units: int | None = None          # unit_share: the units of the kind registered by due
    note: str | None = None           # manual: the check-off's note
    checked_on: date | None = None    # manual: the check-off's date, even when too late


@dataclass
class Progress:
    plan: Plan
    today: date
    areas: list            # rows of (id, code, name, level)
    milestones: list[Milestone]
    cells: dict            # (area id, milestone id) → Cell
    approved_only: bool = False

    def cell(self, area_id: int, milestone_id: int) -> Cell:
        return self.cells[(area_id, milestone_id)]

    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(STATUSES, 0)
        for cell in self.cells.values():
            totals[cell.status] += 1
        return totals

    def as_json(self) -> dict:
        """Exactly the contract's document."""
        return {
            "plan": self.plan.code,
            "today": self.today.isoformat(),
            "rows": [{"code": a.code, "name": a.name, "milestones": {
                m.code: {"status": (c := self.cell(a.id, m.id)).status,
                         "done_on": c.done_on.isoformat() if c.done_on else None}
                for m in self.milestones}} for a in self.areas],
            "total": self.totals(),
            **({"basis": "approved"} if self.approved_only else {}),
        }


def load_plan_for_progress(plan_id: int) -> Plan:
    return db.session.scalar(
        sa.select(Plan).where(Plan.id == plan_id).options(
            selectinload(Plan.milestones).selectinload(Milestone.format_rows),
            selectinload(Plan.milestones).selectinload(Milestone.topic_rows),
            selectinload(Plan.area)))


def progress(plan: Plan, today: date | None = None, approved_only: bool = False) -> Progress:
    return progress_of([plan], today, approved_only)[plan.id]


def progress_of(plans: list[Plan], today: date | None = None,
                approved_only: bool = False) -> dict[int, Progress]:
    """Each plan's progress, by plan id: the same five statements for one plan or many (the
    dashboards read every current plan at once)."""
    today = today or clock.today()
    if not plans:
        return {}
    ids = [p.id for p in plans]
    areas: dict[int, list] = {p.area_id: [] for p in plans}
    for area in db.session.execute(
            sa.select(Area.id, Area.code, Area.name, Area.level, Area.path, Area.parent_id)
            .where(Area.parent_id.in_(list(areas))).order_by(Area.code)):
        areas[area.parent_id].append(area)
    params = {"plans": ids, "today": today, "approved_only": approved_only}
    by_sessions = {(r.area_id, r.milestone_id): r
                   for r in db.session.execute(SESSIONS_DONE, params)}
    shares = {(r.area_id, r.milestone_id): r for r in db.session.execute(SHARES, params)}
    units = {(r.area_id, r.milestone_id): r.units
             for r in db.session.execute(REGISTERED_UNITS, params)}
    checkoffs = {(r.area_id, r.milestone_id): r for r in db.session.execute(CHECKOFFS, params)}
    found = {}
    for plan in plans:
        cells = {}
        for area in areas[plan.area_id]:
            for m in plan.milestones:
                cells[(area.id, m.id)] = _cell(m, today, by_sessions.get((area.id, m.id)),
                                               shares.get((area.id, m.id)),
                                               units.get((area.id, m.id), 0),
                                               checkoffs.get((area.id, m.id)))
        found[plan.id] = Progress(plan=plan, today=today, areas=areas[plan.area_id],
                                  milestones=list(plan.milestones), cells=cells,
                                  approved_only=approved_only)
    return found


def _cell(m: Milestone, today: date, counted, share, units: int, checkoff) -> Cell:
    cell = Cell(status="pending")
    if m.kind == "sessions":
        cell.needed = m.min_count
        cell.count = counted.matched if counted else 0
        cell.done_on = counted.done_on if counted else None
    elif m.kind == "unit_share":
        cell.units = units
        cell.count = share.held if share else 0
        cell.done_on = share.done_on if share else None
    elif checkoff is not None:
        cell.note, cell.checked_on = checkoff.note, checkoff.done_on
        if checkoff.done_on <= min(m.due, today):
            cell.done_on = checkoff.done_on
    if cell.done_on is not None:
        cell.status = "done"
    elif m.kind == "unit_share" and not cell.units:
        cell.status = "not_applicable"
    elif today > m.due:
        cell.status = "overdue"
    return cell


# --- the statements, built once with bound parameters ---------------------------------------

_PLANS, _TODAY = sa.bindparam("plans", expanding=True), sa.bindparam("today")
_p = aliased(Plan, name="p")
_m, _stage, _row, _leaf = (aliased(Milestone, name="m"), aliased(PlanStage, name="st"),
                           aliased(Area, name="row_area"), aliased(Area, name="leaf"))
_u, _s = aliased(StudyUnit, name="u"), aliased(StudySession, name="s")
# Every study session matches, or approved ones only (lawlearn.models.sessions).
# (False unless a caller says otherwise: the statements are read elsewhere too, e.g. a cell's
# sessions in lawlearn.plans.queries.)
_COUNTED = sa.or_(sa.not_(sa.bindparam("approved_only", False, type_=sa.Boolean)),
                  _s.review_state == APPROVED)

_HAS_FORMATS = sa.exists().where(MilestoneFormat.milestone_id == _m.id)
_FORMAT_MATCHES = sa.exists().where(MilestoneFormat.milestone_id == _m.id,
                                    MilestoneFormat.format == _s.format)
_HAS_TOPICS = sa.exists().where(MilestoneTopic.milestone_id == _m.id)
_TOPIC_MATCHES = sa.exists().where(MilestoneTopic.milestone_id == _m.id,
                                   SessionTopic.topic == MilestoneTopic.topic,
                                   SessionTopic.session_id == _s.id)
# The units a unit_share milestone counts: of its kind, registered by the due day (as the
# coverage report counts registered units).
_UNIT_COUNTS = sa.and_(_u.kind == _m.unit_kind, _u.status == "active",
                       _u.registered_on <= _m.due)

# One row per (milestone, row area, matching study session). A row area's subtree is a path
# prefix match; the areas table is small, so the join is cheap.
_MATCHES = (
    sa.select(_m.id.label("milestone_id"), _m.kind.label("kind"), _row.id.label("area_id"),
              _u.id.label("unit_id"), _s.id.label("session_id"), _s.held_on.label("held_on"))
    .select_from(_m)
    .join(_stage, _stage.id == _m.stage_id)
    .join(_p, _p.id == _m.plan_id)
    .join(_row, _row.parent_id == _p.area_id)
    .join(_leaf, _leaf.path.startswith(_row.path))
    .join(_u, _u.area_id == _leaf.id)
    .join(_s, _s.unit_id == _u.id)
    .where(_m.plan_id.in_(_PLANS), _m.kind != "manual",
           _s.held_on >= _stage.starts_on, _s.held_on <= _m.due, _s.held_on <= _TODAY,
           sa.or_(~_HAS_FORMATS, _FORMAT_MATCHES), sa.or_(~_HAS_TOPICS, _TOPIC_MATCHES),
           sa.or_(_m.kind == "sessions", _UNIT_COUNTS), _COUNTED)
    .subquery("matches"))

_numbered = (
    sa.select(_MATCHES.c.milestone_id, _MATCHES.c.area_id, _MATCHES.c.held_on,
              sa.func.row_number().over(
                  partition_by=(_MATCHES.c.milestone_id, _MATCHES.c.area_id),
                  order_by=(_MATCHES.c.held_on, _MATCHES.c.session_id)).label("n"),
              sa.func.count().over(
                  partition_by=(_MATCHES.c.milestone_id, _MATCHES.c.area_id)).label("matched"))
    .where(_MATCHES.c.kind == "sessions").subquery("numbered"))

# Each (milestone, area): how many sessions matched, and the date of the min-th (NULL if fewer).
SESSIONS_DONE = (
    sa.select(_numbered.c.milestone_id, _numbered.c.area_id,
              sa.func.max(_numbered.c.matched).label("matched"),
              sa.func.max(sa.case((_numbered.c.n == Milestone.min_count, _numbered.c.held_on)))
              .label("done_on"))
    .join(Milestone, Milestone.id == _numbered.c.milestone_id)
    .group_by(_numbered.c.milestone_id, _numbered.c.area_id))

_firsts = (
    sa.select(_MATCHES.c.milestone_id, _MATCHES.c.area_id, _MATCHES.c.unit_id,
              sa.func.min(_MATCHES.c.held_on).label("first_on"))
    .where(_MATCHES.c.kind == "unit_share")
    .group_by(_MATCHES.c.milestone_id, _MATCHES.c.area_id, _MATCHES.c.unit_id)
    .subquery("firsts"))
_ranked = (
    sa.select(_firsts.c.milestone_id, _firsts.c.area_id, _firsts.c.first_on,
              sa.func.row_number().over(
                  partition_by=(_firsts.c.milestone_id, _firsts.c.area_id),
                  order_by=(_firsts.c.first_on, _firsts.c.unit_id)).label("k"))
    .subquery("ranked"))

# Units of the kind registered by due, per (milestone, area): the share's denominator.
_registered = (
    sa.select(_m.id.label("milestone_id"), _row.id.label("area_id"),
              sa.func.count(_u.id).label("units"))
    .select_from(_m)
    .join(_p, _p.id == _m.plan_id)
    .join(_row, _row.parent_id == _p.area_id)
    .join(_leaf, _leaf.path.startswith(_row.path))
    .join(_u, _u.area_id == _leaf.id)
    .where(_m.plan_id.in_(_PLANS), _m.kind == "unit_share", _UNIT_COUNTS)
    .group_by(_m.id, _row.id))
REGISTERED_UNITS = _registered
_denominators = _registered.subquery("denominators")

# Each (milestone, area): the units that held a matching session, and the day the share was
# reached (the first unit number k whose share k / units meets min_share).
SHARES = (
    sa.select(_ranked.c.milestone_id, _ranked.c.area_id,
              sa.func.max(_ranked.c.k).label("held"),
              sa.func.min(sa.case((
                  sa.cast(_ranked.c.k, sa.Float) / sa.cast(_denominators.c.units, sa.Float)
                  >= Milestone.min_share, _ranked.c.first_on))).label("done_on"))
    .join(_denominators, sa.and_(_denominators.c.milestone_id == _ranked.c.milestone_id,
                                 _denominators.c.area_id == _ranked.c.area_id))
    .join(Milestone, Milestone.id == _ranked.c.milestone_id)
    .group_by(_ranked.c.milestone_id, _ranked.c.area_id))

CHECKOFFS = (
    sa.select(Checkoff.milestone_id, Checkoff.area_id, Checkoff.done_on, Checkoff.note)
    .join(Milestone, Milestone.id == Checkoff.milestone_id)
    .where(Milestone.plan_id.in_(_PLANS)))
