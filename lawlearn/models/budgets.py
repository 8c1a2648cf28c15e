"""Budgets (预算): the county's budget standard for a year, what it allocates to each town
(拨付到位) and what each town disburses, with a voucher for every payment.

Money is integer fen (分, 1/100 yuan) everywhere: sums stay exact in SQL on SQLite and
PostgreSQL alike, and nothing passes through binary floating point. The planned budget is not
stored: it is computed from the standard and the registered units when read
(lawlearn.budgets.queries), so registering a unit moves it at once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.sessions import StudySession


class BudgetStandard(Base):
    """A county's budget standard (预算标准) for a year: yuan per registered unit of each kind,
    the least a village or community (村（社区）) gets, and the least a town gets."""

    __tablename__ = "budget_standards"
    __table_args__ = (
        UniqueConstraint("area_id", "year"),
        CheckConstraint("household_fen >= 0 AND enterprise_group_fen >= 0 AND building_fen >= 0"
                        " AND village_floor_fen >= 0 AND town_floor_fen >= 0",
                        name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # the county
    year: Mapped[int]
    household_fen: Mapped[int] = mapped_column(BigInteger)
    enterprise_group_fen: Mapped[int] = mapped_column(BigInteger)
    building_fen: Mapped[int] = mapped_column(BigInteger)
    village_floor_fen: Mapped[int] = mapped_column(BigInteger)
    town_floor_fen: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area: Mapped[Area] = relationship()

    @property
    def code(self) -> str:
        return f"{self.area.code}/{self.year}"


class BudgetAllocation(Base):
    """Money the county allocated (拨付) to a town for a year; a year may come in tranches."""

    __tablename__ = "budget_allocations"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # the town
    year: Mapped[int]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    allocated_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area: Mapped[Area] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def code(self) -> str:
        return f"{self.area.code}/{self.year}/A{self.id}"


class BudgetDisbursement(Base):
    """A payment a town made from its budget of a year, with its voucher (凭证: a PDF kept as
    sent, or a photo re-encoded without its metadata). It was spent on an activity when it
    names one: a study session of the town, or an activity label (e.g. 民法典宣传月)."""

    __tablename__ = "budget_disbursements"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # the town
    year: Mapped[int]
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payee: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(200))
    activity: Mapped[str | None] = mapped_column(String(100))
    study_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="SET NULL"), index=True)
    voucher_filename: Mapped[str] = mapped_column(String(80))
    voucher_name: Mapped[str] = mapped_column(String(200))
    voucher_type: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    area: Mapped[Area] = relationship()
    study_session: Mapped[StudySession | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def code(self) -> str:
        return f"{self.area.code}/{self.year}/D{self.id}"
