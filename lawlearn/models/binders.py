"""Evidence binders (台账): a ZIP of one town's (or one unit's) evidence for a period, built in
the background. The row is the job: who asked, for what, how far the build has got, and where
the finished file lies in the instance folder (binders/<id>.zip, written beside as .part and
renamed when complete, so a half-built file is never served)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.units import StudyUnit

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATUSES = (QUEUED, RUNNING, DONE, FAILED)


class BinderJob(Base):
    __tablename__ = "binder_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        # Workers look for the oldest queued job; the purge for old finished ones.
        Index("ix_binder_jobs_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)   # the town
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("study_units.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # The requester's language: file names and headings are written in it.
    locale: Mapped[str] = mapped_column(String(10), default="zh_Hans")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str | None] = mapped_column(String(80))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    area: Mapped[Area] = relationship()
    unit: Mapped[StudyUnit | None] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def code(self) -> str:
        """What the audit trail names a binder by."""
        subject = self.unit.code if self.unit_id else self.area.code
        return f"{subject}/{self.period_start:%Y-%m}..{self.period_end:%Y-%m}"

    @property
    def percent(self) -> int:
        if self.status == DONE:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0
