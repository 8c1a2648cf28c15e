"""Paper quizzes: the printed sheet of a session, and the scores written on paper, entered by a
leader in a form or imported from a file. Callers commit.

A paper result is an attempt with a score and no questions. Its natural key is (quiz, session,
person, day taken): entering or importing the same result again changes nothing, and a
corrected score replaces the old one. People are recognised by the rule of
lawlearn.participants (the mobile number; else the name within the session: someone who
already has a paper result there, who checked in, or who is on the unit's roster).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lawlearn import ledger, participants
from lawlearn.audit import actor_id, insert_events
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.imports.plan import ImportPlan, chunks, insert_rows
from lawlearn.models import (
    Attempt,
    Attendance,
    Person,
    Quiz,
    QuizSheet,
    RosterMember,
    StudySession,
    StudyUnit,
)
from lawlearn.models.base import utcnow
from lawlearn.models.people import hash_mobile, mask_mobile
from lawlearn.period_locks import LockBook, refusal
from lawlearn.quiz.operations import draw_items
from lawlearn.quiz.scoring import passed

NO_SESSION_OUTSIDE = _l("Without a session code, a result counts for the participant's own "
                        "study unit, which must be one of the units you look after: write the "
                        "session code.")


def sheet_for(session: StudySession, quiz: Quiz) -> QuizSheet | None:
    return db.session.scalar(sa.select(QuizSheet).where(
        QuizSheet.session_id == session.id, QuizSheet.quiz_id == quiz.id))


def prepare_sheet(session: StudySession, quiz: Quiz, actor=None,
                  rng: random.Random | None = None) -> QuizSheet:
    """The session's sheet for `quiz`, drawn now unless it was drawn before."""
    sheet = sheet_for(session, quiz)
    if sheet is None:
        sheet = QuizSheet(session_id=session.id, quiz_id=quiz.id, created_by_id=actor_id(actor),
                          items=draw_items(quiz, rng or random.SystemRandom()))
        db.session.add(sheet)
        db.session.flush()
    return sheet


@dataclass
class SessionRef:
    id: int
    code: str
    unit_id: int
    area_id: int
    held_on: date


@dataclass
class PaperEntry:
    """One checked result to record: from a form row or an import row."""

    row: int
    quiz: Quiz
    session: SessionRef | None
    name: str
    mobile: str | None
    score: float
    taken_on: date


def session_refs(where) -> dict[str, SessionRef]:
    """Sessions by code, with their unit's area, for the rows of a file."""
    rows = db.session.execute(
        sa.select(StudySession.id, StudySession.code, StudySession.unit_id, StudyUnit.area_id,
                  StudySession.held_on).join(StudySession.unit).where(where))
    return {r.code: SessionRef(*r) for r in rows}


def plan_results(entries: list[PaperEntry], plan: ImportPlan, error, actor=None) -> None:
    """Fill `plan` with what recording `entries` would do. `error(entry, column, message)`
    reports a problem with one entry. `actor` None is the command line (everything)."""
    people = _People(entries, actor)
    existing = _existing_results(people.known_ids(), actor)
    book = LockBook(db.session, (e.taken_on for e in entries))
    book.load_units(e.session.unit_id for e in entries if e.session is not None)
    first_row: dict[tuple, int] = {}
    for entry in entries:
        if problem := people.problem(entry):
            error(entry, *problem)
            continue
        person_key = people.key(entry)
        if lock := _locked(book, people, entry, person_key):
            error(entry, "score", refusal(lock))
            continue
        natural = (entry.quiz.id, entry.session.id if entry.session else None, person_key,
                   entry.taken_on)
        if natural in first_row:
            error(entry, "name", _("This person's result for this quiz is already in row "
                                   "%(row)d.", row=first_row[natural]))
            continue
        first_row[natural] = entry.row
        found = existing.get(natural) if person_key[0] == "id" else None
        shown = {"code": entry.session.code if entry.session else "—",
                 "name": f"{entry.name} · {entry.quiz.slug} · {entry.score:g}"}
        if found is None:
            plan.creates.append({**shown, "entry": entry, "person_key": person_key})
        elif found.score == entry.score:
            plan.unchanged += 1
        else:
            plan.updates.append({**shown, "id": found.id, "entry": entry,
                                 "person_id": found.person_id, "unit_id": found.unit_id,
                                 "changes": {"score": [found.score, entry.score]}})
    plan.context["people"] = people


