"""Reading sessions, attendance and dormant units, always within the user's scope.

Every list is one statement with its related rows eager-loaded (topics with selectinload,
the unit or the person with a join), so a page of 500 rows costs what a page of 5 does.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from lawlearn import clock, scope
from lawlearn.extensions import db, page_number
from lawlearn.models import (
    Area,
    Attendance,
    Person,
    RosterMember,
    SessionTopic,
    StudySession,
    StudyUnit,
)


def by_checkin_token(token: str) -> StudySession | None:
    """The study session a QR code names, with its unit (the check-in reads its area for the
    period lock, the quiz start its unit for the participant): one statement. Public pages:
    the token is the secret, no scope applies."""
    return db.session.scalar(_by_checkin_token(), {"token": token})


@functools.cache
def _by_checkin_token():
    # Built once: every scan of a meeting's QR code and every quiz started from it runs it.
    return (sa.select(StudySession).where(StudySession.checkin_token == sa.bindparam("token"))
            .options(joinedload(StudySession.unit)))


def _session_filters(*, unit: StudyUnit | None = None, start: date | None = None,
                     end: date | None = None, format: str | None = None,
                     topic: str | None = None, area: Area | None = None) -> list:
    where = [scope.unit_filter()]
    if unit is not None:
        where.append(StudySession.unit_id == unit.id)
    if area is not None:
        where.append(StudyUnit.area_id.in_(sa.select(Area.id).where(
            Area.path.startswith(area.path, autoescape=True))))
    if start is not None:
        where.append(StudySession.held_on >= start)
    if end is not None:
        where.append(StudySession.held_on <= end)
    if format:
        where.append(StudySession.format == format)
    if topic:
        where.append(StudySession.id.in_(
            sa.select(SessionTopic.session_id).where(SessionTopic.topic == topic)))
    return where


def session_list(**filters) -> sa.Select:
    return (
        sa.select(StudySession)
        .join(StudySession.unit)
        .options(contains_eager(StudySession.unit), selectinload(StudySession.topic_rows))
        .where(*_session_filters(**filters))
        .order_by(StudySession.held_on.desc(), StudySession.id.desc())
    )


def session_totals(**filters) -> sa.Row:
    """(sessions, attended person-times) over the same filters as the list: one aggregate."""
    return db.session.execute(
        sa.select(sa.func.count(StudySession.id).label("sessions"),
                  sa.func.coalesce(sa.func.sum(StudySession.attended_count), 0)
                  .label("attended"))
        .select_from(StudySession).join(StudySession.unit)
        .where(*_session_filters(**filters))).one()


def unit_history(unit: StudyUnit, limit: int = 10) -> dict:
    """A unit's latest sessions and its totals, for the unit page: three queries whatever the
    number of sessions (totals, the latest rows, their topics)."""
    totals = db.session.execute(
        sa.select(sa.func.count(StudySession.id), sa.func.max(StudySession.held_on),
                  sa.func.coalesce(sa.func.sum(StudySession.attended_count), 0))
        .where(StudySession.unit_id == unit.id)).one()
    latest = db.session.scalars(
        sa.select(StudySession).options(selectinload(StudySession.topic_rows))
        .where(StudySession.unit_id == unit.id)
        .order_by(StudySession.held_on.desc(), StudySession.id.desc()).limit(limit)
    ).all() if totals[0] else []
    return {"count": totals[0], "last": totals[1], "attended": int(totals[2]),
            "sessions": latest}


def previous_session(unit: StudyUnit) -> StudySession | None:
    return db.session.scalar(
        sa.select(StudySession).options(selectinload(StudySession.topic_rows))
        .where(StudySession.unit_id == unit.id)
        .order_by(StudySession.held_on.desc(), StudySession.id.desc()).limit(1))


def attendance_list(session: StudySession) -> sa.Select:
    return (
        sa.select(Attendance)
        .join(Attendance.person)
        .options(contains_eager(Attendance.person))
        .where(Attendance.session_id == session.id)
        .order_by(Person.name, Person.id)
    )


def attendance_counts(session: StudySession) -> dict[str, int]:
    return dict(db.session.execute(
        sa.select(Attendance.status, sa.func.count()).where(Attendance.session_id == session.id)
        .group_by(Attendance.status)).all())


def roster_marks(session: StudySession) -> list[tuple[Person, str | None]]:
    """Everyone to mark: the unit's roster plus anyone already recorded at the session (a
    QR check-in, an import), with their status at this session or None."""
    people = sa.union(
        sa.select(RosterMember.person_id.label("person_id"))
        .where(RosterMember.unit_id == session.unit_id),
        sa.select(Attendance.person_id).where(Attendance.session_id == session.id),
    ).subquery()
    return db.session.execute(
        sa.select(Person, Attendance.status)
        .join(people, people.c.person_id == Person.id)
        .outerjoin(Attendance, sa.and_(Attendance.person_id == Person.id,
                                       Attendance.session_id == session.id))
        .order_by(Person.name, Person.id)).all()


def person_history(person: Person) -> sa.Select:
    """A person's attendance at sessions the user may see (other towns' stay hidden)."""
    return (
        sa.select(Attendance)
        .join(Attendance.session).join(StudySession.unit)
        .options(contains_eager(Attendance.session).contains_eager(StudySession.unit))
        .where(Attendance.person_id == person.id, scope.unit_filter())
        .order_by(StudySession.held_on.desc(), StudySession.id.desc())
    )


def person_units(person: Person) -> list[StudyUnit]:
    return db.session.scalars(
        sa.select(StudyUnit).join(RosterMember, RosterMember.unit_id == StudyUnit.id)
        .where(RosterMember.person_id == person.id, scope.unit_filter())
        .order_by(StudyUnit.code)).all()


class RowPagination(SelectPagination):
    """db.paginate keeps only the first column; this keeps whole rows, for a page of
    (unit, date of its last session)."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(select: sa.Select, per_page: int) -> RowPagination:
    return RowPagination(select=select, session=db.session(), page=page_number(),
                         per_page=per_page, error_out=False)


