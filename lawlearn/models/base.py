"""Declarative base with a naming convention, so Alembic migrations carry stable constraint names
on SQLite and PostgreSQL alike (Flask-SQLAlchemy docs, "Models and Tables")."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from lawlearn import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """What timestamps store: the county's clock (lawlearn.clock) in UTC."""
    return clock.utcnow()


# Columns that hold a law topic code (lawlearn/codes.py TOPICS): codes such as
# `anti-domestic-violence` are longer than the other codes' 20 characters (migration 0011).
TOPIC_LENGTH = 40


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware.

    SQLite drops the offset, PostgreSQL keeps it; normalising here means the rest of the code
    compares aware datetimes only.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