def _locked(book: LockBook, people, entry: PaperEntry, person_key: tuple):
    """The lock over where and when this result counts: the session's unit, else the known
    person's home unit (a new person without a session counts nowhere)."""
    if not book:
        return None
    if entry.session is not None:
        unit_id = entry.session.unit_id
    else:
        unit_id = people.home_unit(person_key[1]) if person_key[0] == "id" else None
    return book.for_unit(unit_id, entry.taken_on)


class _People:
    """Who each entry is, looked up for all entries at once (a file may have 10,000 rows)."""

    def __init__(self, entries: list[PaperEntry], actor=None):
        self.hash_of = {e.mobile: hash_mobile(e.mobile) for e in entries if e.mobile}
        # A result without a session counts for the person's home unit.
        self.by_hash = participants.people_by_hash(self.hash_of.values(), actor)
        self.by_name = self._by_name([e for e in entries if not e.mobile and e.session])
        self.home_units = {k.id: k.home_unit_id for k in self.by_hash.values()}
        self.homes_in_scope = _units_in_scope(set(self.home_units.values()) - {None}, actor)
        self.renames: dict[int, tuple[str, str]] = {}

    def problem(self, entry: PaperEntry) -> tuple[str, str] | None:
        """(column, message) when the entry may not be recorded for the person it names:
        lawlearn.participants' rule for names, and a result without a session must count
        for a unit of the user's (the person's home unit)."""
        known = self.by_hash.get(self.hash_of[entry.mobile]) if entry.mobile else None
        if known is None:
            return None
        if entry.session is None and not (
                known.home_unit_id in self.homes_in_scope
                or known.home_unit_id is None and known.may_rename):
            return "session_code", str(NO_SESSION_OUTSIDE)
        current = self.renames.get(known.id, (known.name, known.name))[1]
        verdict = participants.judge_name(current, entry.name, may_rename=known.may_rename)
        if verdict == participants.REFUSE:
            return "name", str(participants.NAME_CONFLICT)
        if verdict == participants.RENAME:
            self.renames[known.id] = (known.name, entry.name)
        return None

    @staticmethod
    def _by_name(entries: list[PaperEntry]) -> dict[tuple, int]:
        """(session id, name) → person id, from the best evidence first: a paper result at
        that session, a check-in there, the unit's roster."""
        found: dict[tuple, int] = {}
        session_ids = sorted({e.session.id for e in entries})
        unit_of = {e.session.id: e.session.unit_id for e in entries}
        for batch in chunks(session_ids):
            for source in (Attempt, Attendance):
                stmt = (sa.select(source.session_id, Person.name, sa.func.min(Person.id))
                        .join(Person, Person.id == source.person_id)
                        .where(source.session_id.in_(batch))
                        .group_by(source.session_id, Person.name))
                if source is Attempt:
                    stmt = stmt.where(Attempt.method == "paper")
                for sid, name, pid in db.session.execute(stmt):
                    found.setdefault((sid, name), pid)
            units = sorted({unit_of[s] for s in batch})
            members: dict[int, list[tuple[str, int]]] = {}
            for uid, name, pid in db.session.execute(
                    sa.select(RosterMember.unit_id, Person.name, sa.func.min(Person.id))
                    .join(Person, Person.id == RosterMember.person_id)
                    .where(RosterMember.unit_id.in_(units))
                    .group_by(RosterMember.unit_id, Person.name)):
                members.setdefault(uid, []).append((name, pid))
            for sid in batch:
                for name, pid in members.get(unit_of[sid], []):
                    found.setdefault((sid, name), pid)
        return found

    def key(self, entry: PaperEntry) -> tuple:
        if entry.mobile:
            digest = self.hash_of[entry.mobile]
            known = self.by_hash.get(digest)
            return ("id", known.id) if known else ("phone", digest)
        pid = self.by_name.get((entry.session.id, entry.name))
        return ("id", pid) if pid else ("name", entry.session.id, entry.name)

    def known_ids(self) -> set[int]:
        return {k.id for k in self.by_hash.values()} | set(self.by_name.values())

    def home_unit(self, person_id: int) -> int | None:
        return self.home_units.get(person_id)


