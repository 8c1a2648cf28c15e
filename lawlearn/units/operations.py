"""Registering and maintaining study units and their rosters. Callers commit."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn.audit import diff, plain, record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, Person, RosterMember, StudyUnit
from lawlearn.participants import NameConflict, identify
from lawlearn.validation import kind_area_problem

KIND_LETTER = {"household": "H", "enterprise_group": "E", "building": "B"}


class UnitError(ValueError):
    """The change is not allowed; the message says why, in the user's language."""


def check_kind_area(kind: str, area: Area) -> None:
    """Every way of creating or moving a unit passes here (the rule is
    lawlearn.validation.kind_area_problem, which the import also asks)."""
    if problem := kind_area_problem(kind, area.level, area.code):
        raise UnitError(problem)


def next_unit_code(kind: str, area: Area) -> str:
    """`<area code>-<H|E|B><nnn>`: readable on a sign-in sheet, unique, stable."""
    prefix = f"{area.code}-{KIND_LETTER[kind]}"
    taken = db.session.scalars(
        sa.select(StudyUnit.code).where(StudyUnit.code.startswith(prefix, autoescape=True))
    ).all()
    numbers = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


UNIT_FIELDS = ("name", "leader_name", "leader_phone", "reach", "registered_on", "building",
               "shift", "notes")


def register_unit(*, kind: str, area: Area, code: str | None = None, actor=None,
                  **fields) -> StudyUnit:
    check_kind_area(kind, area)
    unit = StudyUnit(kind=kind, area=area, code=code or next_unit_code(kind, area), status="active",
                     **{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    db.session.add(unit)
    db.session.flush()
    record(actor, "create", unit, changes={"kind": kind, "area": area.code,
                                           **{k: plain(v) for k, v in fields.items()}})
    return unit


def update_unit(unit: StudyUnit, *, area: Area, actor=None, **fields) -> dict:
    check_kind_area(unit.kind, area)
    changes = diff(unit, {k: v for k, v in fields.items() if k in UNIT_FIELDS})
    if area.id != unit.area_id:
        changes["area"] = [unit.area.code, area.code]
        unit.area = area
    if changes:
        record(actor, "update", unit, changes=changes)
    return changes


def retire_unit(unit: StudyUnit, actor=None) -> None:
    unit.status = "retired"
    record(actor, "retire", unit)


def reactivate_unit(unit: StudyUnit, actor=None) -> None:
    if not unit.area.active:
        raise UnitError(_("Its area is retired: reactivate the area first."))
    unit.status = "active"
    record(actor, "reactivate", unit)


def add_member(unit: StudyUnit, *, name: str, mobile: str | None, actor=None) -> Person:
    try:
        person = identify(name, mobile, unit, actor=actor)
    except NameConflict as conflict:
        raise UnitError(str(conflict)) from None
    exists = db.session.scalar(sa.select(RosterMember.id).where(
        RosterMember.unit_id == unit.id, RosterMember.person_id == person.id))
    if exists:
        raise UnitError(_("%(name)s is already on the roster.", name=person.name))
    db.session.add(RosterMember(unit_id=unit.id, person_id=person.id))
    record(actor, "add_member", unit, changes={"person": person.id, "name": person.name})
    return person


def remove_member(unit: StudyUnit, member: RosterMember, actor=None) -> None:
    record(actor, "remove_member", unit, changes={"person": member.person_id,
                                                  "name": member.person.name})
    db.session.delete(member)
