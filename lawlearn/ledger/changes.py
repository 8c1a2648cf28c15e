"""What a transaction changed that the summaries depend on, noticed as it is flushed.

At flush time only facts about *this* transaction's objects are recorded: which rows it wrote
and the old values it replaced (a study session's old date and unit, an attempt's old month, a
moved area's old path). Everything derived from the current state of the database — which leaf
area and month a study session now belongs to, who attended it — is read again at commit, after
the ledger's locks are held (see refresh.py): another transaction may have moved things since.

One collector per model (`COLLECTORS`): a new model the report depends on adds one function.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lawlearn.ledger import locks
from lawlearn.ledger.figures import month_of
from lawlearn.models import Area, Attempt, Attendance, Quiz, StudySession, StudyUnit
from lawlearn.models.reports import ATTENDANCE, QUIZ, UNIT

PENDING = "lawlearn.ledger"


@dataclass
class Changes:
    # Read again at commit: their month, unit and attendees as they are then.
    study_sessions: set[int] = field(default_factory=set)
    attempts: set[int] = field(default_factory=set)
    # (unit id, day) pairs that held something before this transaction changed it: study
    # sessions' in unit_days, quiz attempts' in attempt_days (they also count by law topic).
    unit_days: set[tuple[int, date]] = field(default_factory=set)
    attempt_days: set[tuple[int, date]] = field(default_factory=set)
    leaf_months: set[tuple[int, date]] = field(default_factory=set)
    entities: dict[str, set[int]] = field(
        default_factory=lambda: {ATTENDANCE: set(), QUIZ: set(), UNIT: set()})
    # Additions whose effect is known exactly (lawlearn.ledger.add_attended, add_scored): a
    # check-in's person now counts at a study session where they did not; an open attempt got
    # its first score. They move the month rows by that much, without a recount of the leaf
    # month (see lawlearn.ledger.additions).
    attended: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    scored: dict[int, tuple[float, bool]] = field(default_factory=dict)
    # Quiz banks moved to another law topic: their scored attempts' months are read at commit,
    # under the tree lock taken exclusively (a submission reads its bank's topic under it).
    retopiced_quizzes: set[int] = field(default_factory=set)
    # Units whose area changed: every month of theirs is read again at commit.
    moved_units: set[int] = field(default_factory=set)
    # Area id → its path before this transaction moved it.
    moved_areas: dict[int, str] = field(default_factory=dict)
    fresh: list = field(default_factory=list)  # new objects: ids only after the flush
    rebuild: bool = False
    # (area id, month) pairs this transaction's own check found unlocked (a write path's
    # friendly check, lawlearn.period_locks.locked_period): the backstop need not read them
    # again. Not a change: it does not make the transaction count as touching anything.
    unlocked_months: set[tuple[int, date]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.study_sessions or self.attempts or self.unit_days or self.attempt_days
                    or self.leaf_months or self.attended or self.scored
                    or self.retopiced_quizzes
                    or any(self.entities.values()) or self.moved_units or self.moved_areas
                    or self.fresh or self.rebuild)

    @property
    def changes_tree(self) -> bool:
        """Moves change which area a row rolls up to, and a bank's new topic which topic row
        its attempts count in: they take the ledger's tree lock exclusively."""
        return bool(self.moved_units or self.moved_areas or self.retopiced_quizzes
                    or self.rebuild)


def pending(session: Session) -> Changes:
    return session.info.setdefault(PENDING, Changes())


def _old(obj, attr):
    history = sa.inspect(obj).attrs[attr].history
    return history.deleted[0] if history.deleted else getattr(obj, attr)


def _values(obj, attr) -> set:
    """The attribute's value before and after this flush."""
    return {_old(obj, attr), getattr(obj, attr)} - {None}


def _changed(obj, *attrs) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[a].history.has_changes() for a in attrs)


def note_study_session(session: Session, changes: Changes, obj: StudySession) -> None:
    changes.study_sessions.add(obj.id)
    # The old date and unit matter too: a moved study session leaves its old month.
    for unit_id in _values(obj, "unit_id"):
        for held_on in _values(obj, "held_on"):
            changes.unit_days.add((unit_id, held_on))
        changes.entities[UNIT].add(unit_id)
    if obj in session.deleted:
        # The database empties session_id of its attempts; they keep their unit and month.
        changes.entities[QUIZ].update(session.scalars(
            sa.select(Attempt.person_id).where(Attempt.session_id == obj.id)))
    changes.entities[ATTENDANCE].update(session.scalars(
        sa.select(Attendance.person_id).where(Attendance.session_id == obj.id)))


