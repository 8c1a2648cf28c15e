"""What the report pages and dashboards read beyond the coverage contract: the monthly series,
scores by law topic, a leaf area's units, targets, and the dashboards' lists.

Each function is one aggregate query whatever the number of areas, units or sessions.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from lawlearn import clock, codes, scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import (
    ATTENDED,
    Area,
    AreaMonthStats,
    AreaTopicMonthStats,
    Attempt,
    Attendance,
    Quiz,
    StudySession,
    StudyUnit,
    Target,
)
from lawlearn.models.sessions import APPROVED
from lawlearn.reports.coverage import split_period
from lawlearn.reports.periods import Period, month_starts
from lawlearn.validation import code_problem

KIND_ORDER = {code: i for i, code in enumerate(codes.KINDS.codes)}  # docs/contracts.md's order


def _in_subtree(area: Area):
    return Area.path.startswith(area.path, autoescape=True)


def find_area(text: str) -> Area | None:
    """An area the user may see, by code, else by id: links carry codes (readable, stable);
    ids still work. Another town's area is None exactly as an unknown code is, so the answer
    (400, "No area has the code …") never tells whether it exists."""
    text = (text or "").strip()
    if code_problem(text):  # not even shaped like a code (NUL bytes upset PostgreSQL)
        return None
    visible = scope.area_filter()
    found = db.session.scalar(sa.select(Area).where(Area.code == text, visible))
    if found is None and text.isdigit() and len(text) < 10:
        found = db.session.scalar(sa.select(Area).where(Area.id == int(text), visible))
    return found


def default_area() -> Area | None:
    """Where a report starts: the user's own area, else the first county they may see."""
    return scope.scope_root() or db.session.scalar(
        sa.select(Area).where(Area.parent_id.is_(None), scope.area_filter())
        .order_by(Area.code).limit(1))


def retired_codes(codes: list[str]) -> set[str]:
    """Which of the areas coded `codes` are retired (marked 已撤销 wherever reports still show
    their history), in one query."""
    if not codes:
        return set()
    return set(db.session.scalars(sa.select(Area.code).where(Area.code.in_(codes),
                                                              sa.not_(Area.active))))


def area_options(current: Area | None) -> list[tuple[str, str]]:
    """(code, label) of the counties and towns in use the user may report on, plus the area
    shown when it is a village, community or enterprise (reached by drilling down) or retired
    (its history, reached from a report's row), marked as such."""
    shown = Area.id == (current.id if current else -1)
    stmt = (sa.select(Area.code, Area.name, Area.level, Area.active).where(
        scope.area_filter(), sa.or_(sa.and_(Area.level.in_(("county", "town")), Area.active),
                                    shown))
            .order_by(Area.path))
    retired = _("Retired")
    return [(code, f"{'　' if level != 'county' else ''}{name}（{code}）"
                   f"{'' if active else ' · ' + retired}")
            for code, name, level, active in db.session.execute(stmt)]


def monthly_series(area: Area, period: Period, approved_only: bool = False) -> list[dict]:
    """Sessions and person-times per month over the area's subtree, from the monthly sums
    (each area has its own rows, its subtree rolled up): whole calendar months the period
    touches, zeros included; approved study sessions only when asked."""
    first, last = period.months()
    sessions, attendances = ((AreaMonthStats.approved_sessions,
                              AreaMonthStats.approved_attendances) if approved_only
                             else (AreaMonthStats.sessions, AreaMonthStats.attendances))
    stmt = (sa.select(AreaMonthStats.month, sessions, attendances)
            .where(AreaMonthStats.area_id == area.id,
                   AreaMonthStats.month.between(first, last)))
    found = {month: (int(s or 0), int(a or 0)) for month, s, a in db.session.execute(stmt)}
    return [{"month": m, "sessions": found.get(m, (0, 0))[0],
             "attendances": found.get(m, (0, 0))[1]} for m in month_starts(first, last)]


def scores_by_topic(area: Area, period: Period, today: date | None = None) -> list[dict]:
    """Mean score and pass rate per law topic of the attempts that count in the area; general
    (综合) banks and mixed papers make one more row, "general", last. Whole months come from
    the summaries by topic (a few rows per topic, whatever the number of attempts), the days
    left over at either end of the period from the attempts themselves, as the coverage report
    does."""
    whole, edges = split_period(period, today or clock.today())
    sums: dict[str, list] = {}

    def add(topic, n, score_sum, passes):
        found = sums.setdefault(topic, [0, 0.0, 0])
        found[0] += int(n or 0)
        found[1] += float(score_sum or 0)
        found[2] += int(passes or 0)

    if whole:
        stats = AreaTopicMonthStats
        for row in db.session.execute(
                sa.select(stats.topic, sa.func.sum(stats.quiz_attempts),
                          sa.func.sum(stats.quiz_score_sum), sa.func.sum(stats.quiz_passes))
                .where(stats.area_id == area.id, stats.month.between(*whole))
                .group_by(stats.topic)):
            add(*row)
    for edge in edges:
        for row in db.session.execute(
                sa.select(Quiz.topic, sa.func.count(Attempt.id), sa.func.sum(Attempt.score),
                          sa.func.sum(sa.case((Attempt.passed, 1), else_=0)))
                .join(Quiz, Quiz.id == Attempt.quiz_id)
                .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
                .join(Area, Area.id == StudyUnit.area_id)
                .where(_in_subtree(area), Attempt.score.is_not(None),
                       Attempt.taken_on.between(edge.start, edge.end))
                .group_by(Quiz.topic)):
            add(*row)
    return [{"topic": topic, "attempts": n, "mean_score": round(score_sum / n, 2),
             "pass_rate": round(passes / n, 4)}
            for topic, (n, score_sum, passes)
            in sorted(sums.items(), key=lambda item: (item[0] == codes.GENERAL_TOPIC,
                                                        item[0]))
            if n]


