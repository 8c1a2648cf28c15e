"""The participants' side of the annual exam: the exam's link (/x/<token>), who you are, the
first attempt or the make-up, your standing, and the printable certificate.

No account: a candidate is recognised by name and mobile as on every participants' page
(lawlearn.participants), and must already be on the exam's roster: these pages never create a
person. The attempt itself is an ordinary quiz attempt (quiz_public.attempt, quiz_public.result).
"""

from __future__ import annotations

import base64
import hashlib

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask import session as browser_session

from lawlearn import clock, public_limits
from lawlearn.exams import certificates, operations
from lawlearn.exams.forms import ContinueForm, StartForm
from lawlearn.extensions import db, limiter
from lawlearn.models import Exam, Person
from lawlearn.models.people import hash_mobile
from lawlearn.participants import find_person, same_name
from lawlearn.quiz.operations import AttemptLimitReached, QuizError
from lawlearn.sessions.checkin import qr_svg
from lawlearn.validation import normalise_mobile

bp = Blueprint("exam_public", __name__)
REMEMBERED = "exam_candidate"  # {exam id: person id} of this phone's candidate


def exam_person_key() -> str:
    """Per exam and mobile (its HMAC, never the number): a village hall on one Wi-Fi address
    is not one person."""
    token = (request.view_args or {}).get("token", "")[:64]
    typed = (request.form.get("mobile") or "")[:40]
    mobile = normalise_mobile(typed)
    who = hash_mobile(mobile)[:32] if mobile else hashlib.sha256(typed.encode()).hexdigest()[:24]
    return f"exam-start/{token}/{who}"


def exam_by_token(token: str) -> Exam:
    exam = db.session.scalar(sa.select(Exam).where(Exam.token == token)
                             .options(sa.orm.joinedload(Exam.quiz)))
    if exam is None:
        abort(404)
    return exam


def _remembered(exam: Exam) -> Person | None:
    person_id = (browser_session.get(REMEMBERED) or {}).get(str(exam.id))
    return db.session.get(Person, person_id) if isinstance(person_id, int) else None


def _remember(exam: Exam, person: Person) -> None:
    browser_session[REMEMBERED] = {**(browser_session.get(REMEMBERED) or {}),
                                   str(exam.id): person.id}


def _standing(exam: Exam, person: Person | None) -> dict | None:
    """What this candidate has done and may do next, for the exam page."""
    if person is None:
        return None
    sittings = operations.sittings(exam, person)
    passing = next((s for s in sittings if operations.sitting_passed(exam, s.attempt)), None)
    open_one = next((s for s in sittings if not s.attempt.finished), None)
    return {"sittings": sittings, "passing": passing, "open": open_one,
            "serial": certificates.serial_for(exam.year, passing.id) if passing else None,
            "may_sit": passing is None and (open_one is not None
                                             or len(sittings) < operations.MAKE_UP)}


def _page(exam: Exam, *, form, person=None, refusal=None, status=200):
    return render_template("exams/public/exam.html", exam=exam, form=form, person=person,
                           refusal=refusal, standing=_standing(exam, person),
                           state=operations.window_state(exam, clock.utcnow()),
                           band_label=certificates.BANDS), status


def _status_of(error: Exception) -> int:
    if isinstance(error, operations.NotEligible | operations.NotOpenYet | operations.Closed):
        return 403
    return 429 if isinstance(error, AttemptLimitReached) else 409


def _sit(exam: Exam, person: Person | None, form):
    try:
        attempt = operations.start_sitting(exam, person)
    except (operations.ExamError, QuizError) as error:
        db.session.rollback()
        shown = person if isinstance(form, ContinueForm) else None
        return _page(exam, form=form, person=shown, refusal=str(error),
                     status=_status_of(error))
    _remember(exam, person)
    token = attempt.token
    db.session.commit()
    return redirect(url_for("quiz_public.attempt", token=token))


@bp.route("/x/<token>", methods=["GET", "POST"])
@limiter.limit(public_limits.quiz_person_limit, key_func=exam_person_key, methods=["POST"])
@limiter.limit(public_limits.quiz_address_limit, methods=["POST"])
def start(token: str):
    exam = exam_by_token(token)
    person = None if request.args.get("other") else _remembered(exam)
    if person is not None and request.method == "GET":
        return _page(exam, form=ContinueForm(), person=person)
    form = StartForm()
    if not form.validate_on_submit():
        return _page(exam, form=form, status=400 if form.errors else 200)
    found = find_person(form.name.data, form.mobile.data, None)
    if found is not None and not same_name(found.name, form.name.data):
        found = None  # a number under another name is not this candidate; say no more
    return _sit(exam, found, form)


@bp.post("/x/<token>/continue")
@limiter.limit(public_limits.quiz_address_limit)
def continue_as(token: str):
    exam = exam_by_token(token)
    person = _remembered(exam)
    form = ContinueForm()
    if person is None or not form.validate_on_submit():
        return redirect(url_for("exam_public.start", token=token))
    return _sit(exam, person, form)


def certificate_facts(sitting) -> dict:
    """What a certificate and its verification page show: nothing else personal."""
    exam = sitting.exam
    return {"name": certificates.mask_name(sitting.person.name), "exam": exam.name,
            "year": exam.year,
            "band": certificates.BANDS[certificates.band(sitting.attempt.score,
                                                         exam.pass_score)],
            "date": clock.local(sitting.attempt.submitted_at).date()}


def not_found():
    return render_template("exams/public/not_found.html"), 404


@bp.get("/x/certificate/<serial>")
@limiter.limit(public_limits.quiz_address_limit)
def certificate(serial: str):
    sitting = certificates.passing_sitting(serial)
    if sitting is None:
        return not_found()
    url = url_for("exam_verify.verify", serial=serial, _external=True)
    qr = base64.b64encode(qr_svg(url)).decode()
    return render_template("exams/public/certificate.html", facts=certificate_facts(sitting),
                           serial=serial, verify_url=url, qr=qr)


def result_box(attempt) -> dict | None:
    """For the quiz's result page: the exam this attempt was a sitting of, if any, with the
    verdict by the exam's pass mark and the way back to the exam page."""
    from lawlearn.models import ExamSitting

    sitting = db.session.scalar(sa.select(ExamSitting).where(
        ExamSitting.attempt_id == attempt.id).options(sa.orm.joinedload(ExamSitting.exam)))
    if sitting is None:
        return None
    return {"exam": sitting.exam, "seq": sitting.seq,
            "passed": operations.sitting_passed(sitting.exam, attempt)}
