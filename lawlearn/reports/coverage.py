"""The coverage report (DESIGN.md's contract): one row per child area and a total counted
over the area itself, for a period.

Every figure is an aggregate over small tables: units (thousands of rows), the per-area
monthly sums and the distinct-count histograms kept by lawlearn.reports.ledger. Periods that
do not line up with whole months, or span two years, fall back to exact queries over the raw
tables for the parts the summaries can't answer. The number of queries is the same whatever
the number of areas.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lawlearn.extensions import db
from lawlearn.models import (
    ATTENDED,
    Area,
    AreaMonthStats,
    Attempt,
    Attendance,
    LedgerRange,
    StudySession,
    StudyUnit,
)
from lawlearn.models.reports import ATTENDANCE, QUIZ, UNIT
from lawlearn.reports.periods import Period

KINDS = ("household", "enterprise_group", "building")
HOUSEHOLD_KINDS = ("household", "building")
WORKER_KINDS = tuple(k for k in KINDS if k not in HOUSEHOLD_KINDS)


def empty_row(area) -> dict:
    return {
        "code": area.code, "name": area.name, "level": area.level,
        "units": {**{k: 0 for k in KINDS}, "total": 0},
        "active_units": 0, "sessions": 0, "attendances": 0, "participants": 0,
        "households_reached": 0, "workers_reached": 0,
        "quiz_attempts": 0, "quiz_participants": 0, "mean_score": None, "pass_rate": None,
    }


# The statements of a month-aligned report are built once, with bound parameters: building a
# select and computing its cache key costs more than running these small queries (on SQLite
# about 0.3 ms of a 0.4 ms query), and the whole report must cost a fraction of one scan of
# the attendance table (bench/coverage.py).
_areas, _units = Area.__table__, StudyUnit.__table__
_stats, _ranges = AreaMonthStats.__table__, LedgerRange.__table__
_ROOT, _NODES = sa.bindparam("root"), sa.bindparam("nodes", expanding=True)
# The levels are fixed (PARENT_LEVEL: county → town → village/community/enterprise), so an
# area lies at most two levels below the report's area: it is the area itself, a child, or a
# child's child. Grouping by this CASE lets the database return one row per child instead of
# one per area below; no join on path prefixes, no spreading of rows in Python.
_NODE_OF = sa.case((_areas.c.id == _ROOT, _ROOT), (_areas.c.parent_id == _ROOT, _areas.c.id),
                   else_=_areas.c.parent_id)
_IN_SUBTREE = sa.or_(_areas.c.id == _ROOT, _areas.c.parent_id == _ROOT,
                     _areas.c.parent_id.in_(sa.bindparam("children", expanding=True)))

_CHILDREN = (sa.select(_areas.c.id, _areas.c.code, _areas.c.name, _areas.c.level)
             .where(_areas.c.parent_id == _ROOT).order_by(_areas.c.code))

# Registered units per node and kind: per area of the subtree, one index-only count per kind
# (ix_study_units_area_status_kind_registered), then a sum over a few hundred areas. Joining
# the thousands of units and grouping them costs about twice as much on SQLite.
_REGISTERED = (sa.select(_NODE_OF, *(
    sa.func.sum(sa.select(sa.func.count()).where(
        _units.c.area_id == _areas.c.id, _units.c.status == "active", _units.c.kind == kind,
        _units.c.registered_on <= sa.bindparam("end")).scalar_subquery())
    for kind in KINDS)).where(_IN_SUBTREE).group_by(_NODE_OF))

_MONTH_SUMS = (sa.select(_stats.c.area_id, sa.func.sum(_stats.c.sessions),
                         sa.func.sum(_stats.c.attendances), sa.func.sum(_stats.c.quiz_attempts),
                         sa.func.sum(_stats.c.quiz_score_sum), sa.func.sum(_stats.c.quiz_passes))
               .where(_stats.c.area_id.in_(_NODES),
                      _stats.c.month.between(sa.bindparam("first"), sa.bindparam("last")))
               .group_by(_stats.c.area_id))


def _of_scope(scope: str, column, kinds: tuple[str, ...] | None = None):
    """The sum of `column` over the range rows of one scope (and some kinds)."""
    match = _ranges.c.scope == scope
    if kinds is not None:
        match = sa.and_(match, _ranges.c.kind.in_(kinds))
    return sa.func.coalesce(sa.func.sum(sa.case((match, column), else_=0)), 0)


# One row per node: the distinct figures of a run of whole months.
_RANGE_FIGURES = (sa.select(_ranges.c.area_id,
                            _of_scope(ATTENDANCE, _ranges.c.entities),
                            _of_scope(QUIZ, _ranges.c.entities),
                            _of_scope(UNIT, _ranges.c.entities),
                            _of_scope(UNIT, _ranges.c.weight, HOUSEHOLD_KINDS),
                            _of_scope(UNIT, _ranges.c.weight, WORKER_KINDS))
                  .where(_ranges.c.scope.in_((ATTENDANCE, QUIZ, UNIT)),  # the key's first column
                         _ranges.c.area_id.in_(_NODES),
                         _ranges.c.year == sa.bindparam("year"),
                         _ranges.c.first_month == sa.bindparam("first"),
                         _ranges.c.last_month == sa.bindparam("last"))
                  .group_by(_ranges.c.area_id))


class Tree:
    """The report's nodes: the children and the area itself."""

    def __init__(self, area: Area):
        self.area = area
        self.children = list(db.session.execute(_CHILDREN, {"root": area.id}))
        self.nodes = [*self.children, area]
        self.ids = [n.id for n in self.nodes]

    def add_up(self, rows: dict, results, add) -> None:
        """Add each (node, *figures) row to its node and to the total."""
        for node_id, *figures in results:
            add(rows[node_id], *figures)
            if node_id != self.area.id:
                add(rows[self.area.id], *figures)


