"""Who changed what, when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # None when the command line did it.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))  # create, update, retire, reactivate, ...
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int | None]
    object_code: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict | None] = mapped_column(JSON)
    # The area the event belongs to (the object's own area, or the acting user's), so a town's
    # coordinator sees their town's events; None for what belongs to no area (the CLI, unknown
    # usernames), which only the office sees.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"),
                                                index=True)
    # The client's address, for logins and public check-ins (as ProxyFix resolved it).
    address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User | None] = relationship()
    area: Mapped[Area | None] = relationship()
