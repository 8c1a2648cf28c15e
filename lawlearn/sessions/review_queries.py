"""Reading the review queue: a town's study sessions waiting for review, and the counts the
dashboards show. Each is one statement (plus the eager loads of a page) whatever the number of
sessions."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import contains_eager, selectinload

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import StudySession, StudyUnit
from lawlearn.models.sessions import RETURNED, SUBMITTED


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week `day` falls in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def waiting(week: tuple[date, date] | None = None) -> sa.Select:
    """Submitted sessions the user may review (their scope), oldest first: what waits longest
    is reviewed first. The unit and its area come with the row, topics and photos with one
    query each."""
    stmt = (sa.select(StudySession).join(StudySession.unit).join(StudyUnit.area)
            .options(contains_eager(StudySession.unit).contains_eager(StudyUnit.area),
                     selectinload(StudySession.topic_rows), selectinload(StudySession.photos))
            .where(StudySession.review_state == SUBMITTED, scope.unit_filter()))
    if week is not None:
        stmt = stmt.where(StudySession.held_on.between(*week))
    return stmt.order_by(StudySession.held_on, StudySession.id)


def waiting_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(StudySession.id)).join(StudySession.unit)
        .where(StudySession.review_state == SUBMITTED, scope.unit_filter())) or 0


def in_scope(ids: list[int]) -> list[StudySession]:
    """The sessions among `ids` the user may review; ids outside their scope are dropped,
    exactly as unknown ones."""
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(StudySession).join(StudySession.unit)
        .where(StudySession.id.in_(sorted(set(ids))), scope.unit_filter())
        .order_by(StudySession.id)))


def returned_to_me() -> list[StudySession]:
    """The signed-in leader's returned sessions, with their reasons, until they are fixed."""
    if not current_user.is_leader:
        return []
    return list(db.session.scalars(
        sa.select(StudySession).join(StudySession.unit)
        .options(contains_eager(StudySession.unit))
        .where(StudySession.review_state == RETURNED, scope.unit_filter())
        .order_by(StudySession.held_on.desc(), StudySession.id.desc()).limit(20)))