def unit_table(area: Area, period: Period, approved_only: bool = False) -> list[dict]:
    """Per unit of one leaf area: sessions, person-times, distinct people and the last session
    in the period (approved study sessions only when asked). Raw tables are fine here: one
    village's units and sessions."""
    counted = StudySession.review_state == APPROVED if approved_only else sa.true()
    in_period = sa.and_(StudySession.unit_id == StudyUnit.id, counted,
                        StudySession.held_on.between(period.start, period.end))
    attended = sa.and_(Attendance.session_id == StudySession.id, Attendance.status.in_(ATTENDED))
    had_session = sa.select(StudySession.unit_id).where(
        StudySession.held_on.between(period.start, period.end), counted)
    registered = sa.and_(StudyUnit.status == "active", StudyUnit.registered_on <= period.end)
    stmt = (sa.select(StudyUnit.id, StudyUnit.code, StudyUnit.name, StudyUnit.kind,
                      StudyUnit.status, StudyUnit.reach, StudyUnit.leader_name,
                      sa.func.count(sa.distinct(StudySession.id)).label("sessions"),
                      sa.func.count(Attendance.id).label("attendances"),
                      sa.func.count(sa.distinct(Attendance.person_id)).label("participants"),
                      sa.func.max(StudySession.held_on).label("last_held_on"))
            .outerjoin(StudySession, in_period).outerjoin(Attendance, attended)
            .where(StudyUnit.area_id == area.id, scope.unit_filter(),
                   sa.or_(registered, StudyUnit.id.in_(had_session)))
            .group_by(StudyUnit.id).order_by(StudyUnit.code))
    return [row._asdict() for row in db.session.execute(stmt)]


def targets_for(area_codes: list[str], year: int) -> dict[tuple[str, str], int]:
    """{(area code, kind): target} for the given areas and year."""
    stmt = (sa.select(Area.code, Target.kind, Target.target).join(Target.area)
            .where(Area.code.in_(area_codes), Target.year == year))
    return {(code, kind): target for code, kind, target in db.session.execute(stmt)}


def target_list(year: int) -> sa.Select:
    """The year's targets the user may see, with their areas, in tree order."""
    return (sa.select(Target).join(Target.area).options(contains_eager(Target.area))
            .where(Target.year == year, scope.area_filter())
            .order_by(Area.path, sa.case(KIND_ORDER, value=Target.kind, else_=9)))


def achieved_for(found: list[Target], as_of: date) -> dict[int, int]:
    """{target id: units of its kind registered in its area's subtree by `as_of`}, for a page
    of targets, in one grouped query."""
    if not found:
        return {}
    leaf = aliased(Area)
    stmt = (sa.select(Target.id, sa.func.count(StudyUnit.id))
            .join(Area, Area.id == Target.area_id)
            .join(leaf, leaf.path.startswith(Area.path))
            .outerjoin(StudyUnit, sa.and_(StudyUnit.area_id == leaf.id,
                                          StudyUnit.kind == Target.kind,
                                          StudyUnit.status == "active",
                                          StudyUnit.registered_on <= as_of))
            .where(Target.id.in_([t.id for t in found]))
            .group_by(Target.id))
    return {target_id: n for target_id, n in db.session.execute(stmt)}


def dormant_units(today_: date, days: int, limit: int = 10) -> tuple[int, list[dict]]:
    """Active units the user may see with no session in the last `days` days (or none ever):
    (how many, the `limit` quietest), by the sessions pages' own rule so the dashboard and
    the dormant list agree."""
    from lawlearn.sessions.queries import dormant_units as sessions_dormant

    stmt = sessions_dormant(days, today=today_)
    stmt = stmt.add_columns(sa.func.count().over().label("total")).limit(limit)
    rows = [{"id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind,
             "area_name": unit.area.name, "last_held_on": last, "total": total}
            for unit, last, total in db.session.execute(stmt)]
    return (rows[0]["total"] if rows else 0), rows


def leader_units(today_: date) -> list[dict]:
    """The signed-in leader's units: sessions this month and the last session ever."""
    month_start = today_.replace(day=1)
    this_month = sa.func.sum(sa.case((StudySession.held_on >= month_start, 1), else_=0))
    stmt = (sa.select(StudyUnit.id, StudyUnit.code, StudyUnit.name, StudyUnit.kind,
                      StudyUnit.status, this_month.label("this_month"),
                      sa.func.max(StudySession.held_on).label("last_held_on"))
            .outerjoin(StudySession, sa.and_(StudySession.unit_id == StudyUnit.id,
                                             StudySession.held_on <= today_))
            .where(scope.unit_filter(), StudyUnit.status == "active")
            .group_by(StudyUnit.id).order_by(StudyUnit.code))
    return [{**row._asdict(), "this_month": int(row.this_month or 0)}
            for row in db.session.execute(stmt)]
