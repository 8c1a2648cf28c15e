"""Logging, correcting and deleting sessions; marking rosters; checking in. Callers commit.

Single-row writes go through the ORM, which the report ledger follows by itself. Roster
marking and deleting touch many attendance rows at once, so they use Core statements and tell
the ledger with `touch_sessions` (lawlearn.ledger).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lawlearn import ledger
from lawlearn.audit import diff, plain, record
from lawlearn.extensions import db
from lawlearn.models import (
    ATTENDED,
    ActivityStop,
    Attempt,
    Attendance,
    BudgetDisbursement,
    Person,
    RosterMember,
    SessionPhoto,
    SessionTopic,
    StudySession,
    StudyUnit,
)
from lawlearn.models.base import utcnow
from lawlearn.participants import NameConflict, identify
from lawlearn.sessions import photos, review
from lawlearn.transactions import insert_missing

CODE_MAX = 40
SESSION_FIELDS = ("held_on", "format", "lecturer", "duration_minutes", "notes")


def code_prefix(unit_code: str, unit_id: int, held_on: date) -> str:
    """`<unit code>-S<yyyymmdd>-`; a unit code too long to leave room for the number falls
    back to the unit's id, so a generated code always fits the column."""
    prefix = f"{unit_code}-S{held_on:%Y%m%d}-"
    return prefix if len(prefix) + 3 <= CODE_MAX else f"U{unit_id}-S{held_on:%Y%m%d}-"


def next_number(prefix: str, taken: list[str]) -> int:
    numbers = [int(c[len(prefix):]) for c in taken
               if c.startswith(prefix) and c[len(prefix):].isdigit()]
    return max(numbers, default=0) + 1


def next_session_code(unit: StudyUnit, held_on: date) -> str:
    prefix = code_prefix(unit.code, unit.id, held_on)
    taken = db.session.scalars(sa.select(StudySession.code).where(
        StudySession.code.startswith(prefix, autoescape=True))).all()
    return f"{prefix}{next_number(prefix, list(taken))}"


def log_session(unit: StudyUnit, *, actor=None, topics: list[str], code: str | None = None,
                prepared_photos=(), **fields) -> StudySession:
    session = StudySession(unit=unit, code=code or next_session_code(unit, fields["held_on"]),
                           created_by_id=getattr(getattr(actor, "user", actor), "id", None),
                           review_state=review.initial_state(actor),
                           **{k: fields[k] for k in SESSION_FIELDS if k in fields})
    session.topic_rows = [SessionTopic(topic=t) for t in sorted(set(topics))]
    db.session.add(session)
    db.session.flush()
    record(actor, "create", session, changes={
        "unit": unit.code, "topics": session.topics, "review_state": session.review_state,
        **{k: plain(v) for k, v in fields.items() if k in SESSION_FIELDS}})
    add_photos(session, prepared_photos, actor=actor)
    return session


def update_session(session: StudySession, *, actor=None, topics: list[str],
                   prepared_photos=(), **fields) -> dict:
    changes = diff(session, {k: v for k, v in fields.items() if k in SESSION_FIELDS})
    old_topics, new_topics = session.topics, sorted(set(topics))
    if old_topics != new_topics:
        changes["topics"] = [old_topics, new_topics]
        session.topic_rows = [SessionTopic(topic=t) for t in new_topics]
    if changes:
        record(actor, "update", session, changes=changes)
    add_photos(session, prepared_photos, actor=actor)
    # The leader saving a returned session is their fix (or their answer that nothing needed
    # fixing): it goes back for review; so does their change to an approved one.
    if review.is_leader(actor):
        review.resubmit_study_session(session, actor=actor)
        if changes or prepared_photos:
            review.reopen_after_leader_change(session, actor=actor)
    return changes


def add_photos(session: StudySession, prepared, *, actor=None) -> None:
    for photo in prepared:
        name, thumb = photos.store(photo)
        session.photos.append(SessionPhoto(
            filename=name, thumbnail=thumb, content_type=photo.content_type,
            width=photo.width, height=photo.height, size_bytes=len(photo.data),
            uploaded_by_id=getattr(getattr(actor, "user", actor), "id", None)))
        record(actor, "add_photo", session, changes={"file": name})


def remove_photo(session: StudySession, photo: SessionPhoto, *, actor=None) -> list[str]:
    """Returns the files to delete once the commit has succeeded."""
    record(actor, "remove_photo", session, changes={"file": photo.filename})
    session.photos.remove(photo)
    return [photo.filename, photo.thumbnail]


def delete_session(session: StudySession, *, actor=None) -> list[str]:
    """Delete a session with its topics, attendance and photos; quiz attempts taken at it stay
    (they still count for the unit) but no longer point at it. Returns the photo files to
    delete after the commit."""
    sid = session.id
    ledger.touch_sessions([sid])  # before the rows go: the ledger reads who attended
    files = [n for p in session.photos for n in (p.filename, p.thumbnail)]
    attended = db.session.scalar(sa.select(sa.func.count()).where(Attendance.session_id == sid))
    record(actor, "delete", session, changes={
        "unit": session.unit.code, "held_on": plain(session.held_on), "attendance": attended})
    db.session.execute(sa.update(Attempt).where(Attempt.session_id == sid)
                       .values(session_id=None).execution_options(synchronize_session=False))
    # A county-wide activity's stop is this session; SQLite does not cascade by itself. A
    # payment spent on it stays, without the link (SQLite could give the id to another session).
    db.session.execute(sa.delete(ActivityStop).where(ActivityStop.study_session_id == sid)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.update(BudgetDisbursement)
                       .where(BudgetDisbursement.study_session_id == sid)
                       .values(study_session_id=None)
                       .execution_options(synchronize_session=False))
    for model in (Attendance, SessionTopic, SessionPhoto):
        db.session.execute(sa.delete(model).where(model.session_id == sid)
                           .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(StudySession).where(StudySession.id == sid)
                       .execution_options(synchronize_session=False))
    db.session.expunge(session)
    return files


