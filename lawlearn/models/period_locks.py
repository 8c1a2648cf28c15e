"""Period locks (锁定): once the county has reported a month or a quarter for an area, its
figures must not move. A lock covers the area and its whole subtree, from `first_month` to
`last_month` (the 1st of each; a month lock has both equal, a quarter lock spans three).

A lock is never deleted: unlocking stamps who, when and why, so the history of every period
stays on record (and in the audit log). Only locks with `unlocked_at` empty are in force.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow


class PeriodLock(Base):
    __tablename__ = "period_locks"
    __table_args__ = (
        CheckConstraint("first_month <= last_month", name="months_in_order"),
        CheckConstraint("kind IN ('month', 'quarter')", name="kind"),
        # An area's own locks (the page, the overlap check, the ancestors' codes of a path).
        Index("ix_period_locks_area_months", "area_id", "first_month", "last_month"),
        # The write paths' lookup: the locks that reach a month (last_month ≥ it): writes go
        # mostly to recent months and locks to past ones, so the range holds few rows.
        Index("ix_period_locks_last_month", "last_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    kind: Mapped[str] = mapped_column(String(8))
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    unlocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unlocked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    unlock_reason: Mapped[str | None] = mapped_column(Text)

    area: Mapped[Area] = relationship()
    locked_by: Mapped[User | None] = relationship(foreign_keys=[locked_by_id])
    unlocked_by: Mapped[User | None] = relationship(foreign_keys=[unlocked_by_id])

    @property
    def code(self) -> str:
        """What the audit log names it by: the area and the period (`320924-2026Q1`)."""
        if self.kind == "quarter":
            period = f"{self.first_month.year}Q{(self.first_month.month - 1) // 3 + 1}"
        else:
            period = f"{self.first_month:%Y-%m}"
        return f"{self.area.code}-{period}" if self.area is not None else period

    @property
    def in_force(self) -> bool:
        return self.unlocked_at is None
