"""Keeping the coverage report's summary rows exact, in the same transaction as every write.

`init_app(app)` listens on the app's `db.session`: a flush listener notes which study sessions,
attendance rows, attempts, units and areas a transaction changes (changes.py), and a
before-commit hook brings exactly the summary rows they touch up to date (refresh.py) under
locks that keep concurrent writers apart (locks.py). What each summary row holds is defined
once, in figures.py, for both the incremental path and `rebuild()`.

Bulk writes through Core statements (imports) bypass the flush listener: they tell the ledger
what they touched with `touch(...)` or `touch_sessions(...)`.

Why summaries at all: see lawlearn.models.reports. The tests compare the summaries with a
rebuild after random sequences of every kind of write (tests/reports/test_ledger_properties.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from lawlearn.imports.plan import chunks
from lawlearn.ledger.changes import PENDING, collect, note_fresh, pending
from lawlearn.ledger.figures import month_of
from lawlearn.ledger.refresh import apply, rebuild
from lawlearn.models import Attempt, Attendance, StudySession, StudyUnit
from lawlearn.models.reports import ATTENDANCE, QUIZ, UNIT

__all__ = ["add_attended", "add_scored", "init_app", "month_of", "rebuild", "require_rebuild",
           "touch", "touch_sessions", "touch_units"]


def init_app(app: Flask) -> None:
    from lawlearn.extensions import db

    for name, listener in (("before_flush", _before_flush), ("before_commit", _before_commit),
                           ("after_rollback", _after_rollback)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    app.extensions["lawlearn.ledger"] = True


def _session(session: Session | None) -> Session:
    if session is not None:
        return session
    from lawlearn.extensions import db

    return db.session()


def touch(session: Session | None = None, *, sessions: Iterable[int] = (),
          attempts: Iterable[int] = (), area_months: Iterable[tuple[int, date]] = (),
          attend_people: Iterable[int] = (), quiz_people: Iterable[int] = (),
          units: Iterable[int] = ()) -> None:
    """Tell the ledger what a Core (bulk) statement changed; it is brought up to date at commit.
    `area_months` are (area of the unit, first day of the month) pairs; `attempts` are read
    again at commit (their unit and day), so they must not have moved."""
    changes = pending(_session(session))
    changes.study_sessions.update(sessions)
    changes.attempts.update(attempts)
    changes.leaf_months.update(area_months)
    changes.entities[ATTENDANCE].update(attend_people)
    changes.entities[QUIZ].update(quiz_people)
    changes.entities[UNIT].update(units)


def add_attended(study_session_id: int, person_id: int, session: Session | None = None) -> None:
    """This person now counts as attended at this study session, and did not before (a QR
    check-in's new row, or an absence turned into presence). The study session's month moves
    by one attendance (and one approved attendance if it is approved, as read at commit), with
    no recount of the month: a check-in costs the same in a quiet village month and a busy one.
    """
    changes = pending(_session(session))
    changes.attended[study_session_id].add(person_id)
    changes.entities[ATTENDANCE].add(person_id)


def add_scored(attempt_id: int, person_id: int, score: float, passed: bool,
               session: Session | None = None) -> None:
    """This attempt, which counted nowhere (no score), now has this score: its month and its
    bank's law topic move by one attempt, its score and its pass. The attempt's row must stay
    locked by this transaction (the submission's claim holds it), so nothing else moves it
    before the commit."""
    changes = pending(_session(session))
    changes.scored[attempt_id] = (score, passed)
    changes.entities[QUIZ].add(person_id)


def touch_sessions(session_ids: Iterable[int], session: Session | None = None) -> None:
    """Everything that hangs on these study sessions as they are now: call it before a bulk
    statement changes them (their old months, units and attendees) and after (the new ones)."""
    session = _session(session)
    changes = pending(session)
    ids = sorted(set(session_ids))
    for batch in chunks(ids):
        # The rows are locked as they are read (see changes._lock_edited_study_sessions): a
        # check-in that commits after the attendee read below waits for this transaction and
        # counts the study sessions as it leaves them.
        for sid, unit_id, held_on in session.execute(
                sa.select(StudySession.id, StudySession.unit_id, StudySession.held_on)
                .where(StudySession.id.in_(batch)).order_by(StudySession.id)
                .with_for_update(key_share=True)):
            changes.study_sessions.add(sid)
            changes.unit_days.add((unit_id, held_on))
            changes.entities[UNIT].add(unit_id)
        changes.entities[ATTENDANCE].update(session.scalars(
            sa.select(Attendance.person_id).where(Attendance.session_id.in_(batch))))


def touch_units(unit_ids: Iterable[int], session: Session | None = None) -> None:
    """Units a bulk statement is about to move, re-weigh or re-kind: call it *before* the
    statement, while their months are still in the old area; the new area is read at commit."""
    session = _session(session)
    changes = pending(session)
    ids = sorted(set(unit_ids))
    for batch in chunks(ids):
        changes.moved_units.update(batch)
        changes.entities[UNIT].update(batch)
        days = session.execute(
            sa.select(StudyUnit.area_id, StudySession.held_on).join(StudySession.unit)
            .where(StudyUnit.id.in_(batch))
            .union(sa.select(StudyUnit.area_id, Attempt.taken_on)
                   .join(Attempt, Attempt.unit_id == StudyUnit.id)
                   .where(StudyUnit.id.in_(batch)))).all()
        changes.leaf_months.update((area_id, month_of(day)) for area_id, day in days)


def require_rebuild(session: Session | None = None) -> None:
    """Recompute every summary at commit (kept for writes the ledger cannot follow)."""
    pending(_session(session)).rebuild = True


# --- listeners --------------------------------------------------------------------------------

def _before_flush(session: Session, _context, _instances) -> None:
    collect(session)


def _before_commit(session: Session) -> None:
    """Also the period lock's backstop: `apply` refuses a transaction that touches a locked
    month (lawlearn.period_locks.refuse_locked_months) by raising PeriodLocked. A savepoint's
    release comes here too; the months the enclosing transaction found unlocked stay known
    until its own commit."""
    session.flush()  # whatever is still unflushed is part of this commit
    changes = session.info.pop(PENDING, None)
    unlocked = changes.unlocked_months if changes is not None else set()
    if changes:
        note_fresh(session, changes)
    if changes:  # not only new objects that count nowhere yet (an attempt just started)
        apply(session, changes)
        session.flush()
        session.info.pop(PENDING, None)  # our own writes are not changes to follow
    if unlocked and session.in_nested_transaction():
        pending(session).unlocked_months.update(unlocked)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