def join_roster(unit_id: int, person_ids: set[int]) -> int:
    """Add whoever of `person_ids` is not yet on the unit's roster; returns how many joined.
    Someone another request put on the roster meanwhile is simply there already."""
    on_roster = set(db.session.scalars(sa.select(RosterMember.person_id).where(
        RosterMember.unit_id == unit_id, RosterMember.person_id.in_(sorted(person_ids)))))
    new = [{"unit_id": unit_id, "person_id": p, "joined_at": utcnow()}
           for p in sorted(person_ids - on_roster)]
    table = RosterMember.__table__
    return len(insert_missing(table, new, ("unit_id", "person_id"), returning=[table.c.id]))


def mark_roster(session: StudySession, changes: list[tuple[int, str | None, str]],
                walk_ins: list[tuple[str, str | None]], *, actor=None) -> dict[str, int]:
    """Write the roster page in one go: every changed mark, and walk-ins as present.

    A mark whose row changed since the page was shown (someone checked in by QR meanwhile)
    is kept as it is now unless the leader changed it on purpose. A walk-in whose mobile
    belongs to someone the leader may not rename raises NameConflict with its `walk_in`
    index; the caller rolls back.
    """
    wanted = {person_id: chosen for person_id, _shown, chosen in changes}
    # How each new row was recorded: a walk-in came without being on the roster's marks (到场
    # 登记), and says so rather than "roster", even once they have joined the roster.
    methods: dict[int, str] = {}
    for index, (name, mobile) in enumerate(walk_ins):
        # A walk-in who turns out to be on the roster already is simply present.
        try:
            person_id = identify(name, mobile, session.unit, actor=actor).id
        except NameConflict as conflict:
            conflict.walk_in = index
            raise
        if person_id not in wanted:
            methods[person_id] = "walk_in"
        wanted[person_id] = "present"
    join_roster(session.unit_id, set(wanted))
    current = dict(db.session.execute(
        sa.select(Attendance.person_id, Attendance.status).where(
            Attendance.session_id == session.id,
            Attendance.person_id.in_(list(wanted)))).all())
    inserts, updates = [], []
    for person_id, chosen in sorted(wanted.items()):
        if person_id not in current:
            inserts.append({"session_id": session.id, "person_id": person_id,
                            "status": chosen, "method": methods.get(person_id, "roster"),
                            "recorded_at": utcnow()})
        elif current[person_id] != chosen:
            updates.append({"id_": person_id, "status_": chosen})
    # A QR check-in of the same person meanwhile wins: they scanned, so they are there.
    table = Attendance.__table__
    added = len(insert_missing(table, inserts, ("session_id", "person_id"),
                               returning=[table.c.id]))
    if updates:
        table = Attendance.__table__
        db.session.execute(table.update().where(
            table.c.session_id == session.id, table.c.person_id == sa.bindparam("id_"))
            .values(status=sa.bindparam("status_")), updates)
    ledger.touch_sessions([session.id])
    counts = {"added": added, "changed": len(updates), "walk_ins": len(walk_ins)}
    if added or updates:
        record(actor, "mark_attendance", session, changes=counts)
        review.reopen_after_leader_change(session, actor=actor)
    return counts


def check_in(session: StudySession, *, name: str, mobile: str) -> tuple[Person, bool]:
    """A participant checks themselves in (method qr, present). Returns (person, changed):
    checking in again changes nothing; someone marked absent or excused who then turns up
    and scans is present after all. A public page: a number known under another name raises
    NameConflict (lawlearn.participants), so nobody checks in a neighbour by their number.

    Both writes are single statements that leave a row another request wrote meanwhile as it
    is (a double tap, a phone that resends): of thirty simultaneous check-ins of one person,
    one inserts the row and the others find it there, without an error.
    """
    person = identify(name, mobile, session.unit, public=True)
    # One statement: someone already on the roster is simply left there.
    insert_missing(RosterMember.__table__, [{"unit_id": session.unit_id, "person_id": person.id,
                                             "joined_at": utcnow()}], ("unit_id", "person_id"))
    table = Attendance.__table__
    changed = bool(insert_missing(
        table, [{"session_id": session.id, "person_id": person.id, "status": "present",
                 "method": "qr", "recorded_at": utcnow()}],
        ("session_id", "person_id"), returning=[table.c.id]))
    if not changed:
        changed = db.session.execute(
            table.update().where(table.c.session_id == session.id,
                                 table.c.person_id == person.id,
                                 table.c.status.not_in(ATTENDED))
            .values(status="present")).rowcount == 1
    if not changed:
        return person, False
    # Exactly what this row changes: one more attendance at the study session (its count
    # and its month) and this person's activity. (`touch_sessions` would recount every
    # attendee of the meeting, so the sixtieth check-in of a hall would cost sixty people's
    # recount.)
    ledger.add_attended(session.id, person.id)
    record(None, "check_in", session, changes={"person": person.id})
    return person, True
