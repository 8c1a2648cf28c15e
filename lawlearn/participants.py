"""Recognising participants again: by mobile number when given, else by name within a unit.

Every way a person enters the system (rosters, walk-ins, QR check-in, the public quiz, sign-in
sheet and paper-result imports) matches them here, by one rule, and asks `judge_name` what a
typed name may do to the stored one:

- the same name (ignoring spaces and case): the person is simply recognised;
- another name, typed by staff (or the command line) about someone they may see
  (lawlearn.scope.person_filter): the typed name replaces the stored one, and the change is
  audited;
- another name anywhere else (a public page, or staff about someone outside their scope): the
  entry is refused with NAME_CONFLICT. Nothing is written, no name is shown: the mobile number
  alone must neither rename a person nor reveal, check in or enrol them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from lawlearn.audit import record
from lawlearn.extensions import db
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Person, RosterMember, StudyUnit
from lawlearn.models.base import utcnow
from lawlearn.models.people import hash_mobile, mask_mobile
from lawlearn.transactions import dialect_insert

NAME_CONFLICT = _l("This mobile number is registered under another name. Check the name and "
                   "the number; if the name has changed, the study unit's leader can correct it.")

SAME, RENAME, REFUSE = "same", "rename", "refuse"


class NameConflict(ValueError):
    """A typed name that may not replace the stored name of the person behind a mobile."""

    def __init__(self):
        super().__init__(str(NAME_CONFLICT))


def same_name(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def judge_name(stored: str, typed: str, *, may_rename: bool) -> str:
    """SAME, RENAME or REFUSE: what a name typed with a known mobile number does."""
    if same_name(stored, typed):
        return SAME
    return RENAME if may_rename else REFUSE


@dataclass(frozen=True)
class Known:
    """A person found by their mobile number, with what the caller may do to their name."""

    id: int
    name: str
    home_unit_id: int | None
    may_rename: bool


def people_by_hash(hashes: Iterable[str], actor=None, *, public: bool = False
                   ) -> dict[str, Known]:
    """{phone hash: Known} for the people behind `hashes`, in chunks (a file may hold 100,000).

    `actor` None and not public is the command line, which may rename anyone."""
    from lawlearn.imports.plan import chunks

    may = _may_rename(actor, public)
    found: dict[str, Known] = {}
    for batch in chunks(sorted(set(hashes))):
        for digest, pid, name, home, allowed in db.session.execute(
                sa.select(Person.phone_hash, Person.id, Person.name, Person.home_unit_id,
                          may.label("may")).where(Person.phone_hash.in_(batch))):
            found[digest] = Known(pid, name, home, bool(allowed))
    return found


def _may_rename(actor, public: bool) -> sa.ColumnElement[bool]:
    """Whether the caller may replace a found person's name, as a column of the lookup."""
    from lawlearn.scope import person_filter

    if public:
        return sa.false()
    if actor is None:
        return sa.true()
    return person_filter(actor)


def _person_by_hash(digest: str, actor, public: bool) -> tuple[Person, bool] | None:
    """The person behind one phone hash and whether the caller may rename them, in one
    statement: a check-in or quiz start looks the participant up once."""
    if public:  # every scan of a QR code: the statement is built once
        statement = _public_person_by_hash()
    else:
        statement = (sa.select(Person, _may_rename(actor, public).label("may"))
                     .where(Person.phone_hash == sa.bindparam("digest")))
    row = db.session.execute(statement, {"digest": digest}).first()
    return (row[0], bool(row[1])) if row else None


@functools.cache
def _public_person_by_hash():
    return (sa.select(Person, sa.false().label("may"))
            .where(Person.phone_hash == sa.bindparam("digest")))


def rename(person_id: int, old: str, new: str, actor=None) -> None:
    """Write a rename that judge_name allowed, with its audit row."""
    person = db.session.get(Person, person_id)
    person.name = new
    record(actor, "rename", person, changes={"name": [old, new]})


def find_person(name: str, mobile: str | None, unit: StudyUnit | None) -> Person | None:
    """Who `name`/`mobile` means, without judging the name (callers that write use identify)."""
    if mobile:
        return db.session.scalar(sa.select(Person).where(Person.phone_hash == hash_mobile(mobile)))
    if unit is None:
        return None
    # Without a number, only someone of that name already known to this unit is the same person.
    return db.session.scalar(
        sa.select(Person)
        .join(RosterMember, RosterMember.person_id == Person.id)
        .where(RosterMember.unit_id == unit.id, Person.name == name)
        .order_by(Person.id)
        .limit(1)
    )


def identify(name: str, mobile: str | None, unit: StudyUnit | None, *, actor=None,
             public: bool = False) -> Person:
    """The person `name`/`mobile` means, created when new. Raises NameConflict when the
    mobile belongs to someone whose stored name this caller may not replace."""
    if mobile:
        known = _person_by_hash(hash_mobile(mobile), actor, public)
        if known:
            found, may_rename = known
            verdict = judge_name(found.name, name, may_rename=may_rename)
            if verdict == REFUSE:
                raise NameConflict()
            if verdict == RENAME:
                rename(found.id, found.name, name, actor)
            return found
    else:
        person = find_person(name, None, unit)
        if person is not None:
            return person
    person = _add_person(name, mobile, unit)
    if person.name != name:  # another request stored this number meanwhile: judge it as known
        return identify(name, mobile, unit, actor=actor, public=public)
    return person


def _add_person(name: str, mobile: str | None, unit: StudyUnit | None) -> Person:
    """A new person; or, when another request added the same number meanwhile (a second tap
    of "check in"), that one. The number's unique key decides, inside a savepoint, so the race
    costs the losing request nothing but the retry of one lookup."""
    person = Person(name=name, home_unit_id=unit.id if unit else None)
    if not mobile:
        db.session.add(person)
        db.session.flush()
        return person
    # One INSERT … ON CONFLICT DO NOTHING RETURNING the new person (an ORM object, as if
    # added and flushed): no savepoint around a plain INSERT, which cost three statements.
    added = db.session.scalars(_insert_person(db.session.get_bind().dialect.name), [{
        "name": name, "home_unit_id": person.home_unit_id, "phone_hash": hash_mobile(mobile),
        "phone_masked": mask_mobile(mobile), "created_at": utcnow()}]).first()
    if added is None:
        found = find_person(name, mobile, unit)
        if found is None:
            raise LookupError("a person's number conflicted but nobody holds it")
        return found
    return added


@functools.cache
def _insert_person(dialect_name: str):
    return (dialect_insert(dialect_name, Person)
            .on_conflict_do_nothing(index_elements=["phone_hash"]).returning(Person))
