"""County-wide activities that are not one unit's meeting: touring exhibitions (巡回展览),
touring talks (典型巡讲) with a lecturer pool (讲师库), on-site visits (现场观摩) and rotational
training (集中轮训).

Every stop or class of an activity IS a study session (`ActivityStop.study_session_id`), held
by a study unit in the area where it happened. That is the whole trick: QR check-in, sign-in
sheets, photos, the coverage report ("a session counts for the area of its unit"), the ledger
and plan milestones all work on the stop unchanged, and nothing here counts anything twice.
What an activity adds is only what a session does not have: the place's name, visitors counted
by hand at an exhibition, the lecturer from the pool, the visiting units, the cohort.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.accounts import User
from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.people import Person
from lawlearn.models.sessions import StudySession
from lawlearn.models.units import StudyUnit

# Each kind is also the format of its stops' study sessions, so a plan milestone that asks
# for `formats: [exhibition]` is met by an exhibition's stops with no extra rule.
ACTIVITY_KINDS = ("exhibition", "touring_talk", "site_visit", "rotational_training")
DEFAULT_COMPLETION_PERCENT = 80


class CountyActivity(Base):
    __tablename__ = "county_activities"
    __table_args__ = (
        CheckConstraint("kind IN ('exhibition', 'touring_talk', 'site_visit', "
                        "'rotational_training')", name="kind"),
        CheckConstraint("completion_percent BETWEEN 1 AND 100", name="completion_percent"),
        Index("ix_county_activities_area_id_year", "area_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    # The organiser: the county office's county, or a town for its own activity. Scoping
    # reads it; stops must be held by units inside it.
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    # Rotational training only: a cohort member is complete having attended at least this
    # share of the classes.
    completion_percent: Mapped[int] = mapped_column(Integer, default=DEFAULT_COMPLETION_PERCENT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def code(self) -> str:
        """What the audit log names it by."""
        return f"{self.kind}-{self.id}"

    def __repr__(self) -> str:
        return f"<CountyActivity {self.id} {self.kind}>"


class Lecturer(Base):
    """The lecturer pool (讲师库): judges, lawyers, police officers who give touring talks.
    A work contact, not a participant: name, title or organisation and topics, no phone."""

    __tablename__ = "lecturers"
    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose pool: the county's is seen by its towns too; a town's only by that town.
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(100))
    topics: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship()

    @property
    def code(self) -> str:
        return self.name


class ActivityStop(Base):
    """One stop of a tour, one talk, the visit itself or one class: a study session of the unit
    that hosted it, plus what only an activity needs."""

    __tablename__ = "activity_stops"
    __table_args__ = (CheckConstraint("visitors >= 0", name="visitors"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("county_activities.id", ondelete="CASCADE"), index=True)
    study_session_id: Mapped[int] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="CASCADE"), unique=True)
    place: Mapped[str] = mapped_column(String(100))
    # Visitors counted by staff at an exhibition (many look without scanning the QR code);
    # check-ins are the session's attendance and are counted separately.
    visitors: Mapped[int] = mapped_column(Integer, default=0)
    lecturer_id: Mapped[int | None] = mapped_column(
        ForeignKey("lecturers.id", ondelete="SET NULL"), index=True)

    activity: Mapped[CountyActivity] = relationship()
    study_session: Mapped[StudySession] = relationship()
    lecturer: Mapped[Lecturer | None] = relationship()

    @property
    def code(self) -> str:
        return self.study_session.code


class ActivityVisitingUnit(Base):
    """The units that came to an on-site visit (现场观摩). Their members check in at the host
    unit's session, so their attendance counts for the host's area (DESIGN.md's contract)."""

    __tablename__ = "activity_visiting_units"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("county_activities.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("study_units.id"), primary_key=True,
                                         index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[StudyUnit] = relationship()


class CohortMember(Base):
    """A person expected at every class of a rotational training (集中轮训)."""

    __tablename__ = "cohort_members"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("county_activities.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True,
                                           index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
