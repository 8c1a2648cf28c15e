"""Monthly returns (月报): each town's account of a month, due by a day of that month.

The figures are the coverage report's for the town and month at the moment of submission,
kept as submitted (a return is what the town reported, even if sessions are logged later);
the summary is the town's own words. Whether a return was late is read from `submitted_on`
(the Beijing date) against the due day (lawlearn.returns.queries).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow


class MonthlyReturn(Base):
    __tablename__ = "monthly_returns"
    __table_args__ = (UniqueConstraint("area_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    month: Mapped[date] = mapped_column(Date)            # the 1st of the month
    submitted_on: Mapped[date] = mapped_column(Date)     # Beijing date of first submission
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    figures: Mapped[dict] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    area: Mapped[Area] = relationship()
    submitted_by: Mapped[User | None] = relationship()
