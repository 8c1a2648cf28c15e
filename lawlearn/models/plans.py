"""Stage activity plans (阶段性活动计划) and their milestones (节点性管理).

A plan belongs to an area (the county, or a town for its own plan); its rows are that area's
children. Each stage starts on a day; each milestone has a due day and a rule that says how
it is met. `sessions` and `unit_share` milestones are read from the study sessions already
logged, so nobody types the figures again; `manual` ones are checked off (销号) per area.

A milestone's format and topic filters are rows of their own, not a list in a text column:
the progress query then matches sessions with plain joins on both databases
(lawlearn.plans.progress).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import TOPIC_LENGTH, Base, UTCDateTime, utcnow

RULE_KINDS = ("sessions", "unit_share", "manual")


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    area: Mapped[Area] = relationship()
    created_by: Mapped[User | None] = relationship()
    stages: Mapped[list[PlanStage]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanStage.position")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by=lambda: [Milestone.stage_position, Milestone.position])

    def __repr__(self) -> str:
        return f"<Plan {self.code}>"


class PlanStage(Base):
    __tablename__ = "plan_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)

    plan: Mapped[Plan] = relationship(back_populates="stages")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="stage", order_by="Milestone.position")


class Milestone(Base):
    __tablename__ = "plan_milestones"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("kind IN ('sessions', 'unit_share', 'manual')", name="kind"),
        CheckConstraint("min_count IS NULL OR min_count >= 1", name="min_count"),
        CheckConstraint("min_share IS NULL OR (min_share > 0 AND min_share <= 1)",
                        name="min_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("plan_stages.id", ondelete="CASCADE"), index=True)
    # The stage's position copied here, so the plan's milestones sort in one ORDER BY.
    stage_position: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))
    unit_kind: Mapped[str | None] = mapped_column(String(20))   # unit_share only
    min_count: Mapped[int | None] = mapped_column(Integer)      # sessions only
    min_share: Mapped[float | None] = mapped_column(Float)      # unit_share only

    plan: Mapped[Plan] = relationship(back_populates="milestones")
    stage: Mapped[PlanStage] = relationship(back_populates="milestones")
    format_rows: Mapped[list[MilestoneFormat]] = relationship(
        cascade="all, delete-orphan", order_by="MilestoneFormat.format")
    topic_rows: Mapped[list[MilestoneTopic]] = relationship(
        cascade="all, delete-orphan", order_by="MilestoneTopic.topic")
    checkoffs: Mapped[list[Checkoff]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan")

    @property
    def formats(self) -> list[str]:
        return [r.format for r in self.format_rows]

    @property
    def topics(self) -> list[str]:
        return [r.topic for r in self.topic_rows]

    def __repr__(self) -> str:
        return f"<Milestone {self.code} {self.kind}>"


class MilestoneFormat(Base):
    """A session format the milestone counts (none: any format)."""

    __tablename__ = "plan_milestone_formats"

    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("plan_milestones.id", ondelete="CASCADE"), primary_key=True)
    format: Mapped[str] = mapped_column(String(24), primary_key=True)


class MilestoneTopic(Base):
    """A law topic the milestone counts (none: any topic; several: a session with any)."""

    __tablename__ = "plan_milestone_topics"

    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("plan_milestones.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(TOPIC_LENGTH), primary_key=True)


class Checkoff(Base):
    """A manual milestone checked off (销号) for one of the plan's areas: on which day, why,
    by whom (None: from the command line)."""

    __tablename__ = "plan_checkoffs"
    __table_args__ = (UniqueConstraint("milestone_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("plan_milestones.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    done_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="checkoffs")
    area: Mapped[Area] = relationship()
    checked_by: Mapped[User | None] = relationship()
