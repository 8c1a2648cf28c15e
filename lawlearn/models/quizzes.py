"""Quizzes: banks loaded from quizzes/*.yaml, and participants' attempts."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lawlearn.models.base import TOPIC_LENGTH, Base, UTCDateTime, utcnow
from lawlearn.models.people import Person
from lawlearn.models.sessions import StudySession
from lawlearn.models.units import StudyUnit

MAX_ATTEMPTS_PER_DAY = 100


class Quiz(Base):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(TOPIC_LENGTH), index=True)
    audiences: Mapped[list] = mapped_column(JSON, default=list)
    pass_score: Mapped[int] = mapped_column(default=60)
    draw: Mapped[int] = mapped_column(default=10)
    time_limit_minutes: Mapped[int] = mapped_column(default=15)
    attempts_per_day: Mapped[int] = mapped_column(default=3)
    # Hash of the bank file it was loaded from: `init-db` reloads a bank only when it changed.
    source_hash: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position")
    # A mixed paper (综合卷) has no questions of its own: each attempt draws them from these
    # banks by its blueprint. Everything else (attempts, scores, results) is a quiz's.
    parts: Mapped[list[QuizPart]] = relationship(
        foreign_keys="QuizPart.paper_id", cascade="all, delete-orphan",
        order_by="QuizPart.position")

    @property
    def mixed(self) -> bool:
        return bool(self.parts)


class QuizPart(Base):
    """One line of a mixed paper's blueprint: draw `count` questions from `bank`."""

    __tablename__ = "quiz_parts"
    __table_args__ = (
        UniqueConstraint("paper_id", "bank_id"),
        CheckConstraint("count >= 1 AND count <= 100", name="count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    count: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    bank: Mapped[Quiz] = relationship(foreign_keys=[bank_id])


class Question(Base):
    """A question of a bank. Removed from the bank file → inactive, kept for old attempts."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("kind IN ('single', 'multiple', 'true_false')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)  # the bank's id, e.g. civil-code-001
    # The question's own name in the file it came from (GIFT's `::name::`), written back on
    # export. Not the key: names repeat across banks ("Q1"), keys are unique everywhere.
    name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(12))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[object] = mapped_column(JSON)  # "B" | ["A", "C"] | true/false
    explanation: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


class Attempt(Base):
    """One sitting of a quiz by a person, online or on paper.

    `unit_id` is where the attempt counts in reports: the session's unit, else the person's
    home unit, else nowhere (an anonymous public attempt still has a score and a result page).
    Paper results are attempts with a score and no questions.

    `day_seq` numbers a person's online attempts at a quiz on one (Beijing) day, 1, 2, 3…;
    the unique key on it is what holds the daily limit when a person starts many attempts at
    once (lawlearn.quiz.operations.start_attempt). Paper results have none: they do not count
    against the limit.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint("method IN ('online', 'paper')", name="method"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        # 100 is the most attempts a day a bank may allow (lawlearn.quiz.banks).
        CheckConstraint(f"day_seq IS NULL OR (method = 'online' AND day_seq BETWEEN 1 AND "
                        f"{MAX_ATTEMPTS_PER_DAY})", name="day_seq"),
        UniqueConstraint("quiz_id", "person_id", "taken_on", "day_seq"),
        Index("ix_attempts_quiz_person_taken_on", "quiz_id", "person_id", "taken_on"),
        Index("ix_attempts_unit_taken_on", "unit_id", "taken_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True,
                                       default=lambda: secrets.token_urlsafe(16))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("study_units.id"))
    method: Mapped[str] = mapped_column(String(10), default="online")
    taken_on: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None]
    day_seq: Mapped[int | None]

    quiz: Mapped[Quiz] = relationship()
    person: Mapped[Person] = relationship()
    session: Mapped[StudySession | None] = relationship()
    unit: Mapped[StudyUnit | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptItem.position")

    @property
    def finished(self) -> bool:
        return self.submitted_at is not None


class AttemptItem(Base):
    """A question as it was drawn for an attempt: the exact text and the options in the order
    shown (answer letters refer to that order), so later edits to the bank change nothing."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[object] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    # The original letter of each shown option ("C" shown first → ["C", ...]): statistics
    # about a bank's options need the bank's letters, not the shuffled ones.
    option_map: Mapped[list] = mapped_column(JSON, default=list)
    response: Mapped[object | None] = mapped_column(JSON)
    correct: Mapped[bool | None]

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()


class QuizSheet(Base):
    """A paper quiz for a session: the questions drawn once and kept, in the same shape as
    attempt items, so every copy printed later and its answer key stay the same."""

    __tablename__ = "quiz_sheets"
    __table_args__ = (UniqueConstraint("session_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="CASCADE"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    # [{"question_id", "kind", "stem", "options", "answer", "explanation", "source",
    #   "option_map"}, ...] in the printed order.
    items: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quiz: Mapped[Quiz] = relationship()
    session: Mapped[StudySession] = relationship()
