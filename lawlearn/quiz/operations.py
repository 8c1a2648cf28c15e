"""Taking a quiz online: start an attempt, save answers as they are given, submit once.
Callers commit.

Submitting is idempotent in the database itself: the attempt is claimed with
`UPDATE attempts SET submitted_at = … WHERE id = … AND submitted_at IS NULL`, and only the
request whose update touched the row grades it. A double tap, a refresh, two tabs or two
servers therefore give one result, whichever request arrives first.
"""

from __future__ import annotations

import functools
import random
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from lawlearn import clock, ledger
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Attempt, AttemptItem, Person, Question, Quiz, StudySession
from lawlearn.models.base import utcnow
from lawlearn.quiz.scoring import is_correct, normalise_response, passed, score, shuffle_options

# A submission sent at the deadline still arrives a little after it on a slow village network.
GRACE = timedelta(seconds=60)
DAY_SLOT = "uq_attempts_quiz_id_person_id_taken_on_day_seq"


class QuizError(ValueError):
    """The attempt can't go ahead; the message says why, in the participant's language."""


class AttemptLimitReached(QuizError):
    """Today's attempts at this quiz are used up."""


def attempts_on(quiz: Quiz, person_id: int, day: date) -> int:
    """Online attempts only: paper results typed in by staff are a record of a sheet filled in
    at a meeting, not a try at the online quiz, and must not use up a villager's attempts."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.person_id == person_id, Attempt.taken_on == day,
        Attempt.method == "online")) or 0


def _taken_slots(quiz: Quiz, person: Person, day: date) -> set[int]:
    return set(db.session.scalars(sa.select(Attempt.day_seq).where(
        Attempt.quiz_id == quiz.id, Attempt.person_id == person.id, Attempt.taken_on == day,
        Attempt.day_seq.is_not(None))))


def _slot_taken(error: IntegrityError) -> bool:
    """The insert lost the race for its day slot (rather than breaking another rule)."""
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    return constraint == DAY_SLOT or "attempts.day_seq" in str(error.orig)


def _drawn_questions(quiz: Quiz, rng: random.Random) -> list[sa.Row]:
    """`quiz.draw` of its active questions; for a mixed paper, each part's count from its bank
    (all of a bank's questions when it has fewer now), mixed together.

    The draw is made from the questions' ids and only the drawn ones are read in full: a bank
    holds 50 to 146 questions, and loading each as an object to keep ten was most of a quiz
    start. (The same `rng` draws the same questions as it did from whole objects.)"""
    parts = [(quiz.id, quiz.draw)] if not quiz.parts else \
        [(part.bank_id, part.count) for part in quiz.parts]
    pools: dict[int, list[int]] = {bank_id: [] for bank_id, _n in parts}
    for question_id, bank_id in db.session.execute(_question_statement("pools"),
                                                   {"banks": list(pools)}):
        pools[bank_id].append(question_id)
    drawn = [q for bank_id, n in parts
             for q in rng.sample(pools[bank_id], min(n, len(pools[bank_id])))]
    if quiz.parts:
        rng.shuffle(drawn)
    if not drawn:
        return []
    rows = {row.id: row for row in db.session.execute(_question_statement("drawn"),
                                                       {"ids": drawn})}
    return [rows[question_id] for question_id in drawn]


@functools.cache
def _question_statement(name: str):
    """Built once per process (see lawlearn.ledger.figures for why)."""
    if name == "pools":
        return (sa.select(Question.id, Question.quiz_id)
                .where(Question.quiz_id.in_(sa.bindparam("banks", expanding=True)),
                       Question.active)
                .order_by(Question.position))
    return (sa.select(Question.id, Question.kind, Question.stem, Question.options,
                      Question.answer, Question.explanation, Question.source)
            .where(Question.id.in_(sa.bindparam("ids", expanding=True))))


def draw_items(quiz: Quiz, rng: random.Random) -> list[dict]:
    """`quiz.draw` active questions in random order, each with its options shuffled, as the
    values of AttemptItem (also kept by paper sheets)."""
    questions = _drawn_questions(quiz, rng)
    if not questions:
        raise QuizError(_("This quiz has no questions yet."))
    items = []
    for position, q in enumerate(questions, 1):
        options, answer, option_map = shuffle_options(q.kind, list(q.options or []), q.answer,
                                                      rng)
        items.append({"position": position, "question_id": q.id, "kind": q.kind,
                      "stem": q.stem, "options": options, "answer": answer,
                      "explanation": q.explanation, "source": q.source,
                      "option_map": option_map})
    return items


def start_attempt(quiz: Quiz, person: Person, *, session: StudySession | None = None,
                  now: datetime | None = None, rng: random.Random | None = None) -> Attempt:
    """A new online attempt in the first free slot of today's `attempts_per_day`.

    The limit holds under simultaneous starts because each slot (`day_seq`) is a unique key:
    of two requests that both saw slot 2 free, one inserts it and the other's insert fails in
    its savepoint, so it tries slot 3, then gives up with the usual "come back tomorrow".
    """
    now = now or utcnow()
    today = clock.local(now).date()  # the daily limit and `taken_on` go by Beijing's day
    taken = _taken_slots(quiz, person, today)
    free = [seq for seq in range(1, quiz.attempts_per_day + 1) if seq not in taken]
    if not free:
        raise limit_reached(quiz)
    items = draw_items(quiz, rng or random.SystemRandom())
    for seq in free:
        attempt = Attempt(quiz=quiz, person=person, session=session, method="online",
                          unit_id=session.unit_id if session is not None else person.home_unit_id,
                          taken_on=today, day_seq=seq, started_at=now,
                          deadline_at=now + timedelta(minutes=quiz.time_limit_minutes))
        try:
            with db.session.begin_nested():
                db.session.add(attempt)
                db.session.flush()
                # The items in one executemany (the ORM inserts them one by one on SQLite,
                # to read each id back); `attempt.items` loads them when asked.
                db.session.execute(sa.insert(AttemptItem),
                                   [{**item, "attempt_id": attempt.id} for item in items])
        except IntegrityError as error:
            if not _slot_taken(error):
                raise
            continue  # someone else's start took this slot meanwhile
        return attempt
    raise limit_reached(quiz)


def limit_reached(quiz: Quiz) -> AttemptLimitReached:
    return AttemptLimitReached(_("You have taken this quiz %(n)d times today, the most "
                                 "allowed. Please come back tomorrow.", n=quiz.attempts_per_day))


def too_late(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


def _claim(attempt: Attempt, values: dict) -> bool:
    """Update the attempt only while it is open; True when this request did it. The row lock
    taken here also makes a concurrent submission wait for this transaction. With no
    `values` the update changes nothing: it only checks and holds."""
    done = db.session.execute(_claim_statement(tuple(sorted(values))),
                              {"attempt_id": attempt.id, **values})
    return done.rowcount == 1


@functools.cache
def _claim_statement(names: tuple[str, ...]):
    """On the table, built once per set of columns: an ORM-enabled UPDATE cost twice as much
    Python to run, and a submission runs two of these (see lawlearn.ledger.figures)."""
    table = Attempt.__table__
    stmt = table.update().where(table.c.id == sa.bindparam("attempt_id"),
                                table.c.submitted_at.is_(None))
    if not names:
        return stmt.values(deadline_at=table.c.deadline_at)
    return stmt.values({name: sa.bindparam(name) for name in names})


@functools.cache
def _grade_statement():
    table = Attempt.__table__
    return (table.update().where(table.c.id == sa.bindparam("attempt_id"))
            .values(score=sa.bindparam("score"), passed=sa.bindparam("passed")))


@functools.cache
def _answers_statement():
    table = AttemptItem.__table__
    return (table.update().where(table.c.id == sa.bindparam("item_id"))
            .values(response=sa.bindparam("item_response"),
                    correct=sa.bindparam("item_correct")))


def save_responses(attempt: Attempt, responses: dict[int, object], *,
                   now: datetime | None = None) -> bool:
    """Keep answers given so far (the page sends them as they are ticked), so an attempt
    closed at its deadline is graded on what was answered. False once closed or too late."""
    now = now or utcnow()
    # A no-op update, only to check "still open" and hold the row against a submission.
    if too_late(attempt, now) or not _claim(attempt, {}):
        return False
    for item in attempt.items:
        if item.position in responses:
            item.response = normalise_response(item.kind, responses[item.position])
    return True


def submit_attempt(attempt: Attempt, responses: dict[int, object] | None, *,
                   now: datetime | None = None) -> bool:
    """Grade the attempt; True when this call closed it, False when it was already closed.
    After the deadline (and its grace) only the answers saved in time count.

    A participant's own submission is graded first and claimed with its score in one UPDATE;
    one closed on its saved answers is claimed first, so a save still in flight is waited for
    and counted. Either way the answers are written in one statement, without the ORM's unit
    of work (a tenth of a submission's time), and the ledger is told of the attempt."""
    now = now or utcnow()
    # Open attempts have no score (only a correction outside the pages could give one): one
    # that has is recounted, as any other change to a counted attempt.
    counted_before = attempt.score is not None
    if too_late(attempt, now):
        responses = None
    if responses is None:
        if not _claim(attempt, {"submitted_at": now}):
            return False
        items, grade = _graded(attempt, None)
        db.session.execute(_grade_statement(), {"attempt_id": attempt.id, **grade})
    else:
        items, grade = _graded(attempt, responses)
        if not _claim(attempt, {"submitted_at": now, **grade}):
            return False
    db.session.execute(_answers_statement(), [
        {"item_id": i["id"], "item_response": i["response"], "item_correct": i["correct"]}
        for i in items])
    for item, values in zip(attempt.items, items, strict=True):
        set_committed_value(item, "response", values["response"])
        set_committed_value(item, "correct", values["correct"])
    for name, value in {"submitted_at": now, **grade}.items():
        set_committed_value(attempt, name, value)
    if counted_before:
        ledger.touch(attempts=[attempt.id], quiz_people=[attempt.person_id])
    else:  # its first score: the summaries move by exactly this attempt, with no recount
        ledger.add_scored(attempt.id, attempt.person_id, grade["score"], grade["passed"])
    return True


def _graded(attempt: Attempt, responses: dict[int, object] | None
            ) -> tuple[list[dict], dict]:
    """Each item's response and whether it is right (the saved response when `responses` is
    None), and the attempt's score and pass."""
    items = []
    for item in attempt.items:
        response = (item.response if responses is None
                    else normalise_response(item.kind, responses.get(item.position)))
        items.append({"id": item.id, "response": response,
                      "correct": is_correct(item.kind, item.answer, response)})
    result = score([item["correct"] for item in items])
    return items, {"score": result, "passed": passed(result, attempt.quiz.pass_score)}


def close_if_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return not attempt.finished and too_late(attempt, now) and submit_attempt(attempt, None,
                                                                              now=now)


def close_expired_attempts(now: datetime | None = None) -> int:
    """Close every open attempt past its deadline (for `lawlearn quiz close-expired`)."""
    now = now or utcnow()
    expired = db.session.scalars(sa.select(Attempt).where(
        Attempt.submitted_at.is_(None), Attempt.method == "online",
        Attempt.deadline_at < now - GRACE).order_by(Attempt.id)).all()
    return sum(1 for attempt in expired if submit_attempt(attempt, None, now=now))
