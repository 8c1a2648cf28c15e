"""Recognising participants again: by mobile number when given, else by name within a unit.

Used by rosters now and by attendance, check-in and quiz results later, so every way a person
enters the system matches them by the same rule.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lawlearn.extensions import db
from lawlearn.models import Person, RosterMember, StudyUnit
from lawlearn.models.people import hash_mobile, mask_mobile


def find_person(name: str, mobile: str | None, unit: StudyUnit | None) -> Person | None:
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


def _add_person(name: str, mobile: str | None, unit: StudyUnit | None) -> Person:
    """A new person; or, when another request added the same number meanwhile (a second tap
    of "check in"), that one. The number's unique key decides, inside a savepoint, so the race
    costs the losing request nothing but the retry of one lookup."""
    person = Person(name=name, home_unit_id=unit.id if unit else None)
    if not mobile:
        db.session.add(person)
        db.session.flush()
        return person
    person.phone_hash = hash_mobile(mobile)
    person.phone_masked = mask_mobile(mobile)
    try:
        with db.session.begin_nested():
            db.session.add(person)
    except IntegrityError:
        found = find_person(name, mobile, unit)
        if found is None:
            raise
        return found
    return person


def find_or_add_person(name: str, mobile: str | None, unit: StudyUnit | None) -> Person:
    person = find_person(name, mobile, unit)
    if person is None:
        person = _add_person(name, mobile, unit)
    if mobile and person.name != name:
        # The number identifies the person; the latest spelling of the name wins.
        person.name = name
    return person
