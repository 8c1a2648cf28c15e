"""Creating county-wide activities and their stops, visiting units, cohorts and lecturers.
Callers commit.

A stop is logged with lawlearn.sessions.operations.log_session (the format is the activity's
kind), so the report ledger, the audit trail, photos and the check-in token come from the one
place that writes study sessions.
"""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn.audit import record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import (
    ActivityStop,
    ActivityVisitingUnit,
    Area,
    CohortMember,
    CountyActivity,
    Lecturer,
    Person,
    StudyUnit,
)
from lawlearn.models.activities import ACTIVITY_KINDS, DEFAULT_COMPLETION_PERCENT
from lawlearn.participants import NameConflict, identify
from lawlearn.sessions.operations import log_session


class ActivityError(ValueError):
    """A request the activity cannot take; the message says why, in the user's language."""


def create_activity(*, kind: str, title: str, year: int, area: Area, notes: str | None = None,
                    completion_percent: int | None = None, actor=None) -> CountyActivity:
    if kind not in ACTIVITY_KINDS:
        raise ActivityError(_("Unknown kind of activity."))
    if area.level not in ("county", "town"):
        raise ActivityError(_("A county-wide activity is organised by the county or a town."))
    activity = CountyActivity(
        kind=kind, title=title, year=year, area_id=area.id, notes=notes,
        completion_percent=completion_percent or DEFAULT_COMPLETION_PERCENT,
        created_by_id=getattr(getattr(actor, "user", actor), "id", None))
    db.session.add(activity)
    db.session.flush()
    record(actor, "create", activity, changes={
        "kind": kind, "title": title, "year": year, "area": area.code,
        "completion_percent": activity.completion_percent})
    return activity


def add_stop(activity: CountyActivity, unit: StudyUnit, *, place: str, visitors: int = 0,
             lecturer: Lecturer | None = None, topics: list[str], actor=None,
             prepared_photos=(), **session_fields) -> ActivityStop:
    """A stop (or talk, visit, class): a study session of the host `unit`, in the format of
    the activity's kind, and the stop's own row."""
    if not unit.active:
        raise ActivityError(_("This study unit is retired: pick an active host unit."))
    if not unit.area.path.startswith(activity.area.path):
        raise ActivityError(_("The host unit must be inside the organiser's area."))
    if activity.kind == "touring_talk" and lecturer is None:
        raise ActivityError(_("A touring talk needs a lecturer from the pool."))
    session = log_session(unit, actor=actor, topics=topics, prepared_photos=prepared_photos,
                          format=activity.kind,
                          lecturer=lecturer.name if lecturer else None, **session_fields)
    stop = ActivityStop(activity_id=activity.id, study_session=session, place=place,
                        visitors=visitors if activity.kind == "exhibition" else 0,
                        lecturer_id=lecturer.id if lecturer else None)
    db.session.add(stop)
    db.session.flush()
    record(actor, "add_stop", activity, changes={
        "stop": stop.id, "study_session": session.code, "place": place,
        "visitors": stop.visitors, "lecturer": lecturer.name if lecturer else None})
    return stop


def update_stop(stop: ActivityStop, *, place: str, visitors: int, actor=None) -> dict:
    changes = {}
    if stop.place != place:
        changes["place"] = [stop.place, place]
        stop.place = place
    if stop.activity.kind == "exhibition" and stop.visitors != visitors:
        changes["visitors"] = [stop.visitors, visitors]
        stop.visitors = visitors
    if changes:
        record(actor, "update_stop", stop.activity, changes={"stop": stop.id, **changes})
    return changes


def add_visiting_unit(activity: CountyActivity, unit: StudyUnit, *, actor=None) -> None:
    if activity.kind != "site_visit":
        raise ActivityError(_("Only an on-site visit has visiting units."))
    exists = db.session.scalar(sa.select(ActivityVisitingUnit.unit_id).where(
        ActivityVisitingUnit.activity_id == activity.id, ActivityVisitingUnit.unit_id == unit.id))
    if exists:
        raise ActivityError(_("%(name)s is already listed.", name=unit.name))
    db.session.add(ActivityVisitingUnit(activity_id=activity.id, unit_id=unit.id))
    record(actor, "add_visiting_unit", activity, changes={"unit": unit.code})


def add_cohort_member(activity: CountyActivity, *, name: str, mobile: str,
                      actor=None) -> Person:
    """A cohort member, recognised by mobile number as at every check-in (so the classes they
    scan in at are theirs). Only the hash and the masked number are stored."""
    if activity.kind != "rotational_training":
        raise ActivityError(_("Only a rotational training has a cohort."))
    try:
        person = identify(name, mobile, None, actor=actor)
    except NameConflict as conflict:
        raise ActivityError(str(conflict)) from None
    exists = db.session.scalar(sa.select(CohortMember.person_id).where(
        CohortMember.activity_id == activity.id, CohortMember.person_id == person.id))
    if exists:
        raise ActivityError(_("This person is already in the cohort."))
    db.session.add(CohortMember(activity_id=activity.id, person_id=person.id))
    record(actor, "add_cohort_member", activity, changes={"person": person.id})
    return person


def add_lecturer(area: Area, *, name: str, title: str, topics: str | None,
                 actor=None) -> Lecturer:
    exists = db.session.scalar(sa.select(Lecturer.id).where(
        Lecturer.area_id == area.id, Lecturer.name == name))
    if exists:
        raise ActivityError(_("%(name)s is already in the pool.", name=name))
    lecturer = Lecturer(area_id=area.id, name=name, title=title, topics=topics)
    db.session.add(lecturer)
    db.session.flush()
    record(actor, "add_lecturer", lecturer, changes={"name": name, "title": title,
                                                     "topics": topics})
    return lecturer
