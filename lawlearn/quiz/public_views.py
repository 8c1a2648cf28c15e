"""The participants' quiz: choose a quiz, say who you are, answer, see the result. No account;
the pages work without JavaScript and inside WeChat's browser.

A blueprint of its own (`quiz_public`, one of lawlearn.public.PARTICIPANT_BLUEPRINTS) rather
than part of the staff `quiz` blueprint: the staff blueprint's login guard then covers every
one of its endpoints, and a new participant page cannot slip through an unlisted endpoint.
Only what a link's token gives is exposed: a quiz by its slug, an attempt by its token."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask import session as browser_session

from lawlearn import clock, public_limits
from lawlearn.extensions import csrf, db, limiter
from lawlearn.i18n import gettext as _
from lawlearn.models import Attempt, Attendance, Person, Quiz, StudySession
from lawlearn.models.base import utcnow
from lawlearn.participants import NameConflict, identify
from lawlearn.quiz import operations
from lawlearn.quiz.citations import cited_article
from lawlearn.quiz.forms import ContinueForm, StartForm, attempt_form, initial_data
from lawlearn.quiz.queries import attempt_by_token, public_quizzes, quiz_or_404
from lawlearn.sessions.queries import by_checkin_token

bp = Blueprint("quiz_public", __name__)


def _study_session() -> StudySession | None:
    """The session named by the link's `s` token (from its QR code), if any."""
    token = request.args.get("s")
    if not token:
        return None
    found = by_checkin_token(token)
    if found is None:
        abort(404)
    return found


def _checked_in() -> Person | None:
    """The participant who checked in on this phone (set by the sessions' check-in page)."""
    person_id = browser_session.get("participant_id")
    return db.session.get(Person, person_id) if isinstance(person_id, int) else None


def answer_text(kind: str, value) -> str:
    if value is None:
        return _("Not answered")
    if kind == "true_false":
        return _("True") if value else _("False")
    return "、".join(value) if isinstance(value, list) else value


@bp.get("/q/")
def public_index():
    return render_template("quiz/public/index.html", quizzes=public_quizzes())


def _checked_in_at(person: Person | None, study_session) -> bool:
    """Whether this phone's participant is checked in at the link's study session: only then
    does the page say "you checked in" (a quiz opened on its own has no check-in)."""
    if person is None or study_session is None:
        return False
    return db.session.scalar(sa.select(Attendance.id).where(
        Attendance.session_id == study_session.id, Attendance.person_id == person.id)) is not None


def _start_page(quiz: Quiz, study_session, *, form, person=None, refusal=None, status=200,
                limited=False):
    """The quiz's first page. At the daily limit (`limited`) it offers no start button, only
    when to come back and the way to let someone else take the quiz on this phone."""
    return render_template("quiz/public/start.html", quiz=quiz, study_session=study_session,
                           form=form, person=person, refusal=refusal, limited=limited,
                           checked_in=_checked_in_at(person, study_session),
                           again_on=clock.today() + timedelta(days=1)), status


@bp.route("/q/<slug>", methods=["GET", "POST"])
@limiter.limit(public_limits.quiz_person_limit, key_func=public_limits.quiz_person_key,
               methods=["POST"])
@limiter.limit(public_limits.quiz_address_limit, methods=["POST"])
def start(slug: str):
    quiz = quiz_or_404(slug, active_only=True)
    study_session = _study_session()
    person = None if request.args.get("other") else _checked_in()
    if person is not None and request.method == "GET":
        if operations.attempts_on(quiz, person.id, clock.today()) >= quiz.attempts_per_day:
            return _start_page(quiz, study_session, form=ContinueForm(), person=person,
                               refusal=str(operations.limit_reached(quiz)), limited=True)
        return _start_page(quiz, study_session, form=ContinueForm(), person=person)
    form = StartForm()
    if form.validate_on_submit():
        try:
            person = identify(form.name.data, form.mobile.data,
                              study_session.unit if study_session else None, public=True)
        except NameConflict as conflict:
            db.session.rollback()
            form.name.errors.append(str(conflict))
            return _start_page(quiz, study_session, form=form, status=400)
        return _begin(quiz, person, study_session, form)
    return _start_page(quiz, study_session, form=form, status=400 if form.errors else 200)


