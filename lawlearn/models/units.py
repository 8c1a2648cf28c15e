"""Study units: the three kinds of grassroots study group, and their rosters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.people import Person


class StudyUnit(Base):
    __tablename__ = "study_units"
    __table_args__ = (
        CheckConstraint("kind IN ('household', 'enterprise_group', 'building')", name="kind"),
        CheckConstraint("status IN ('active', 'retired')", name="status"),
        CheckConstraint("reach >= 0", name="reach_not_negative"),
        # Covers the report's count of registered units: no table lookups for 4,000 units.
        Index("ix_study_units_area_status_kind_registered", "area_id", "status", "kind",
              "registered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    leader_name: Mapped[str] = mapped_column(String(50))
    # A leader's phone is a work contact (docs/contracts.md, Privacy) and is kept in full.
    leader_phone: Mapped[str] = mapped_column(String(20))
    reach: Mapped[int] = mapped_column(default=0)
    registered_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active")
    # Where it helps to tell units apart: the building number of a building-captain group, the
    # shift or workshop of an enterprise group.
    building: Mapped[str | None] = mapped_column(String(50))
    shift: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship()
    members: Mapped[list[RosterMember]] = relationship(
        back_populates="unit", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<StudyUnit {self.code} {self.kind}>"

    @property
    def active(self) -> bool:
        return self.status == "active"


class RosterMember(Base):
    """A person on a unit's roster. A person may belong to several units (a villager who also
    works in an enterprise group), so membership is its own table."""

    __tablename__ = "roster_members"
    __table_args__ = (UniqueConstraint("unit_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("study_units.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[StudyUnit] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()