# --- dormant units ---------------------------------------------------------------------------

def _last_sessions():
    return (sa.select(StudySession.unit_id, sa.func.max(StudySession.held_on).label("last"))
            .group_by(StudySession.unit_id).subquery("last_sessions"))


def _is_dormant(last, days: int, today: date | None):
    """No session since the cutoff, and registered before it: a new unit gets as long to hold
    its first session as an old one gets between sessions, rather than being listed as never
    having met on the day it is registered."""
    cutoff = (today or clock.today()) - timedelta(days=days)
    return sa.and_(StudyUnit.registered_on < cutoff,
                   sa.or_(last.c.last.is_(None), last.c.last < cutoff))


def dormant_units(days: int = 60, *, today: date | None = None, area: Area | None = None,
                  actor=None) -> sa.Select:
    """Active units in scope with no session in the last `days` days (or none ever), the
    longest-quiet first: rows of (StudyUnit with its area, date of the last session or None).
    One statement: a MAX(held_on) per unit joined to the units."""
    last = _last_sessions()
    stmt = (
        sa.select(StudyUnit, last.c.last)
        .join(StudyUnit.area)
        .options(contains_eager(StudyUnit.area))
        .outerjoin(last, last.c.unit_id == StudyUnit.id)
        .where(StudyUnit.status == "active", scope.unit_filter(actor),
               _is_dormant(last, days, today))
        .order_by(sa.nulls_first(last.c.last.asc()), StudyUnit.code)
    )
    if area is not None:
        stmt = stmt.where(Area.path.startswith(area.path, autoescape=True))
    return stmt


def dormant_count(days: int = 60, *, today: date | None = None, actor=None) -> int:
    inner = dormant_units(days, today=today, actor=actor).order_by(None).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(inner))


def dormant_by_town(days: int = 60, *, today: date | None = None, actor=None) -> list[sa.Row]:
    """Per town: (town, active units, dormant units), in one grouped query. A unit's town is
    the parent of its area (a village, community or enterprise sits directly under a town)."""
    last, town = _last_sessions(), aliased(Area, name="town")
    dormant = sa.case((_is_dormant(last, days, today), 1), else_=0)
    return db.session.execute(
        sa.select(town, sa.func.count(StudyUnit.id).label("units"),
                  sa.func.sum(dormant).label("dormant"))
        .select_from(StudyUnit)
        .join(Area, Area.id == StudyUnit.area_id)
        .join(town, town.id == Area.parent_id)
        .outerjoin(last, last.c.unit_id == StudyUnit.id)
        .where(StudyUnit.status == "active", scope.unit_filter(actor))
        .group_by(town.id)
        .order_by(town.code)).all()
