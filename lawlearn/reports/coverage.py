"""The coverage report (docs/contracts.md): one row per child area and a total counted
over the area itself, for a period.

Every figure is an aggregate over small tables: units (thousands of rows), the per-area
monthly sums and the distinct-count histograms kept by lawlearn.ledger. Periods that
do not line up with whole months, or span two years, fall back to exact queries over the raw
tables for the parts the summaries can't answer. The number of queries is the same whatever
the number of areas.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lawlearn import clock
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


def empty_row(area) -> dict:
    return {
        "code": area.code, "name": area.name, "level": area.level,
        "units": {**{k: 0 for k in KINDS}, "total": 0},
        "active_units": 0, "sessions": 0, "attendances": 0, "participants": 0,
        "households_reached": 0, "workers_reached": 0,
        "quiz_attempts": 0, "quiz_participants": 0, "mean_score": None, "pass_rate": None,
    }


class Tree:
    """The report's nodes (the children and the area itself), and how to group any area of
    the subtree under the child it belongs to, in SQL.

    The levels are fixed (PARENT_LEVEL: county → town → village/community/enterprise), so an
    area lies at most two levels below the report's area: it is the area itself, a child, or a
    child's child. Grouping by that CASE lets the database return one row per child instead of
    one per area below; no join on path prefixes, no spreading of rows in Python.
    """

    def __init__(self, area: Area):
        self.area = area
        self.children = list(db.session.execute(
            sa.select(Area.id, Area.code, Area.name, Area.level)
            .where(Area.parent_id == area.id).order_by(Area.code)))
        self.nodes = [*self.children, area]
        self.node_of = sa.case((Area.id == area.id, area.id),
                               (Area.parent_id == area.id, Area.id),
                               else_=Area.parent_id).label("node_id")
        self.in_subtree = Area.path.startswith(area.path, autoescape=True)

    def add_up(self, rows: dict, results, add) -> None:
        """Add each (node, *figures) row to its node and to the total."""
        for node_id, *figures in results:
            add(rows[node_id], *figures)
            if node_id != self.area.id:
                add(rows[self.area.id], *figures)


def coverage(area: Area, period: Period, today: date | None = None) -> dict:
    today = today or clock.today()
    tree = Tree(area)
    rows = {n.id: empty_row(n) for n in tree.nodes}
    ids = list(rows)
    _count_units(rows, tree, period)
    _add_sums(rows, tree, period, today)
    _add_distinct(rows, ids, period, today)
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
    stmt = (sa.select(tree.node_of, StudyUnit.kind, sa.func.count(StudyUnit.id))
            .join(Area, Area.id == StudyUnit.area_id)
            .where(tree.in_subtree, StudyUnit.status == "active",
                   StudyUnit.registered_on <= period.end)
            .group_by(tree.node_of, StudyUnit.kind))

    def add(row, kind, n):
        row["units"][kind] += n
        row["units"]["total"] += n

    tree.add_up(rows, db.session.execute(stmt), add)


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
        stmt = (sa.select(AreaMonthStats.area_id,
                          sa.func.sum(AreaMonthStats.sessions),
                          sa.func.sum(AreaMonthStats.attendances),
                          sa.func.sum(AreaMonthStats.quiz_attempts),
                          sa.func.sum(AreaMonthStats.quiz_score_sum),
                          sa.func.sum(AreaMonthStats.quiz_passes))
                .where(AreaMonthStats.area_id.in_([n.id for n in tree.nodes]),
                       AreaMonthStats.month.between(*whole))
                .group_by(AreaMonthStats.area_id))
        for area_id, *figures in db.session.execute(stmt):
            _add(rows[area_id], *figures)
    if edges:
        _n, _l, below = _below([n.id for n in tree.nodes])
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
    stmt = (sa.select(LedgerRange.area_id, LedgerRange.scope, LedgerRange.kind,
                      LedgerRange.entities, LedgerRange.weight)
            .where(LedgerRange.scope.in_((ATTENDANCE, QUIZ, UNIT)),  # the key's first column
                   LedgerRange.area_id.in_(ids), LedgerRange.year == period.year,
                   LedgerRange.first_month == period.start.month,
                   LedgerRange.last_month == period.end.month))
    for area_id, scope, kind, entities, weight in db.session.execute(stmt):
        _add_distinct_figure(rows[area_id], scope, kind, entities, weight)


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
