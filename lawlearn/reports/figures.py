"""The coverage report's summary figures in one statement: a row per node (the report's area
and each of its children) with its monthly sums, its distinct counts and its registered units.

Two round trips (the children, then the figures), whatever the number of children: with one
statement per kind of figure a report cost more in statement overhead (and, on a busy
PostgreSQL server, in waiting to be scheduled between them) than in reading the summaries.
The statements are built once, with bound parameters, because building a select and computing
its cache key costs more than running it.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, AreaMonthStats, LedgerRange, StudyUnit
from lawlearn.models.reports import ATTENDANCE, ATTENDANCE_APPROVED, QUIZ, UNIT, UNIT_APPROVED

KINDS = ("household", "enterprise_group", "building")
HOUSEHOLD_KINDS = ("household", "building")
WORKER_KINDS = tuple(k for k in KINDS if k not in HOUSEHOLD_KINDS)

_areas, _units = Area.__table__, StudyUnit.__table__
_stats, _ranges = AreaMonthStats.__table__, LedgerRange.__table__
_ROOT = sa.bindparam("root")

# The nodes' ids are bound values, not a subquery: PostgreSQL then reads the summaries by
# their primary keys (a semi-join on a subquery made it scan area_month_stats).
_NODE_IDS = sa.bindparam("nodes", expanding=True)
_NODES = sa.select(_areas.c.id).where(_areas.c.id.in_(_NODE_IDS)).subquery("nodes")

CHILDREN = (sa.select(_areas.c.id, _areas.c.code, _areas.c.name, _areas.c.level)
            .where(_areas.c.parent_id == _ROOT).order_by(_areas.c.code))

# The levels are fixed (PARENT_LEVEL: county → town → village/community/enterprise), so an
# area lies at most two levels below the report's area: the area itself, a child, or a child's
# child. Grouping by this CASE gives one row per node, not one per area below.
_NODE_OF = sa.case((_areas.c.id == _ROOT, _ROOT), (_areas.c.parent_id == _ROOT, _areas.c.id),
                   else_=_areas.c.parent_id)

# Registered units: per area of the subtree, one index-only count per kind
# (ix_study_units_area_status_kind_registered), summed per node. Joining the thousands of units
# and grouping them costs about twice as much on SQLite.
_REGISTERED = (sa.select(_NODE_OF.label("node_id"), *(
    sa.func.sum(sa.select(sa.func.count()).where(
        _units.c.area_id == _areas.c.id, _units.c.status == "active", _units.c.kind == kind,
        _units.c.registered_on <= sa.bindparam("registered_by")).scalar_subquery()
    ).label(kind) for kind in KINDS))
    .where(sa.or_(_areas.c.id == _ROOT, _areas.c.parent_id.in_(_NODE_IDS)))
    .group_by(_NODE_OF).subquery("registered"))

# The monthly sums of whole months: every level has its own rows (leaves rolled up), so each
# node reads its own few months. On the "approved only" basis the session figures come from
# their approved twins; the quiz figures are the same on both bases (attempts are not reviewed).
def _months(approved: bool):
    source = {"sessions": "approved_sessions", "attendances": "approved_attendances"} \
        if approved else {}
    return (sa.select(_stats.c.area_id.label("node_id"),
                      *(sa.func.sum(_stats.c[source.get(name, name)]).label(name)
                        for name in ("sessions", "attendances", "quiz_attempts",
                                     "quiz_score_sum", "quiz_passes")))
            .where(_stats.c.area_id.in_(_NODE_IDS),
                   _stats.c.month.between(sa.bindparam("months_from"),
                                          sa.bindparam("months_to")))
            .group_by(_stats.c.area_id).subquery("months"))


def _of_scope(scope: str, column, kinds: tuple[str, ...] | None = None):
    """The sum of `column` over the range rows of one scope (and some kinds)."""
    match = _ranges.c.scope == scope
    if kinds is not None:
        match = sa.and_(match, _ranges.c.kind.in_(kinds))
    return sa.func.sum(sa.case((match, column), else_=0))


# The distinct counts of one run of whole months within a year.
def _ranges_of(approved: bool):
    attend, unit = (ATTENDANCE_APPROVED, UNIT_APPROVED) if approved else (ATTENDANCE, UNIT)
    return (sa.select(_ranges.c.area_id.label("node_id"),
                      _of_scope(attend, _ranges.c.entities).label("participants"),
                      _of_scope(QUIZ, _ranges.c.entities).label("quiz_participants"),
                      _of_scope(unit, _ranges.c.entities).label("active_units"),
                      _of_scope(unit, _ranges.c.weight, HOUSEHOLD_KINDS)
                      .label("households_reached"),
                      _of_scope(unit, _ranges.c.weight, WORKER_KINDS).label("workers_reached"))
            .where(_ranges.c.scope.in_((attend, QUIZ, unit)),  # the key's first column
                   _ranges.c.area_id.in_(_NODE_IDS),
                   _ranges.c.year == sa.bindparam("year"),
                   _ranges.c.first_month == sa.bindparam("run_first"),
                   _ranges.c.last_month == sa.bindparam("run_last"))
            .group_by(_ranges.c.area_id).subquery("ranges"))


def _figures(approved: bool):
    months, ranges = _months(approved), _ranges_of(approved)
    return (sa.select(_NODES, months.c[1:], ranges.c[1:], _REGISTERED.c[1:])
            .select_from(_NODES.outerjoin(months, months.c.node_id == _NODES.c.id)
                         .outerjoin(ranges, ranges.c.node_id == _NODES.c.id)
                         .outerjoin(_REGISTERED, _REGISTERED.c.node_id == _NODES.c.id)))


# Built once per basis (see the module's docstring).
_FIGURES = {False: _figures(False), True: _figures(True)}


def node_figures(area_id: int, child_ids: list[int], registered_by: date,
                 months: tuple[date, date] | None, run: tuple[int, int, int] | None,
                 approved_only: bool = False) -> list[sa.Row]:
    """The area and its children (rows for CHILDREN), each by id with
    - sessions, attendances, quiz_attempts, quiz_score_sum, quiz_passes over the whole months
      `months` (first days of the first and last month; None: no whole month, all NULL),
    - participants, quiz_participants, active_units, households_reached, workers_reached over
      the run of months `run` = (year, first month, last month) (None: NULL, the caller counts
      them from the raw tables),
    - the active units of each kind registered by `registered_by`: a child's in its subtree,
      the area's in itself only (the caller adds the children's to the total).
    `approved_only`: sessions, attendances, participants and active units (with the reach)
    count approved study sessions only."""
    months_from, months_to = months or (None, None)
    year, run_first, run_last = run or (None, None, None)
    return db.session.execute(_FIGURES[approved_only], {
        "root": area_id, "nodes": [area_id, *child_ids], "registered_by": registered_by,
        "months_from": months_from, "months_to": months_to, "year": year,
        "run_first": run_first, "run_last": run_last,
    }).all()
