"""The annual law exam (年度学法考试) of officials and 法律明白人: a quiz sat once, with one
make-up, by an eligible roster within a window, and a certificate for those who pass.

An exam reuses the quiz machinery whole: each sitting is an ordinary online `Attempt` of the
exam's quiz (a bank or a mixed paper), drawn and graded by lawlearn.quiz. What the exam adds is
who may sit (the roster), when (the window, stored UTC, entered and shown in Beijing time) and
how often (`ExamSitting.seq`: 1 the first attempt, 2 the make-up; the unique key holds the
limit when two taps start at once).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.areas import Area
from lawlearn.models.base import Base, UTCDateTime, utcnow
from lawlearn.models.people import Person
from lawlearn.models.quizzes import Attempt, Quiz


class Exam(Base):
    """`area` is whose exam it is: the county office's (its county) or a town coordinator's
    (their town); only users whose scope holds that area may change it. The roster choices
    (`roster_units`, `roster_areas`: ids) are kept to show the form again; who is eligible is
    the materialised `ExamCandidate` rows, rebuilt when the exam is saved."""

    __tablename__ = "exams"
    __table_args__ = (
        CheckConstraint("pass_score >= 1 AND pass_score <= 100", name="pass_score"),
        CheckConstraint("closes_at > opens_at", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The participants' link (/x/<token>): not the id, so exams cannot be walked by number.
    token: Mapped[str] = mapped_column(String(32), unique=True,
                                       default=lambda: secrets.token_urlsafe(12))
    name: Mapped[str] = mapped_column(String(100))
    year: Mapped[int]
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    pass_score: Mapped[int] = mapped_column(default=60)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    roster_units: Mapped[list] = mapped_column(JSON, default=list)
    roster_areas: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quiz: Mapped[Quiz] = relationship()
    area: Mapped[Area | None] = relationship()


class ExamCandidate(Base):
    """A person eligible for an exam, and the study unit their result counts for (None: added
    by name and mobile, with no unit)."""

    __tablename__ = "exam_candidates"
    __table_args__ = (
        UniqueConstraint("exam_id", "person_id"),
        CheckConstraint("source IN ('roster', 'person')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("study_units.id"), index=True)
    # roster: from a chosen unit or area (rebuilt on save); person: typed in by name + mobile.
    source: Mapped[str] = mapped_column(String(10), default="roster")

    person: Mapped[Person] = relationship()


class ExamSitting(Base):
    """One sitting of an exam: seq 1 is the first attempt, seq 2 the make-up (补考)."""

    __tablename__ = "exam_sittings"
    __table_args__ = (
        UniqueConstraint("exam_id", "person_id", "seq"),
        CheckConstraint("seq IN (1, 2)", name="seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    seq: Mapped[int]
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    exam: Mapped[Exam] = relationship()
    person: Mapped[Person] = relationship()
    attempt: Mapped[Attempt] = relationship()
