"""Reading county-wide activities: who sees which, their stops with visitors, check-ins and
photos, and a rotational training's completion. Every figure is an SQL aggregate, so a page
costs the same number of queries for 3 stops as for 300.

Scope: an activity is seen by whoever sees its organiser's area (the county office: every
activity in the county; a coordinator: their own town's). Leaders do not manage county-wide
activities; their members simply check in at the stop like at any study session.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import (
    ATTENDED,
    ActivityStop,
    ActivityVisitingUnit,
    Area,
    Attendance,
    CohortMember,
    CountyActivity,
    Lecturer,
    Person,
    SessionPhoto,
    StudySession,
    StudyUnit,
)


def _areas_in_scope(actor=None):
    return sa.select(Area.id).where(scope.area_filter(actor))


def activity_filter(actor=None) -> sa.ColumnElement[bool]:
    return CountyActivity.area_id.in_(_areas_in_scope(actor))


def get_activity_or_404(activity_id: int, actor=None) -> CountyActivity:
    found = db.session.scalar(sa.select(CountyActivity).where(
        CountyActivity.id == activity_id, activity_filter(actor)))
    if found is None:
        abort(404)
    return found


def get_stop_or_404(activity: CountyActivity, stop_id: int) -> ActivityStop:
    """A stop of this (already scoped) activity; another activity's stop is a 404."""
    stop = db.session.scalar(sa.select(ActivityStop).join(ActivityStop.study_session).where(
        ActivityStop.id == stop_id, ActivityStop.activity_id == activity.id))
    if stop is None:
        abort(404)
    return stop


def _stop_figures():
    """Per activity: stops, visitors, check-ins (the stops' sessions' attended count)."""
    return (sa.select(ActivityStop.activity_id,
                      sa.func.count(ActivityStop.id).label("stops"),
                      sa.func.coalesce(sa.func.sum(ActivityStop.visitors), 0).label("visitors"),
                      sa.func.coalesce(sa.func.sum(StudySession.attended_count), 0)
                      .label("attended"))
            .join(StudySession, StudySession.id == ActivityStop.study_session_id)
            .group_by(ActivityStop.activity_id).subquery())


def activity_list(*, kind: str | None = None, year: int | None = None,
                  area: Area | None = None):
    """The list page's rows: each activity with its organiser's name and its figures."""
    figures = _stop_figures()
    stmt = (sa.select(CountyActivity, Area.name.label("area_name"),
                      sa.func.coalesce(figures.c.stops, 0).label("stops"),
                      sa.func.coalesce(figures.c.visitors, 0).label("visitors"),
                      sa.func.coalesce(figures.c.attended, 0).label("attended"))
            .join(Area, Area.id == CountyActivity.area_id)
            .outerjoin(figures, figures.c.activity_id == CountyActivity.id)
            .where(activity_filter())
            .order_by(CountyActivity.year.desc(), CountyActivity.id.desc()))
    if kind:
        stmt = stmt.where(CountyActivity.kind == kind)
    if year:
        stmt = stmt.where(CountyActivity.year == year)
    if area is not None:
        stmt = stmt.where(CountyActivity.area_id.in_(sa.select(Area.id).where(
            Area.path.startswith(area.path, autoescape=True))))
    return stmt


def stop_rows(activity: CountyActivity) -> list:
    """Every stop with its date, host unit and area, lecturer, visitors, check-ins, photos."""
    photos = (sa.select(sa.func.count(SessionPhoto.id))
              .where(SessionPhoto.session_id == StudySession.id).scalar_subquery())
    return db.session.execute(
        sa.select(ActivityStop.id, ActivityStop.place, ActivityStop.visitors,
                  StudySession.id.label("study_session_id"), StudySession.code,
                  StudySession.held_on, StudySession.lecturer, StudySession.unit_id,
                  StudySession.attended_count.label("attended"),
                  StudyUnit.name.label("unit_name"), Area.name.label("area_name"),
                  Area.code.label("area_code"), photos.label("photos"))
        .join(StudySession, StudySession.id == ActivityStop.study_session_id)
        .join(StudyUnit, StudyUnit.id == StudySession.unit_id)
        .join(Area, Area.id == StudyUnit.area_id)
        .where(ActivityStop.activity_id == activity.id)
        .order_by(StudySession.held_on, ActivityStop.id)).all()


def stop_totals(rows: list) -> dict:
    """The total line, from rows the page has already read (no second query)."""
    return {"stops": len(rows), "visitors": sum(r.visitors for r in rows),
            "attended": sum(r.attended for r in rows), "photos": sum(r.photos for r in rows)}


