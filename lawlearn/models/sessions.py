"""Study sessions (学习活动), their topics, attendance (签到) and photo evidence."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.base import TOPIC_LENGTH, Base, UTCDateTime, utcnow
from lawlearn.models.people import Person
from lawlearn.models.units import StudyUnit

ATTENDED = ("present", "late")  # statuses that count as attended (docs/contracts.md)
# Review states (审核): a leader's session waits for its town's coordinator; the office's and the
# coordinators' own sessions are approved as they are logged. "Approved only" reports count
# APPROVED alone (lawlearn.ledger keeps those figures beside the others).
SUBMITTED, RETURNED, APPROVED = "submitted", "returned", "approved"
REVIEW_STATES = (SUBMITTED, RETURNED, APPROVED)


class StudySession(Base):
    __tablename__ = "study_sessions"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration"),
        CheckConstraint(
            "format IN ('group_study', 'lecture', 'case_based', 'rotational_training', "
            "'site_visit', 'touring_talk', 'exhibition', 'other')", name="format"),
        Index("ix_study_sessions_unit_held_on", "unit_id", "held_on"),
        Index("ix_study_sessions_held_on", "held_on"),
        CheckConstraint("review_state IN ('submitted', 'returned', 'approved')",
                        name="review_state"),
        # The review queue: a town's sessions waiting, by unit.
        Index("ix_study_sessions_review_state_unit", "review_state", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("study_units.id"))
    held_on: Mapped[date] = mapped_column(Date)
    format: Mapped[str] = mapped_column(String(24))
    lecturer: Mapped[str | None] = mapped_column(String(50))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    notes: Mapped[str | None] = mapped_column(Text)
    # The QR code and check-in link carry this random token, never the id.
    checkin_token: Mapped[str] = mapped_column(
        String(32), unique=True, default=lambda: secrets.token_urlsafe(16))
    # Present + late, kept with every attendance write so lists need no count query.
    attended_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Rows from before review existed were all counted: they read as approved.
    review_state: Mapped[str] = mapped_column(String(10), default=APPROVED,
                                              server_default=APPROVED)
    return_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[StudyUnit] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    topic_rows: Mapped[list[SessionTopic]] = relationship(
        cascade="all, delete-orphan", order_by="SessionTopic.topic")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan")
    photos: Mapped[list[SessionPhoto]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionPhoto.id")

    @property
    def topics(self) -> list[str]:
        return [t.topic for t in self.topic_rows]

    @property
    def approved(self) -> bool:
        return self.review_state == APPROVED

    def __repr__(self) -> str:
        return f"<StudySession {self.code}>"


class SessionTopic(Base):
    __tablename__ = "session_topics"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(TOPIC_LENGTH), primary_key=True, index=True)


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id"),
        CheckConstraint("status IN ('present', 'late', 'excused', 'absent')", name="status"),
        CheckConstraint("method IN ('roster', 'walk_in', 'qr', 'import', 'paper')",
                        name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("study_sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[StudySession] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship()

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class SessionPhoto(Base):
    """Evidence photo, re-encoded without EXIF; files live in the instance folder."""

    __tablename__ = "session_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(80))
    thumbnail: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[StudySession] = relationship(back_populates="photos")
