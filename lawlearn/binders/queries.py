"""What goes into an evidence binder, read set-based: each part is one statement whatever the
number of units (the sign-in sheets' attendance rows come in chunks of study sessions, so a
town of 4,000 units costs a handful of statements more than a town of 5, never one per unit).

A binder's subject is a town (every unit in its subtree) or one unit of it, over whole months.
A session, its attendance and its photos belong to the binder when the session is held in the
period; quiz attempts when taken in the period for a unit of the subject (the coverage
report's rule, so the index's totals equal the report's)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import (
    ATTENDED,
    Area,
    AssessmentEntry,
    Attempt,
    Attendance,
    BinderJob,
    Milestone,
    Person,
    Plan,
    PlanStage,
    SessionPhoto,
    SessionTopic,
    StudySession,
    StudyUnit,
)
from lawlearn.plans.progress import progress_of

SHEET_CHUNK = 500   # study sessions per statement when reading sign-in sheets' rows


@dataclass
class Subject:
    """A town (or one unit of it) and a period of whole months."""

    town: Area
    unit: StudyUnit | None
    start: date
    end: date

    @classmethod
    def of(cls, job: BinderJob) -> Subject:
        return cls(job.area, job.unit, job.period_start, job.period_end)

    def unit_condition(self) -> sa.ColumnElement[bool]:
        if self.unit is not None:
            return StudyUnit.id == self.unit.id
        return StudyUnit.area_id.in_(sa.select(Area.id).where(
            Area.path.startswith(self.town.path, autoescape=True)))

    def session_ids(self) -> sa.Select:
        return (sa.select(StudySession.id).join(StudySession.unit)
                .where(self.unit_condition(),
                       StudySession.held_on.between(self.start, self.end)))


@dataclass
class BinderIndex:
    """Everything the index workbook and the summary show."""

    sessions: list = field(default_factory=list)      # rows, by date, unit, code
    topics: dict = field(default_factory=dict)        # session id → [topic]
    counts: dict = field(default_factory=dict)        # session id → {status: n}
    photos: dict = field(default_factory=dict)        # session id → [photo rows]
    quizzes: list = field(default_factory=list)       # rows per (unit, session)
    milestones: list = field(default_factory=list)    # (plan, area row, milestone, cell)
    entries: list = field(default_factory=list)       # AssessmentEntry rows

    @property
    def photo_count(self) -> int:
        return sum(len(p) for p in self.photos.values())


def read_index(subject: Subject, today: date | None = None) -> BinderIndex:
    ids = subject.session_ids()
    index = BinderIndex()
    index.sessions = db.session.execute(
        sa.select(StudySession.id, StudySession.code, StudySession.held_on,
                  StudySession.format, StudySession.lecturer, StudySession.duration_minutes,
                  StudySession.attended_count, StudyUnit.id.label("unit_id"),
                  StudyUnit.code.label("unit_code"), StudyUnit.name.label("unit_name"),
                  StudyUnit.kind.label("unit_kind"), StudyUnit.leader_name,
                  Area.name.label("area_name"))
        .join(StudySession.unit).join(StudyUnit.area)
        .where(StudySession.id.in_(ids))
        .order_by(StudySession.held_on, StudyUnit.code, StudySession.code)).all()
    index.topics = defaultdict(list)
    for session_id, topic in db.session.execute(
            sa.select(SessionTopic.session_id, SessionTopic.topic)
            .where(SessionTopic.session_id.in_(ids)).order_by(SessionTopic.topic)):
        index.topics[session_id].append(topic)
    index.counts = defaultdict(dict)
    for session_id, status, n in db.session.execute(
            sa.select(Attendance.session_id, Attendance.status, sa.func.count())
            .where(Attendance.session_id.in_(ids))
            .group_by(Attendance.session_id, Attendance.status)):
        index.counts[session_id][status] = n
    index.photos = defaultdict(list)
    for photo in db.session.execute(
            sa.select(SessionPhoto.session_id, SessionPhoto.id, SessionPhoto.filename,
                      SessionPhoto.thumbnail, SessionPhoto.content_type)
            .where(SessionPhoto.session_id.in_(ids)).order_by(SessionPhoto.id)):
        index.photos[photo.session_id].append(photo)
    index.quizzes = quiz_summary(subject)
    index.milestones = milestones(subject, today or clock.today())
    index.entries = db.session.scalars(
        sa.select(AssessmentEntry).where(
            AssessmentEntry.area_id == subject.town.id,
            AssessmentEntry.year.between(subject.start.year, subject.end.year))
        .order_by(AssessmentEntry.year, AssessmentEntry.item)).all()
    return index


def quiz_summary(subject: Subject) -> list:
    """Finished attempts per (unit, study session or none): the coverage report's attempts."""
    return db.session.execute(
        sa.select(StudyUnit.code.label("unit_code"), StudyUnit.name.label("unit_name"),
                  StudySession.code.label("session_code"),
                  sa.func.count(Attempt.id).label("attempts"),
                  sa.func.count(sa.distinct(Attempt.person_id)).label("people"),
                  sa.func.avg(Attempt.score).label("mean_score"),
                  sa.func.sum(sa.case((Attempt.passed, 1), else_=0)).label("passes"))
        .select_from(Attempt).join(StudyUnit, StudyUnit.id == Attempt.unit_id)
        .outerjoin(StudySession, StudySession.id == Attempt.session_id)
        .where(subject.unit_condition(), Attempt.score.is_not(None),
               Attempt.taken_on.between(subject.start, subject.end))
        .group_by(StudyUnit.code, StudyUnit.name, StudySession.code)
        .order_by(StudyUnit.code, StudySession.code)).all()


def milestones(subject: Subject, today: date) -> list[tuple]:
    """The milestones of the plans that reach the town (the county's plans, whose row is the
    town, and the town's own, whose rows are its villages) and run during the period."""
    town = subject.town
    overlapping = (sa.select(Plan.id).join(Milestone, Milestone.plan_id == Plan.id)
                   .join(PlanStage, PlanStage.id == Milestone.stage_id)
                   .where(Milestone.due >= subject.start, PlanStage.starts_on <= subject.end))
    plans = db.session.scalars(
        sa.select(Plan).where(Plan.area_id.in_([a for a in (town.parent_id, town.id) if a]),
                              Plan.id.in_(overlapping))
        .order_by(Plan.code)).all()
    found = progress_of(list(plans), today)
    rows = []
    for plan in plans:
        progress = found[plan.id]
        for area in progress.areas:
            if plan.area_id != town.id and area.id != town.id:
                continue
            for m in progress.milestones:
                rows.append((plan, area, m, progress.cell(area.id, m.id)))
    return rows


def sheet_rows(chunk: list[int]) -> dict[int, list]:
    """{session id: its attendance rows} for one chunk of study sessions (at most
    SHEET_CHUNK), in one statement. Only the masked mobile is read: the binder never holds a
    full number."""
    grouped: dict[int, list] = defaultdict(list)
    for row in db.session.execute(
            sa.select(Attendance.session_id, Person.name, Person.phone_masked,
                      Attendance.status, Attendance.method)
            .join(Attendance.person).where(Attendance.session_id.in_(chunk))
            .order_by(Attendance.session_id, Attendance.id)):
        grouped[row.session_id].append(row)
    return grouped


def attended(counts: dict) -> int:
    return sum(n for status, n in counts.items() if status in ATTENDED)
