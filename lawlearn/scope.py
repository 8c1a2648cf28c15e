"""Who may see what. Every query that loads an area, a unit or a person goes through these
filters, so scoping lives in SQL and never in templates.

- admin: their county's subtree (or everything, for an admin with no area: a provincial office);
- coordinator: their town's subtree;
- leader: the units they lead.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from lawlearn.extensions import db
from lawlearn.models import (
    Area,
    Attempt,
    Attendance,
    Person,
    RosterMember,
    StudySession,
    StudyUnit,
    leader_units,
)


def _user(actor=None):
    actor = actor if actor is not None else current_user
    return getattr(actor, "user", actor)


def scope_root(actor=None) -> Area | None:
    """The top area `actor` may see; None means the whole tree (an admin without an area)."""
    user = _user(actor)
    if user.role == "leader":
        return None
    return user.area


def area_filter(actor=None) -> sa.ColumnElement[bool]:
    """Areas `actor` may see. Leaders see the areas of their units and those areas' ancestors
    (for breadcrumbs), nothing else."""
    user = _user(actor)
    if user.role == "leader":
        unit_paths = (
            sa.select(Area.path)
            .join(StudyUnit, StudyUnit.area_id == Area.id)
            .join(leader_units, leader_units.c.unit_id == StudyUnit.id)
            .where(leader_units.c.user_id == user.id)
        )
        return Area.path.in_(unit_paths)
    if user.area is None:
        return sa.true()
    return Area.path.startswith(user.area.path, autoescape=True)


def unit_filter(actor=None) -> sa.ColumnElement[bool]:
    user = _user(actor)
    if user.role == "leader":
        return StudyUnit.id.in_(
            sa.select(leader_units.c.unit_id).where(leader_units.c.user_id == user.id)
        )
    if user.area is None:
        return sa.true()
    return StudyUnit.area_id.in_(
        sa.select(Area.id).where(Area.path.startswith(user.area.path, autoescape=True))
    )


def get_area_or_404(area_id: int, actor=None) -> Area:
    area = db.session.scalar(sa.select(Area).where(Area.id == area_id, area_filter(actor)))
    if area is None:
        abort(404)
    return area


def get_unit_or_404(unit_id: int, actor=None) -> StudyUnit:
    unit = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.id == unit_id,
                                                        unit_filter(actor)))
    if unit is None:
        abort(404)
    return unit


def get_session_or_404(session_id: int, actor=None) -> StudySession:
    """A study session, seen through its unit: whoever may see the unit may see its sessions."""
    found = db.session.scalar(
        sa.select(StudySession).join(StudySession.unit)
        .where(StudySession.id == session_id, unit_filter(actor)))
    if found is None:
        abort(404)
    return found


def person_filter(actor=None) -> sa.ColumnElement[bool]:
    """Participants `actor` may see: those first recorded by, on the roster of, who attended
    a session of, or took a quiz for a unit the user may see (a person has no area of their
    own)."""
    user = _user(actor)
    if user.role == "admin" and user.area is None:
        return sa.true()
    on_roster = (sa.select(RosterMember.id).join(RosterMember.unit)
                 .where(RosterMember.person_id == Person.id, unit_filter(actor)))
    attended = (sa.select(Attendance.id).join(Attendance.session).join(StudySession.unit)
                .where(Attendance.person_id == Person.id, unit_filter(actor)))
    quizzed = sa.select(Attempt.id).where(
        Attempt.person_id == Person.id,
        Attempt.unit_id.in_(sa.select(StudyUnit.id).where(unit_filter(actor))))
    home = Person.home_unit_id.in_(sa.select(StudyUnit.id).where(unit_filter(actor)))
    return sa.or_(home, on_roster.exists(), attended.exists(), quizzed.exists())


def get_person_or_404(person_id: int, actor=None) -> Person:
    """A participant the user may see (person_filter)."""
    person = db.session.scalar(sa.select(Person).where(
        Person.id == person_id, person_filter(actor)))
    if person is None:
        abort(404)
    return person


def may_manage_areas(actor=None) -> bool:
    return _user(actor).role in ("admin", "coordinator")


def manageable_levels(actor=None) -> list[str]:
    """Levels `actor` may create: the office builds towns and below (an office without an area,
    counties too); a coordinator adds villages, communities and enterprises in their town."""
    user = _user(actor)
    if user.role == "coordinator":
        return ["village", "community", "enterprise"]
    if user.role != "admin":
        return []
    if user.area is None:
        return ["county", "town", "village", "community", "enterprise"]
    return ["town", "village", "community", "enterprise"]


def may_manage_area(level: str, path: str, actor=None) -> bool:
    """May `actor` create, change or move an area of `level` whose place in the tree is `path`
    (for a move: both the old and the new path must pass). The web pages and the areas import
    both ask here. A coordinator's own town is the office's to change, not theirs."""
    user = _user(actor)
    if user.role == "leader":
        return False
    if user.role == "coordinator" and level in ("county", "town"):
        return False
    return user.area is None or path.startswith(user.area.path)


def may_register_units(actor=None) -> bool:
    return _user(actor).role in ("admin", "coordinator")


def may_manage_account(account, actor=None) -> bool:
    """Who may disable or enable an account (found in the user's scope): the office any
    account but its own; a coordinator only leaders of their own town (every unit they lead
    in the town), never another coordinator; a leader nobody."""
    user = _user(actor)
    if account.id == user.id:
        return False
    if user.role == "admin":
        return True
    if user.role != "coordinator" or account.role != "leader":
        return False
    return not any(not user.area.contains(unit.area) for unit in account.units)


def may_enable_account(account, actor=None) -> bool:
    """An account the county office (or the command line) disabled stays disabled until the
    office enables it: a coordinator may re-enable only a leader a coordinator disabled."""
    if not may_manage_account(account, actor):
        return False
    if _user(actor).role == "admin":
        return True
    from lawlearn.models import AuditEvent, User

    disabled_by = db.session.execute(
        sa.select(AuditEvent.user_id, User.role)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.object_type == "users", AuditEvent.object_id == account.id,
               AuditEvent.action == "disable")
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    return disabled_by is None or disabled_by.role == "coordinator"


def require(condition: bool) -> None:
    if not condition:
        abort(403)