def _units_in_scope(unit_ids: set[int], actor) -> set[int]:
    if actor is None:
        return set(unit_ids)
    from lawlearn.scope import unit_filter

    found: set[int] = set()
    for batch in chunks(sorted(unit_ids)):
        found.update(db.session.scalars(sa.select(StudyUnit.id).where(
            StudyUnit.id.in_(batch), unit_filter(actor))))
    return found


def _existing_results(person_ids: set[int], actor=None) -> dict[tuple, Attempt]:
    """Paper results of these people that the user may correct: those counted for a unit of
    theirs (or for no unit), never another town's."""
    in_scope = sa.true()
    if actor is not None:
        from lawlearn.scope import unit_filter

        in_scope = sa.or_(Attempt.unit_id.is_(None), Attempt.unit_id.in_(
            sa.select(StudyUnit.id).where(unit_filter(actor))))
    found = {}
    for batch in chunks(sorted(person_ids)):
        for row in db.session.execute(sa.select(
                Attempt.id, Attempt.quiz_id, Attempt.session_id, Attempt.person_id,
                Attempt.taken_on, Attempt.score, Attempt.unit_id).where(
                Attempt.method == "paper", Attempt.person_id.in_(batch), in_scope)):
            found[(row.quiz_id, row.session_id, ("id", row.person_id), row.taken_on)] = row
    return found


def apply_results(plan: ImportPlan, actor=None) -> None:
    """Write a checked plan with bulk statements, and tell the report ledger what changed."""
    people: _People = plan.context["people"]
    for person_id, (old, new) in people.renames.items():
        participants.rename(person_id, old, new, actor)
    new_people = _add_people(plan.creates)
    now = utcnow()
    rows = []
    for item in plan.creates:
        entry: PaperEntry = item["entry"]
        key = item["person_key"]
        person_id = key[1] if key[0] == "id" else new_people[key]
        unit_id = entry.session.unit_id if entry.session else people.home_unit(person_id)
        rows.append({"token": secrets.token_urlsafe(16), "quiz_id": entry.quiz.id,
                     "person_id": person_id, "session_id": entry.session and entry.session.id,
                     "unit_id": unit_id, "method": "paper", "taken_on": entry.taken_on,
                     "started_at": now, "submitted_at": now, "score": entry.score,
                     "passed": passed(entry.score, entry.quiz.pass_score)})
    ids = insert_rows(Attempt.__table__, rows, "token")
    for batch in chunks(plan.updates):
        db.session.execute(sa.update(Attempt), [
            {"id": u["id"], "score": u["entry"].score,
             "passed": passed(u["entry"].score, u["entry"].quiz.pass_score)} for u in batch])
    audit = [("paper_result", ids[r["token"]], None,
              {"score": r["score"], "quiz": r["quiz_id"], "session": r["session_id"]})
             for r in rows]
    audit += [("paper_result", u["id"], None, u["changes"]) for u in plan.updates]
    insert_events(actor, Attempt, audit, at=now)
    _touch_ledger(rows, plan.updates)


def _add_people(creates: list[dict]) -> dict[tuple, int]:
    """New people, one per person key, through the ORM: a person without a mobile number has
    no unique column to find their id by after a bulk insert."""
    new: dict[tuple, Person] = {}
    for item in creates:
        key, entry = item["person_key"], item["entry"]
        if key[0] == "id" or key in new:
            continue
        person = Person(name=entry.name,
                        home_unit_id=entry.session.unit_id if entry.session else None)
        if entry.mobile:
            person.phone_hash, person.phone_masked = key[1], mask_mobile(entry.mobile)
        new[key] = person
    db.session.add_all(new.values())
    db.session.flush()
    return {key: person.id for key, person in new.items()}


def _touch_ledger(rows: list[dict], updates: list[dict]) -> None:
    """Bulk writes bypass the ledger's listeners: say which people and area-months changed."""
    unit_days = [(r["unit_id"], r["taken_on"]) for r in rows]
    unit_days += [(u["unit_id"], u["entry"].taken_on) for u in updates]
    unit_ids = sorted({u for u, _d in unit_days if u is not None})
    area_of = {}
    for batch in chunks(unit_ids):
        area_of.update(db.session.execute(sa.select(StudyUnit.id, StudyUnit.area_id).where(
            StudyUnit.id.in_(batch))).all())
    ledger.touch(
        quiz_people={r["person_id"] for r in rows} | {u["person_id"] for u in updates},
        area_months={(area_of[u], ledger.month_of(d)) for u, d in unit_days if u is not None})
