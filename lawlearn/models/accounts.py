"""Staff accounts and their login sessions."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.units import StudyUnit

PASSWORD_MIN, PASSWORD_MAX = 12, 128

leader_units = Table(
    "leader_units",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("study_units.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    """A member of staff. Scope: admins and coordinators by an area (their subtree), leaders by
    the units they lead."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'coordinator', 'leader')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(12))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the office or a coordinator issues a one-time password: until the holder
    # chooses their own, every page sends them to the change-password form.
    must_change_password: Mapped[bool] = mapped_column(default=False,
                                                       server_default=sa.false())

    area: Mapped[Area | None] = relationship()
    units: Mapped[list[StudyUnit]] = relationship(secondary=leader_units, order_by="StudyUnit.code")

    def set_password(self, password: str) -> None:
        from lawlearn.auth.passwords import hash_password  # it imports this module

        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginSession(Base):
    """One login. Its random id is what the session cookie carries (Flask-Login's get_id), so a
    new login gets a new id, and logging out or disabling the account ends it on the server: a
    copied cookie stops working."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True,
                                    default=lambda: secrets.token_urlsafe(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