def note_attendance(session: Session, changes: Changes, obj: Attendance) -> None:
    changes.entities[ATTENDANCE].update(_values(obj, "person_id"))
    changes.study_sessions.update(_values(obj, "session_id"))


def note_attempt(session: Session, changes: Changes, obj: Attempt) -> None:
    changes.entities[QUIZ].update(_values(obj, "person_id"))
    changes.attempts.add(obj.id)
    for unit_id in _values(obj, "unit_id"):
        for taken_on in _values(obj, "taken_on"):
            changes.attempt_days.add((unit_id, taken_on))


def note_quiz(session: Session, changes: Changes, obj: Quiz) -> None:
    """A bank moved to another law topic takes its scored attempts with it. Which months they
    are in is read at commit, under the exclusive tree lock: read now, it would miss an attempt
    submitted (and added to the old topic's row) between this flush and the commit."""
    if _changed(obj, "topic"):
        changes.retopiced_quizzes.add(obj.id)


def note_study_unit(session: Session, changes: Changes, obj: StudyUnit) -> None:
    if obj in session.deleted or _changed(obj, "area_id", "area"):
        changes.moved_units.add(obj.id)
        changes.entities[UNIT].add(obj.id)
        # Its months in the old area: they are left behind at commit, so read them now.
        area_ids = _values(obj, "area_id")
        area_history = sa.inspect(obj).attrs.area.history
        area_ids |= {a.id for a in area_history.deleted if a is not None}
        days = session.execute(
            sa.select(StudySession.held_on).where(StudySession.unit_id == obj.id)
            .union(sa.select(Attempt.taken_on).where(Attempt.unit_id == obj.id))).scalars()
        months = {month_of(d) for d in days}
        changes.leaf_months.update((a, m) for a in area_ids for m in months)
    elif _changed(obj, "reach", "kind"):
        changes.entities[UNIT].add(obj.id)


def note_area(session: Session, changes: Changes, obj: Area) -> None:
    """A re-hung area: its path (and its subtree's) is rewritten after this flush, so the path
    it had is kept here."""
    if _changed(obj, "parent_id", "parent", "path") and obj.id not in changes.moved_areas:
        changes.moved_areas[obj.id] = _old(obj, "path")


COLLECTORS = {
    StudySession: note_study_session,
    Attendance: note_attendance,
    Attempt: note_attempt,
    StudyUnit: note_study_unit,
    Area: note_area,
    Quiz: note_quiz,
}
FRESH = (StudySession, Attendance, Attempt)


def collect(session: Session) -> None:
    """before_flush: changed and deleted objects are noted now, while their old values are
    known; new ones after the flush, when they have ids."""
    changes = None
    for obj in session.new:
        if isinstance(obj, FRESH):
            changes = changes or pending(session)
            changes.fresh.append(obj)
    changed = [obj for obj in list(session.dirty) + list(session.deleted)
               if type(obj) in COLLECTORS and obj.id is not None
               and (obj in session.deleted
                    or session.is_modified(obj, include_collections=False))]
    _lock_edited_study_sessions(session, changed)
    for obj in changed:
        changes = changes or pending(session)
        COLLECTORS[type(obj)](session, changes, obj)


def _lock_edited_study_sessions(session: Session, changed: list) -> None:
    """Lock the rows of the study sessions this flush edits or deletes *before* reading who
    attended them (note_study_session). A check-in commits its attendee's figures under the same
    row lock (refresh.apply), so each check-in either committed before this read, and is in
    it, or waits for this transaction and then counts the study session as it leaves it (its
    new review state, month or unit). Without the lock, a leader's roster — which sends an
    approved study session back for review — could miss a walk-in who checked in meanwhile,
    leaving them in the approved-only figures."""
    edited = sorted(obj.id for obj in changed
                    if isinstance(obj, StudySession) and obj not in session.deleted)
    deleted = sorted(obj.id for obj in changed
                     if isinstance(obj, StudySession) and obj in session.deleted)
    locks.lock_study_sessions(session, edited)
    # FOR UPDATE, as the DELETE itself will: a check-in's new attendance row then waits for
    # this transaction (and fails on its foreign key) instead of deadlocking with it.
    locks.lock_study_sessions(session, deleted, for_delete=True)


def note_fresh(session: Session, changes: Changes) -> None:
    for obj in changes.fresh:
        # An object added in a savepoint that was rolled back (a quiz start that lost its
        # slot to another request) never reached the database.
        if not sa.inspect(obj).persistent:
            continue
        # A new attempt without a score (an online quiz just started) counts nowhere yet:
        # its submission is an update, noted then.
        if isinstance(obj, Attempt) and obj.score is None:
            continue
        COLLECTORS[type(obj)](session, changes, obj)
    changes.fresh.clear()