def coverage(area: Area, period: Period, today: date | None = None) -> dict:
    today = today or date.today()
    tree = Tree(area)
    rows = {n.id: empty_row(n) for n in tree.nodes}
    _count_units(rows, tree, period)
    _add_sums(rows, tree, period, today)
    _add_distinct(rows, tree.ids, period, today)
    for row in rows.values():
        _finish(row)
    return {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "from": period.start.isoformat(), "to": period.end.isoformat(),
        "rows": [rows[c.id] for c in tree.children],
        "total": rows[area.id],
    }


def _below(node_ids: list[int]):
    """(node, leaf) pairs: each node with every area in its subtree, by path prefix. The
    areas table is small (hundreds to thousands of rows), so this join is cheap."""
    node, leaf = aliased(Area), aliased(Area)
    return node, leaf, (sa.select(node.id.label("node_id"), leaf.id.label("leaf_id"))
                        .join(leaf, leaf.path.startswith(node.path))
                        .where(node.id.in_(node_ids))).subquery()


def _count_units(rows: dict, tree: Tree, period: Period) -> None:
    def add(row, *counts):
        for kind, n in zip(KINDS, counts, strict=True):
            row["units"][kind] += int(n or 0)
            row["units"]["total"] += int(n or 0)

    tree.add_up(rows, db.session.execute(_REGISTERED, {
        "root": tree.area.id, "children": [c.id for c in tree.children], "end": period.end}
    ).all(), add)


def _split(period: Period, today: date) -> tuple[tuple[date, date] | None, list[Period]]:
    """Whole months the monthly sums answer, and the day ranges left over at either end."""
    first, last = period.months()
    edges, whole_first, whole_last = [], first, last
    if period.start.day != 1:
        edges.append(Period(period.start, min(period.end, _month_end(first))))
        whole_first = _next_month(first)
    # Nothing is dated after today, so a period ending today covers its whole last month.
    end_complete = period.end == _month_end(last) or period.end >= today
    if not end_complete and last >= whole_first:
        edges.append(Period(last, period.end))
        whole_last = _prev_month(last)
    whole = (whole_first, whole_last) if whole_first <= whole_last else None
    return whole, edges


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _prev_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _month_end(month: date) -> date:
    return _next_month(month) - timedelta(days=1)


def _add_sums(rows: dict, tree: Tree, period: Period, today: date) -> None:
    whole, edges = _split(period, today)
    if whole:
        # Rows exist for every level (leaf sums rolled up), so each node, the total included,
        # reads its own few months.
        for area_id, *figures in db.session.execute(_MONTH_SUMS, {
                "nodes": tree.ids, "first": whole[0], "last": whole[1]}).all():
            _add(rows[area_id], *figures)
    if edges:
        _n, _l, below = _below(tree.ids)
        for edge in edges:
            _add_raw_sums(rows, below, edge)


def _add(row: dict, sessions, attended, attempts, score_sum, passes) -> None:
    row["sessions"] += int(sessions or 0)
    row["attendances"] += int(attended or 0)
    row["quiz_attempts"] += int(attempts or 0)
    row["_score_sum"] = row.get("_score_sum", 0.0) + float(score_sum or 0)
    row["_passes"] = row.get("_passes", 0) + int(passes or 0)


def _add_raw_sums(rows: dict, below, edge: Period) -> None:
    sessions = (sa.select(below.c.node_id, sa.func.count(StudySession.id),
                          sa.func.coalesce(sa.func.sum(StudySession.attended_count), 0))
                .join(StudyUnit, StudyUnit.area_id == below.c.leaf_id)
                .join(StudySession, StudySession.unit_id == StudyUnit.id)
                .where(StudySession.held_on.between(edge.start, edge.end))
                .group_by(below.c.node_id))
    for node_id, n, attended in db.session.execute(sessions):
        _add(rows[node_id], n, attended, 0, 0, 0)
    attempts = (sa.select(below.c.node_id, sa.func.count(Attempt.id),
                          sa.func.coalesce(sa.func.sum(Attempt.score), 0.0),
                          sa.func.coalesce(sa.func.sum(sa.case((Attempt.passed, 1), else_=0)), 0))
                .join(StudyUnit, StudyUnit.area_id == below.c.leaf_id)
                .join(Attempt, Attempt.unit_id == StudyUnit.id)
                .where(Attempt.taken_on.between(edge.start, edge.end),
                       Attempt.score.is_not(None))
                .group_by(below.c.node_id))
    for node_id, n, score_sum, passes in db.session.execute(attempts):
        _add(rows[node_id], 0, 0, n, score_sum, passes)