@bp.post("/q/<slug>/continue")
@limiter.limit(public_limits.quiz_person_limit, key_func=public_limits.quiz_continue_key)
@limiter.limit(public_limits.quiz_address_limit)
def continue_as(slug: str):
    quiz = quiz_or_404(slug, active_only=True)
    study_session = _study_session()
    person = _checked_in()
    form = ContinueForm()
    if person is None or not form.validate_on_submit():
        return redirect(url_for("quiz_public.start", slug=slug, s=request.args.get("s")))
    return _begin(quiz, person, study_session, form)


def _begin(quiz: Quiz, person: Person, study_session, form):
    try:
        attempt = operations.start_attempt(quiz, person, session=study_session)
    except operations.QuizError as error:
        db.session.rollback()
        shown = _checked_in() if isinstance(form, ContinueForm) else None
        limited = isinstance(error, operations.AttemptLimitReached)
        return _start_page(quiz, study_session, form=form, person=shown, refusal=str(error),
                           status=429 if limited else 409, limited=limited)
    token = attempt.token  # before the commit expires it (no second connection after it)
    db.session.commit()
    return redirect(url_for("quiz_public.attempt", token=token))


def _form_for(attempt: Attempt, **kwargs):
    return attempt_form(attempt.items, _("True"), _("False"), **kwargs)


def _open_or_result(attempt: Attempt):
    """Close an attempt found past its deadline; a redirect to its result once closed."""
    if operations.close_if_expired(attempt):
        db.session.commit()
    if attempt.finished:
        return redirect(url_for("quiz_public.result", token=attempt.token))
    return None


@bp.get("/q/a/<token>")
def attempt(token: str):
    found = attempt_by_token(token)
    if done := _open_or_result(found):
        return done
    return _attempt_page(found, _form_for(found, data=initial_data(found.items)))


def _attempt_page(found: Attempt, form, status: int = 200):
    remaining = (found.deadline_at - utcnow()).total_seconds()
    return render_template("quiz/public/attempt.html", attempt=found, form=form,
                           remaining=max(int(remaining), 0)), status


@bp.post("/q/a/<token>")
@csrf.exempt
def submit(token: str):
    found = attempt_by_token(token)
    if found.finished:
        return redirect(url_for("quiz_public.result", token=token))
    form = _form_for(found)
    if not form.validate():
        return _attempt_page(found, form, 400)
    # A locked day is refused at commit by the ledger's backstop (lawlearn.period_locks):
    # the participants' error page names the period, and nothing is written.
    if operations.submit_attempt(found, form.responses()):
        db.session.commit()
    else:
        db.session.rollback()  # another request submitted it first: show that result
    return redirect(url_for("quiz_public.result", token=token))


@bp.post("/q/a/<token>/save")
@csrf.exempt
def save(token: str):
    """Answers so far, sent by quiz.js as they are ticked (204; 409 once closed).

    The large-text switch on the quiz page is a submit button of the answer form aimed here
    with `?large=1` (or 0): without JavaScript a link would reload the page and drop every
    ticked answer, so the switch saves them, sets the text size and shows the page again.
    """
    found = attempt_by_token(token)
    form = _form_for(found)
    switch = request.args.get("large")
    if switch in ("0", "1"):
        browser_session["large_text"] = switch == "1"
        if not found.finished and form.validate() and operations.save_responses(
                found, form.responses()):
            db.session.commit()
        else:
            db.session.rollback()
        return redirect(url_for("quiz_public.attempt", token=token), 303)
    if found.finished:
        return "", 409
    if not form.validate():
        return "", 400
    if operations.save_responses(found, form.responses()):
        db.session.commit()
        return "", 204
    db.session.rollback()
    return "", 409


@bp.get("/q/r/<token>")
def result(token: str):
    found = attempt_by_token(token)
    if operations.close_if_expired(found):
        db.session.commit()
    if not found.finished:
        return redirect(url_for("quiz_public.attempt", token=token))
    # The article each answer rests on, from the law texts shipped with the app, so a
    # participant can read the law itself and not only our summary of it.
    # An annual exam's sitting: the exam's verdict and the way back to it, not "try again".
    from lawlearn.exams.public_views import result_box

    exam_box = result_box(found)
    return render_template("quiz/public/result.html", attempt=found, answer_text=answer_text,
                           attempts_left=0 if exam_box else _attempts_left(found),
                           cited_article=cited_article, exam_box=exam_box)


def _attempts_left(found: Attempt) -> int:
    used = operations.attempts_on(found.quiz, found.person_id, clock.today())
    return max(found.quiz.attempts_per_day - used, 0)
