"""Participants: villagers, workers and residents, who have no account.

PIPL art. 6 (collect only what the purpose needs): a participant's mobile number is needed only
to recognise the same person again, so we keep a keyed hash of it and a masked form for display,
never the number itself.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lawlearn.models.base import Base, UTCDateTime, utcnow


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}"


def hash_mobile(mobile: str, secret: str | None = None) -> str:
    key = (secret or current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, mobile.encode(), hashlib.sha256).hexdigest()


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    phone_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone_masked: Mapped[str | None] = mapped_column(String(16))
    # The unit that first recorded this person; rosters are in RosterMember.
    home_unit_id: Mapped[int | None] = mapped_column(ForeignKey("study_units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Person {self.id}>"