def _add_distinct(rows: dict, ids: list[int], period: Period, today: date) -> None:
    if period.month_aligned(today) and period.within_one_year:
        _distinct_from_ranges(rows, ids, period)
    else:
        _distinct_from_raw(rows, ids, period)


def _distinct_from_ranges(rows: dict, ids: list[int], period: Period) -> None:
    figures = db.session.execute(_RANGE_FIGURES, {
        "nodes": ids, "year": period.year, "first": period.start.month,
        "last": period.end.month}).all()
    for area_id, people, takers, units, households, workers in figures:
        row = rows[area_id]
        row["participants"] += people
        row["quiz_participants"] += takers
        row["active_units"] += units
        row["households_reached"] += households
        row["workers_reached"] += workers


def _add_distinct_figure(row: dict, scope: str, kind: str, entities: int, weight: int) -> None:
    if scope == ATTENDANCE:
        row["participants"] += entities
    elif scope == QUIZ:
        row["quiz_participants"] += entities
    elif scope == UNIT:
        row["active_units"] += entities
        if kind in HOUSEHOLD_KINDS:
            row["households_reached"] += weight
        else:
            row["workers_reached"] += weight


def _distinct_from_raw(rows: dict, ids: list[int], period: Period) -> None:
    _n, _l, below = _below(ids)
    in_period = StudySession.held_on.between(period.start, period.end)
    people = (sa.select(below.c.node_id, sa.func.count(sa.distinct(Attendance.person_id)))
              .join(StudyUnit, StudyUnit.area_id == below.c.leaf_id)
              .join(StudySession, StudySession.unit_id == StudyUnit.id)
              .join(Attendance, Attendance.session_id == StudySession.id)
              .where(in_period, Attendance.status.in_(ATTENDED))
              .group_by(below.c.node_id))
    for node_id, n in db.session.execute(people):
        rows[node_id]["participants"] = n
    takers = (sa.select(below.c.node_id, sa.func.count(sa.distinct(Attempt.person_id)))
              .join(StudyUnit, StudyUnit.area_id == below.c.leaf_id)
              .join(Attempt, Attempt.unit_id == StudyUnit.id)
              .where(Attempt.taken_on.between(period.start, period.end),
                     Attempt.score.is_not(None))
              .group_by(below.c.node_id))
    for node_id, n in db.session.execute(takers):
        rows[node_id]["quiz_participants"] = n
    active = (sa.select(StudySession.unit_id).where(in_period).distinct()).subquery()
    units = (sa.select(below.c.node_id, StudyUnit.kind, sa.func.count(StudyUnit.id),
                       sa.func.sum(StudyUnit.reach))
             .join(StudyUnit, StudyUnit.area_id == below.c.leaf_id)
             .join(active, active.c.unit_id == StudyUnit.id)
             .group_by(below.c.node_id, StudyUnit.kind))
    for node_id, kind, n, reach in db.session.execute(units):
        _add_distinct_figure(rows[node_id], UNIT, kind, n, int(reach or 0))


def _finish(row: dict) -> None:
    score_sum, passes = row.pop("_score_sum", 0.0), row.pop("_passes", 0)
    if row["quiz_attempts"]:
        row["mean_score"] = round(score_sum / row["quiz_attempts"], 2)
        row["pass_rate"] = round(passes / row["quiz_attempts"], 4)


def recount(area: Area, period: Period) -> dict:
    """The same figures straight from the raw tables, the slow and obvious way: what the
    tests and the benchmark check the report against."""
    children = list(db.session.scalars(
        sa.select(Area).where(Area.parent_id == area.id).order_by(Area.code)))
    nodes = [*children, area]
    rows = {n.id: empty_row(n) for n in nodes}
    ids = list(rows)
    _n, _l, below = _below(ids)
    units = (sa.select(below.c.node_id, StudyUnit.kind, sa.func.count(StudyUnit.id))
             .join(StudyUnit, StudyUnit.area_id == below.c.leaf_id)
             .where(StudyUnit.status == "active", StudyUnit.registered_on <= period.end)
             .group_by(below.c.node_id, StudyUnit.kind))
    for node_id, kind, n in db.session.execute(units):
        rows[node_id]["units"][kind] = n
        rows[node_id]["units"]["total"] += n
    _add_raw_sums(rows, below, period)
    _distinct_from_raw(rows, ids, period)
    for row in rows.values():
        _finish(row)
    return {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "from": period.start.isoformat(), "to": period.end.isoformat(),
        "rows": [rows[c.id] for c in children],
        "total": rows[area.id],
    }
