"""Targets, and the summary rows the coverage report reads.

The report must be exact and live, yet must not grow with the attendance table. So every write
that changes sessions, attendance or attempts also refreshes, in the same transaction:

- `AreaMonthStats`: per area and month: sessions, person-times attended, quiz attempts, the
  sum of their scores and how many passed. Leaves (where units live) are counted from the raw
  tables; every other area's row is the sum of the leaves below it, so a report reads one row
  per child and month.
- `AreaTopicMonthStats`: the quiz figures of `AreaMonthStats` split by law topic, summed up
  the tree the same way.
- `LedgerMask` + `LedgerRange`: exact DISTINCT counts (participants, quiz participants,
  active units) over month-aligned periods. For every area at every level, year and entity
  (a person, or a unit) a 12-bit mask says in which months the entity was active there.
  `LedgerRange` counts, for each of the 78 runs of whole months in a year (January only,
  January–February, …, December only), the entities whose mask meets that run. "Distinct
  people in area A from March to June" is then one row, whatever the size of the attendance
  table. For units the row also sums their reach.

lawlearn.ledger keeps them; `lawlearn report rebuild` recomputes them from scratch and
the tests check that the two always agree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.areas import Area
from lawlearn.models.base import TOPIC_LENGTH, Base


class Target(Base):
    """How many units of a kind the county expects in an area in a year (目标任务)."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("area_id", "year", "kind"),
        CheckConstraint("target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[int]

    area: Mapped[Area] = relationship()


class AreaMonthStats(Base):
    __tablename__ = "area_month_stats"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the 1st of the month
    sessions: Mapped[int] = mapped_column(default=0)
    attendances: Mapped[int] = mapped_column(default=0)
    quiz_attempts: Mapped[int] = mapped_column(default=0)
    quiz_score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    quiz_passes: Mapped[int] = mapped_column(default=0)
    # The same two figures over approved study sessions only (the "approved only" basis).
    # Quiz figures have no such twin: an attempt is not reviewed, so they are the same on
    # both bases.
    approved_sessions: Mapped[int] = mapped_column(default=0, server_default="0")
    approved_attendances: Mapped[int] = mapped_column(default=0, server_default="0")


class AreaTopicMonthStats(Base):
    """Per area, month and law topic (the quiz's): scored quiz attempts, the sum of their
    scores and how many passed, kept like `AreaMonthStats`: the report's "mean score by law"
    reads a few rows per topic instead of every attempt in the subtree."""

    __tablename__ = "area_topic_month_stats"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the 1st of the month
    topic: Mapped[str] = mapped_column(String(TOPIC_LENGTH), primary_key=True)
    quiz_attempts: Mapped[int] = mapped_column(default=0)
    quiz_score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    quiz_passes: Mapped[int] = mapped_column(default=0)


# Ledger scopes: what kind of entity, active how.
ATTENDANCE, QUIZ, UNIT = "attend", "quiz", "unit"
# The same, counting approved study sessions only: a person who attended one, a unit that held
# one. They are kept together with their base scope (same entities, same locks).
ATTENDANCE_APPROVED, UNIT_APPROVED = "attend_a", "unit_a"


class LedgerMask(Base):
    __tablename__ = "ledger_masks"
    __table_args__ = (Index("ix_ledger_masks_entity", "scope", "entity_id", "year"),)

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(primary_key=True)
    months: Mapped[int]                                    # bit m-1 set: active in month m
    kind: Mapped[str] = mapped_column(String(20), default="")  # a unit's kind; "" for people
    weight: Mapped[int] = mapped_column(default=0)         # a unit's reach; 0 for people


class LedgerRange(Base):
    __tablename__ = "ledger_ranges"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    # The months before the kind in the key: a report asks for one run of months, all kinds.
    first_month: Mapped[int] = mapped_column(primary_key=True)
    last_month: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    entities: Mapped[int] = mapped_column(default=0)
    weight: Mapped[int] = mapped_column(default=0)
