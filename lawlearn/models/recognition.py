"""Recognised study units (学法示范户 / 学法示范班组 / 学法示范楼栋): a study unit the county
recognises as a model for one year.

A recognition moves nominated → town_reviewed → approved, or ends `rejected` (by the town or
the county, with a reason); an approved one may later be `revoked` (with a reason and the day).
The yearly review renews it as a new recognition for the next year whose `previous` is this
one, so each year's plaque and verification page stands on its own row. Who did each step and
when is kept here (the page shows it) and in the audit trail.

There is no unique (unit, year) constraint: a rejected nomination leaves room for a new one the
same year. lawlearn.recognition.operations refuses a second live recognition (nominated, town
reviewed or approved) for a unit and year.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.units import StudyUnit

RECOGNITION_STATUSES = ("nominated", "town_reviewed", "rejected", "approved", "revoked")
# The statuses that hold a unit's year: a second nomination for it is refused.
LIVE_STATUSES = ("nominated", "town_reviewed", "approved")


class Recognition(Base):
    __tablename__ = "recognitions"
    __table_args__ = (
        CheckConstraint("status IN ('nominated', 'town_reviewed', 'rejected', 'approved', "
                        "'revoked')", name="status"),
        CheckConstraint("reject_stage IS NULL OR reject_stage IN ('town', 'county')",
                        name="reject_stage"),
        # The report's count of approved recognitions of a year, and the list's filters.
        Index("ix_recognitions_year_status", "year", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("study_units.id"), index=True)
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="nominated")
    statement: Mapped[str | None] = mapped_column(Text)   # why the unit is nominated
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("recognitions.id", ondelete="SET NULL"))
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    town_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    town_reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    town_note: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_on: Mapped[date | None] = mapped_column(Date)   # Beijing date, printed on the plaque
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reject_stage: Mapped[str | None] = mapped_column(String(8))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_on: Mapped[date | None] = mapped_column(Date)     # Beijing date, shown publicly
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[StudyUnit] = relationship()
    previous: Mapped[Recognition | None] = relationship(remote_side=[id])
    nominated_by: Mapped[User | None] = relationship(foreign_keys=[nominated_by_id])
    town_reviewed_by: Mapped[User | None] = relationship(foreign_keys=[town_reviewed_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    rejected_by: Mapped[User | None] = relationship(foreign_keys=[rejected_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def code(self) -> str:
        """How the audit trail and the plaque name it: the unit's code and the year."""
        return f"{self.unit.code}/{self.year}"

    def __repr__(self) -> str:
        return f"<Recognition {self.unit_id} {self.year} {self.status}>"
