"""Quantitative assessment of towns (定量考核): the county's scheme for a year, and the entries
(deductions, bonuses, manual scores, vetoes) that the items not computed from the coverage
report read (docs/contracts.md, "Assessment")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.sessions import StudySession


class DecimalText(TypeDecorator):
    """An exact decimal kept as its text. Scores are rounded half-up to the cent, so the values
    they rest on must not pass through binary floating point; SQLite has no exact decimal type
    (SQLAlchemy's Numeric goes through float there and warns)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return format(Decimal(value).normalize(), "f")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - only ever written by process_bind_param
            return None


class AssessmentScheme(Base):
    """The scheme (考核细则) of one year. `document` is the whole scheme as checked by
    lawlearn.assessment.scheme (items with their optional group, content, standard and basis
    texts), so it can be downloaded again as it was loaded; the period is also a pair of
    columns because pages list schemes by it."""

    __tablename__ = "assessment_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    document: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()

    @property
    def code(self) -> str:
        """What the audit trail names a scheme by."""
        return str(self.year)

    @property
    def items(self) -> list[dict]:
        return self.document["items"]


# How an entry came to be: the county recorded it (an import, the county's form), or a
# town's coordinator assessed their own town (自评) and the county has not reviewed it yet, or
# the county accepted or adjusted what the town claimed.
RECORDED, SELF_ASSESSED, ACCEPTED, ADJUSTED = "recorded", "self_assessed", "accepted", "adjusted"
ENTRY_STATUSES = (RECORDED, SELF_ASSESSED, ACCEPTED, ADJUSTED)


class AssessmentEntry(Base):
    """One town's figure for one entry item (deduction, bonus, manual, veto) in a year: keyed
    by (area, year, item), so importing or saving again replaces it. `value` is what scores;
    `claimed` is what a coordinator put forward in self-assessment, kept after review."""

    __tablename__ = "assessment_entries"
    __table_args__ = (
        UniqueConstraint("area_id", "year", "item"),
        CheckConstraint("status IN ('recorded', 'self_assessed', 'accepted', 'adjusted')",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    year: Mapped[int]
    item: Mapped[str] = mapped_column(String(32))
    value: Mapped[Decimal] = mapped_column(DecimalText)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RECORDED)
    claimed: Mapped[Decimal | None] = mapped_column(DecimalText)
    review_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))

    area: Mapped[Area] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    evidence: Mapped[list[AssessmentEvidence]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AssessmentEvidence.id")
    session_links: Mapped[list[AssessmentSessionLink]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AssessmentSessionLink.id")

    @property
    def code(self) -> str:
        return f"{self.area.code}/{self.year}/{self.item}"


class AssessmentPublication(Base):
    """A year's results as the county published them (公布): the scheme and every town's
    scores frozen as they were, so later data changes do not move a published result. The
    live scores stay available and are shown beside it."""

    __tablename__ = "assessment_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    # The contract's JSON (lawlearn.assessment.results.score_report) and the scheme it used.
    results: Mapped[dict] = mapped_column(JSON)
    scheme: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))

    published_by: Mapped[User | None] = relationship()

    @property
    def code(self) -> str:
        return str(self.year)


class AssessmentEvidence(Base):
    """A file that supports an entry (考核依据): a PDF, or a photo re-encoded without its
    metadata as session photos are. Kept beside the session photos (so backups carry it)
    under a random name; `original_name` is only shown."""

    __tablename__ = "assessment_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("assessment_entries.id",
                                                     ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))

    entry: Mapped[AssessmentEntry] = relationship(back_populates="evidence")

    @property
    def code(self) -> str:
        return self.original_name[:64]


# A rectification (整改) runs: open (the town has to act, or the county returned its report),
# report submitted (the county has to decide), accepted (closed).
RECTIFICATION_OPEN, RECTIFICATION_SUBMITTED, RECTIFICATION_ACCEPTED = \
    "open", "submitted", "accepted"
RECTIFICATION_STATUSES = (RECTIFICATION_OPEN, RECTIFICATION_SUBMITTED, RECTIFICATION_ACCEPTED)


class AssessmentRectification(Base):
    """The task a town graded lowest (不合格) in a year's published results gets: report how it
    put things right by `due`. One per (town, year); the town's latest report file replaces
    the one before (kept beside the evidence files, same checks)."""

    __tablename__ = "assessment_rectifications"
    __table_args__ = (
        UniqueConstraint("area_id", "year"),
        CheckConstraint("status IN ('open', 'submitted', 'accepted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    year: Mapped[int]
    grade: Mapped[str] = mapped_column(String(50))
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=RECTIFICATION_OPEN)
    note: Mapped[str | None] = mapped_column(Text)
    return_reason: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(80))
    original_name: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    area: Mapped[Area] = relationship()

    @property
    def code(self) -> str:
        return f"{self.area.code}/{self.year}"


class AssessmentSessionLink(Base):
    """Evidence that is one of the town's own study sessions (e.g. the session a bonus or a
    manual score rests on): a link, not a copy, so the session's record stays the one source."""

    __tablename__ = "assessment_session_links"
    __table_args__ = (UniqueConstraint("entry_id", "study_session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("assessment_entries.id",
                                                     ondelete="CASCADE"), index=True)
    study_session_id: Mapped[int] = mapped_column(ForeignKey("study_sessions.id",
                                                             ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                ondelete="SET NULL"))

    entry: Mapped[AssessmentEntry] = relationship(back_populates="session_links")
    study_session: Mapped[StudySession] = relationship()

    @property
    def code(self) -> str:
        return self.study_session.code
