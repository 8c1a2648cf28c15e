"""The coverage report (docs/contracts.md): one row per child area and a total counted
over the area itself, for a period.

A period of whole months within a year is answered by two statements over small tables
(lawlearn.reports.figures): the per-area monthly sums and the distinct-count ranges kept by
lawlearn.ledger, and index-only counts of the registered units. Periods that do not
line up with whole months, or span two years, fall back to exact queries over the raw tables
for the parts the summaries can't answer. The number of queries is the same whatever the number
of areas.

Two bases: all study sessions (the contract's figures), or approved ones only
(`approved_only=True`, `lawlearn report coverage --approved-only`): sessions, attendances,
participants, active units and their reach then count only study sessions a coordinator (or the
office) approved. The quiz figures are the same on both bases: attempts are not reviewed.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import ATTENDED, Area, Attempt, Attendance, StudySession, StudyUnit
from lawlearn.models.sessions import APPROVED
from lawlearn.reports.figures import CHILDREN, HOUSEHOLD_KINDS, KINDS, node_figures
from lawlearn.reports.periods import Period


def empty_row(area) -> dict:
    return {
        "code": area.code, "name": area.name, "level": area.level,
        "units": {**{k: 0 for k in KINDS}, "total": 0},
        "active_units": 0, "sessions": 0, "attendances": 0, "participants": 0,
        "households_reached": 0, "workers_reached": 0,
        "quiz_attempts": 0, "quiz_participants": 0, "mean_score": None, "pass_rate": None,
    }


DISTINCT = ("participants", "quiz_participants", "active_units", "households_reached",
            "workers_reached")


def _counted(approved_only: bool):
    """Which study sessions count: all, or the approved ones."""
    return StudySession.review_state == APPROVED if approved_only else sa.true()


def coverage(area: Area, period: Period, today: date | None = None,
             approved_only: bool = False) -> dict:
    """The report; with `approved_only` its dict says so under "basis" (the contract's
    output, without, stays exactly as it was)."""
    today = today or clock.today()
    whole, edges = split_period(period, today)
    ranged = period.month_aligned(today) and period.within_one_year
    children = db.session.execute(CHILDREN, {"root": area.id}).all()
    rows = {n.id: empty_row(n) for n in [*children, area]}
    nodes = node_figures(area.id, [c.id for c in children], period.end, whole,
                         (period.year, period.start.month, period.end.month) if ranged else None,
                         approved_only)
    for node in nodes:
        row = rows[node.id]
        _add(row, node.sessions, node.attendances, node.quiz_attempts, node.quiz_score_sum,
             node.quiz_passes)
        for name in DISTINCT:
            row[name] = int(getattr(node, name) or 0)
    for node in nodes:
        # A child's units count in the total too.
        for target in {node.id, area.id}:
            for kind in KINDS:
                n = int(getattr(node, kind) or 0)
                rows[target]["units"][kind] += n
                rows[target]["units"]["total"] += n
    ids = list(rows)
    if edges:
        _n, _l, below = _below(ids)
        for edge in edges:
            _add_raw_sums(rows, below, edge, approved_only)
    if not ranged:
        _distinct_from_raw(rows, ids, period, approved_only)
    for row in rows.values():
        _finish(row)
    return _report(area, period, [rows[c.id] for c in children], rows[area.id], approved_only)


def _report(area: Area, period: Period, rows: list[dict], total: dict,
            approved_only: bool) -> dict:
    report = {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "from": period.start.isoformat(), "to": period.end.isoformat(),
        "rows": rows,
        "total": total,
    }
    if approved_only:
        report["basis"] = "approved"
    return report


def _below(node_ids: list[int]):
    """(node, leaf) pairs: each node with every area in its subtree, by path prefix. The
    areas table is small (hundreds to thousands of rows), so this join is cheap."""
    node, leaf = aliased(Area), aliased(Area)
    return node, leaf, (sa.select(node.id.label("node_id"), leaf.id.label("leaf_id"))
                        .join(leaf, leaf.path.startswith(node.path))
                        .where(node.id.in_(node_ids))).subquery()


def split_period(period: Period, today: date) -> tuple[tuple[date, date] | None, list[Period]]:
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


def _add(row: dict, sessions, attended, attempts, score_sum, passes) -> None:
    row["sessions"] += int(sessions or 0)
    row["attendances"] += int(attended or 0)
    row["quiz_attempts"] += int(attempts or 0)
    row["_score_sum"] = row.get("_score_sum", 0.0) + float(score_sum or 0)
    row["_passes"] = row.get("_passes", 0) + int(passes or 0)


def _add_raw_sums(rows: dict, below, edge: Period, approved_only: bool = False) -> None:
    sessions = (sa.select(below.c.node_id, sa.func.count(StudySession.id),
                          sa.func.coalesce(sa.func.sum(StudySession.attended_count), 0))
                .join(StudyUnit, StudyUnit.area_id == below.c.leaf_id)
                .join(StudySession, StudySession.unit_id == StudyUnit.id)
                .where(StudySession.held_on.between(edge.start, edge.end),
                       _counted(approved_only))
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


def _add_units_reached(row: dict, kind: str, units: int, reach: int) -> None:
    row["active_units"] += units
    if kind in HOUSEHOLD_KINDS:
        row["households_reached"] += reach
    else:
        row["workers_reached"] += reach


def _distinct_from_raw(rows: dict, ids: list[int], period: Period,
                       approved_only: bool = False) -> None:
    _n, _l, below = _below(ids)
    in_period = sa.and_(StudySession.held_on.between(period.start, period.end),
                        _counted(approved_only))
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
        _add_units_reached(rows[node_id], kind, n, int(reach or 0))


def _finish(row: dict) -> None:
    score_sum, passes = row.pop("_score_sum", 0.0), row.pop("_passes", 0)
    if row["quiz_attempts"]:
        row["mean_score"] = round(score_sum / row["quiz_attempts"], 2)
        row["pass_rate"] = round(passes / row["quiz_attempts"], 4)


def recount(area: Area, period: Period, approved_only: bool = False) -> dict:
    """The same figures straight from the raw tables, the slow and obvious way: what the
    tests and the benchmark check the report against (on either basis)."""
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
    _add_raw_sums(rows, below, period, approved_only)
    _distinct_from_raw(rows, ids, period, approved_only)
    for row in rows.values():
        _finish(row)
    return _report(area, period, [rows[c.id] for c in children], rows[area.id], approved_only)
