"""State changes of the annual exam. Callers commit (one commit per request).

- `save_exam`: create or change an exam and rebuild its roster (ExamCandidate rows);
- `start_sitting`: a participant's first attempt or make-up, checked against the window, the
  roster and the sittings so far, then started by the quiz machinery (lawlearn.quiz.operations
  draws and later grades it like any attempt).

The make-up (补考) is allowed only after a failed first attempt, and within the exam's own
window: an office that wants a later make-up moves the closing time. A person who passed, or
who has sat twice, is refused; an attempt left open is resumed, not counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lawlearn.audit import diff, record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import (
    Area,
    Attempt,
    Exam,
    ExamCandidate,
    ExamSitting,
    Person,
    Quiz,
    RosterMember,
    StudyUnit,
)
from lawlearn.models.base import utcnow
from lawlearn.quiz import operations as quiz_operations
from lawlearn.quiz.scoring import passed

MAKE_UP = 2


class ExamError(ValueError):
    """The sitting cannot go ahead; the message says why, in the participant's language."""


class NotOpenYet(ExamError):
    pass


class Closed(ExamError):
    pass


class NotEligible(ExamError):
    pass


class NoMoreSittings(ExamError):
    pass


def window_state(exam: Exam, now: datetime | None = None) -> str:
    """not_yet, open or closed: opens_at is the first instant in, closes_at the first out."""
    now = now or utcnow()
    if now < exam.opens_at:
        return "not_yet"
    return "open" if now < exam.closes_at else "closed"


@dataclass(frozen=True)
class ExamValues:
    name: str
    year: int
    quiz: Quiz
    pass_score: int
    opens_at: datetime
    closes_at: datetime
    unit_ids: list[int]
    area_ids: list[int]
    people: list[tuple[str, str]]  # (name, mobile) typed in, added to the roster


def save_exam(exam: Exam | None, values: ExamValues, *, area: Area | None, actor) -> Exam:
    """Create (`exam` None) or change an exam, then rebuild its roster. `area` is the owner
    (the user's own scope) for a new exam; the form offers only units and areas in scope."""
    fields = {"name": values.name, "year": values.year, "quiz_id": values.quiz.id,
              "pass_score": values.pass_score, "opens_at": values.opens_at,
              "closes_at": values.closes_at, "roster_units": sorted(values.unit_ids),
              "roster_areas": sorted(values.area_ids)}
    if exam is None:
        exam = Exam(area_id=area.id if area else None, created_by_id=getattr(
            getattr(actor, "user", actor), "id", None), **fields)
        db.session.add(exam)
        db.session.flush()
        record(actor, "create", exam, changes={"name": [None, exam.name]})
    else:
        changes = diff(exam, fields)
        if changes:
            record(actor, "update", exam, changes=changes)
    _rebuild_roster(exam, values.people, actor)
    return exam


def _roster_pairs(exam: Exam) -> sa.Select:
    """(person, unit) for everyone on the roster of a chosen unit or of an active unit in a
    chosen area's subtree; a person on several, once, for their first such unit."""
    paths = db.session.scalars(sa.select(Area.path).where(
        Area.id.in_(exam.roster_areas or [-1]))).all()
    in_area = (sa.select(StudyUnit.id).join(Area, Area.id == StudyUnit.area_id)
               .where(StudyUnit.status == "active",
                      sa.or_(sa.false(), *(Area.path.startswith(p, autoescape=True)
                                           for p in paths))))
    return (sa.select(RosterMember.person_id, sa.func.min(RosterMember.unit_id))
            .where(sa.or_(RosterMember.unit_id.in_(exam.roster_units or [-1]),
                          RosterMember.unit_id.in_(in_area)))
            .group_by(RosterMember.person_id))


def _rebuild_roster(exam: Exam, people: list[tuple[str, str]], actor) -> None:
    """Candidates from the chosen units and areas replace the previous ones from there; people
    typed in by name and mobile stay, and the new ones join (identified as everywhere else, so
    the same mobile is the same person)."""
    from lawlearn.participants import identify

    current = {c.person_id: c for c in db.session.scalars(
        sa.select(ExamCandidate).where(ExamCandidate.exam_id == exam.id))}
    typed = {pid: c.unit_id for pid, c in current.items() if c.source == "person"}
    for name, mobile in people:
        person = identify(name, mobile, None, actor=actor)
        typed.setdefault(person.id, person.home_unit_id)
    final = {pid: (unit_id, "roster") for pid, unit_id in
             db.session.execute(_roster_pairs(exam)).all()}
    for pid, unit_id in typed.items():
        final[pid] = (final.get(pid, (unit_id,))[0], "person")
    for pid, found in current.items():
        if pid not in final:
            db.session.delete(found)
        else:
            found.unit_id, found.source = final[pid]
    db.session.add_all(ExamCandidate(exam_id=exam.id, person_id=pid, unit_id=unit_id,
                                     source=source)
                       for pid, (unit_id, source) in final.items() if pid not in current)
    db.session.flush()


def candidate(exam: Exam, person: Person | None) -> ExamCandidate | None:
    if person is None:
        return None
    return db.session.scalar(sa.select(ExamCandidate).where(
        ExamCandidate.exam_id == exam.id, ExamCandidate.person_id == person.id))


def sittings(exam: Exam, person: Person) -> list[ExamSitting]:
    return list(db.session.scalars(
        sa.select(ExamSitting).where(ExamSitting.exam_id == exam.id,
                                     ExamSitting.person_id == person.id)
        .options(sa.orm.joinedload(ExamSitting.attempt)).order_by(ExamSitting.seq)))


def sitting_passed(exam: Exam, attempt: Attempt) -> bool:
    return attempt.finished and attempt.score is not None and passed(attempt.score,
                                                                     exam.pass_score)


def start_sitting(exam: Exam, person: Person | None, *, now: datetime | None = None) -> Attempt:
    """The attempt to answer now: an open one resumed, else a new first attempt or make-up.
    Raises an ExamError (or the quiz's QuizError) saying why not."""
    now = now or utcnow()
    state = window_state(exam, now)
    if state == "not_yet":
        raise NotOpenYet(_("The exam has not started yet."))
    if state == "closed":
        raise Closed(_("The exam has ended."))
    if candidate(exam, person) is None:
        raise NotEligible(_("You are not on this exam's list of candidates. Check the name and "
                            "mobile number you typed; if they are right, ask the office that "
                            "set the exam to add you."))
    done = sittings(exam, person)
    if done and not done[-1].attempt.finished:
        quiz_operations.close_if_expired(done[-1].attempt, now)
        if not done[-1].attempt.finished:
            return done[-1].attempt
    if any(sitting_passed(exam, s.attempt) for s in done):
        raise NoMoreSittings(_("You have already passed this exam."))
    if len(done) >= MAKE_UP:
        raise NoMoreSittings(_("You have taken this exam and its make-up; no more attempts "
                               "are allowed."))
    try:
        with db.session.begin_nested():
            attempt = quiz_operations.start_attempt(exam.quiz, person, now=now)
            db.session.add(ExamSitting(exam_id=exam.id, person_id=person.id,
                                       seq=len(done) + 1, attempt_id=attempt.id))
            db.session.flush()
    except IntegrityError:
        raise NoMoreSittings(_("This attempt was started a moment ago on another tap. Open "
                               "the exam page again.")) from None
    return attempt
