"""Typed SQLAlchemy 2.0 models, one module per domain."""

from lawlearn.models.accounts import LoginSession, User, leader_units
from lawlearn.models.areas import Area
from lawlearn.models.audit import AuditEvent
from lawlearn.models.base import Base
from lawlearn.models.people import Person
from lawlearn.models.units import RosterMember, StudyUnit

__all__ = [
    "Area", "AuditEvent", "Base", "LoginSession", "Person", "RosterMember", "StudyUnit", "User",
    "leader_units",
]
