"""Reading quizzes and attempts, scoped to what the signed-in user may see.

Attempts are seen through the unit they count for (a coordinator: their town's units; a leader:
their own units). An attempt linked to no unit (a public attempt by someone no unit knows) is
seen by the county office only.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import Attempt, Question, Quiz, QuizPart, StudyUnit


def _user(actor=None):
    from flask_login import current_user

    actor = actor if actor is not None else current_user
    return getattr(actor, "user", actor)


def attempt_filter(actor=None) -> sa.ColumnElement[bool]:
    user = _user(actor)
    if user.role == "admin" and user.area is None:
        return sa.true()
    in_units = Attempt.unit_id.in_(sa.select(StudyUnit.id).where(scope.unit_filter(actor)))
    if user.role == "admin":
        return sa.or_(Attempt.unit_id.is_(None), in_units)
    return in_units


def quiz_or_404(slug: str, *, active_only: bool = False) -> Quiz:
    """`active_only` is the participants' way in: the quiz is read with its parts (a mixed
    paper's), which drawing the questions needs, in the same statement."""
    quiz = db.session.scalars(_quiz_statement(active_only), {"slug": slug}).unique().first()
    if quiz is None:
        abort(404)
    return quiz


@functools.cache
def _quiz_statement(active_only: bool):
    stmt = sa.select(Quiz).where(Quiz.slug == sa.bindparam("slug"))
    if active_only:
        stmt = stmt.where(Quiz.active).options(joinedload(Quiz.parts))
    return stmt


def quiz_list(*, topic: str | None = None, q: str | None = None) -> sa.Select:
    stmt = sa.select(Quiz).order_by(Quiz.topic, Quiz.slug)
    if topic:
        stmt = stmt.where(Quiz.topic == topic)
    if q:
        stmt = stmt.where(sa.or_(Quiz.title.contains(q, autoescape=True),
                                 Quiz.slug.contains(q, autoescape=True)))
    return stmt


def public_quizzes() -> list[Quiz]:
    """Active quizzes with at least one active question (a mixed paper: a part), for
    participants to choose from."""
    has_questions = sa.select(Question.id).where(Question.quiz_id == Quiz.id, Question.active)
    has_parts = sa.select(QuizPart.id).where(QuizPart.paper_id == Quiz.id)
    return list(db.session.scalars(
        sa.select(Quiz).where(Quiz.active, sa.or_(has_questions.exists(), has_parts.exists()))
        .order_by(Quiz.topic, Quiz.slug)))


def question_counts(quiz_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(Question.quiz_id, sa.func.count()).where(
            Question.quiz_id.in_(quiz_ids), Question.active).group_by(Question.quiz_id)).all())


def bank_questions(quiz: Quiz) -> list[Question]:
    """Active questions in bank order, then the retired ones (old attempts still cite them)."""
    return list(db.session.scalars(sa.select(Question).where(Question.quiz_id == quiz.id)
                                   .order_by(Question.active.desc(), Question.position,
                                             Question.id)))


def attempt_by_token(token: str) -> Attempt:
    # With its quiz (the pass mark, the title): one statement fewer, and grading reads the
    # pass mark without an autoflush that would split the attempt's UPDATE in two.
    attempt = db.session.scalar(_attempt_by_token(), {"token": token})
    if attempt is None:
        abort(404)
    return attempt


@functools.cache
def _attempt_by_token():
    """Built once: every page and write of a participant's attempt reads it."""
    return (sa.select(Attempt).where(Attempt.token == sa.bindparam("token"),
                                     Attempt.method == "online")
            .options(sa.orm.joinedload(Attempt.quiz)))


def session_results(session_id: int) -> list[Attempt]:
    """Every result recorded for a session, online and paper, with its quiz and person."""
    return list(db.session.scalars(
        sa.select(Attempt).where(Attempt.session_id == session_id, Attempt.score.is_not(None))
        .options(sa.orm.joinedload(Attempt.person), sa.orm.joinedload(Attempt.quiz))
        .order_by(Attempt.quiz_id, Attempt.id)))