def visiting_units(activity: CountyActivity) -> list:
    return db.session.execute(
        sa.select(StudyUnit.id, StudyUnit.code, StudyUnit.name, Area.name.label("area_name"))
        .join(ActivityVisitingUnit, ActivityVisitingUnit.unit_id == StudyUnit.id)
        .join(Area, Area.id == StudyUnit.area_id)
        .where(ActivityVisitingUnit.activity_id == activity.id)
        .order_by(Area.path, StudyUnit.code)).all()


def host_unit_choices(activity: CountyActivity) -> list[tuple[int, str]]:
    """Active units inside the activity's area that the user may see, labelled with their
    area: a stop is held by one of them (see lawlearn.activities)."""
    rows = db.session.execute(
        sa.select(StudyUnit.id, StudyUnit.name, Area.name)
        .join(Area, Area.id == StudyUnit.area_id)
        .where(StudyUnit.status == "active", scope.unit_filter(),
               Area.path.startswith(activity.area.path, autoescape=True))
        .order_by(Area.path, StudyUnit.code))
    return [(uid, f"{area} · {name}") for uid, name, area in rows]


def unit_choices_in_scope(exclude: set[int] = frozenset()) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(StudyUnit.id, StudyUnit.name, Area.name)
        .join(Area, Area.id == StudyUnit.area_id)
        .where(StudyUnit.status == "active", scope.unit_filter())
        .order_by(Area.path, StudyUnit.code))
    return [(uid, f"{area} · {name}") for uid, name, area in rows if uid not in exclude]


# --- the lecturer pool ---------------------------------------------------------------------------

def lecturer_filter(actor=None) -> sa.ColumnElement[bool]:
    """Pools the user may use: their own area's and everything below it, and the pools of the
    areas above it (a town picks lecturers from the county's pool)."""
    root = scope.scope_root(actor)
    if root is None:
        return sa.true()
    above = sa.select(Area.id).where(sa.literal(root.path).startswith(Area.path))
    return sa.or_(Lecturer.area_id.in_(_areas_in_scope(actor)), Lecturer.area_id.in_(above))


def lecturer_list():
    return (sa.select(Lecturer, Area.name.label("area_name"))
            .join(Area, Area.id == Lecturer.area_id)
            .where(lecturer_filter()).order_by(Area.path, Lecturer.name))


def lecturer_choices() -> list[tuple[int, str]]:
    return [(lec.id, f"{lec.name}（{lec.title}）")
            for lec in db.session.scalars(sa.select(Lecturer).join(Lecturer.area)
                                          .where(lecturer_filter())
                                          .order_by(Area.path, Lecturer.name))]


# --- rotational training: the cohort and its completion -----------------------------------------

@dataclass(frozen=True)
class Completion:
    classes: int
    members: int
    complete: int

    @property
    def rate(self) -> float | None:
        return self.complete / self.members if self.members else None


def _completion_rows(activity: CountyActivity, classes: int):
    """One row per cohort member: classes attended (present or late) and whether that reaches
    the activity's share. `attended * 100 >= percent * classes` keeps the test in integers."""
    attended = (sa.select(Attendance.person_id, sa.func.count(Attendance.id).label("n"))
                .join(ActivityStop, ActivityStop.study_session_id == Attendance.session_id)
                .where(ActivityStop.activity_id == activity.id,
                       Attendance.status.in_(ATTENDED))
                .group_by(Attendance.person_id).subquery())
    n = sa.func.coalesce(attended.c.n, 0)
    complete = sa.case((sa.and_(sa.literal(classes) > 0,
                                n * 100 >= activity.completion_percent * classes), 1), else_=0)
    return (sa.select(Person.id, Person.name, Person.phone_masked, n.label("attended"),
                      complete.label("complete"))
            .join(CohortMember, CohortMember.person_id == Person.id)
            .outerjoin(attended, attended.c.person_id == Person.id)
            .where(CohortMember.activity_id == activity.id))


def cohort_page_stmt(activity: CountyActivity, classes: int):
    return _completion_rows(activity, classes).order_by(Person.name, Person.id)


def completion(activity: CountyActivity, classes: int) -> Completion:
    rows = _completion_rows(activity, classes).subquery()
    members, complete = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(rows.c.complete), 0))
        .select_from(rows)).one()
    return Completion(classes=classes, members=members, complete=int(complete))


def mask_name(name: str) -> str:
    """张三 → 张*, 李秀英 → 李*英: enough for staff to tell people apart on a page that may be
    printed and pinned up, not enough to name a villager who missed classes."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def may_create() -> bool:
    return current_user.role in ("admin", "coordinator")
