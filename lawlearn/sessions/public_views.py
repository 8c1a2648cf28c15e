"""Check-in by a study session's QR code: the participants' pages (no account) at /s/<token>.

A blueprint of its own (`checkin`, one of lawlearn.public.PARTICIPANT_BLUEPRINTS) rather than
part of the staff `sessions` blueprint: the staff blueprint's login guard then covers every one
of its endpoints, with no list of exceptions to keep in step. The QR code's token is the key:
it gives the study session and nothing else.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, url_for
from flask import session as browser_session

from lawlearn import period_locks, public_limits
from lawlearn.extensions import db, limiter
from lawlearn.models import Attendance, Person, StudySession
from lawlearn.participants import NameConflict
from lawlearn.sessions import operations, queries
from lawlearn.sessions.checkin import checkin_window
from lawlearn.sessions.forms import CheckinForm

bp = Blueprint("checkin", __name__)


def study_session_by_token(token: str) -> StudySession:
    """The study session a QR code's token names; 404 for any other token."""
    study_session = queries.by_checkin_token(token)
    if study_session is None:
        abort(404)
    return study_session


def quiz_links(study_session: StudySession) -> list[tuple[str, str]]:
    """A quiz for each topic of the study session (a bank's slug is its topic code)."""
    return [(topic, url_for("quiz_public.start", slug=topic, s=study_session.checkin_token))
            for topic in study_session.topics]


@bp.route("/s/<token>", methods=["GET", "POST"])
@limiter.limit(public_limits.checkin_person_limit, key_func=public_limits.checkin_person_key,
               methods=["POST"])
@limiter.limit(public_limits.checkin_address_limit, methods=["POST"])
def checkin(token: str):
    study_session = study_session_by_token(token)
    # A locked period: the participants' error page says which, and nothing is written.
    period_locks.check(db.session, study_session.unit.area_id, study_session.held_on)
    window = checkin_window(study_session.held_on)
    state = window.state()
    form = CheckinForm()
    if state != "open":
        status = 403 if form.is_submitted() else 200
        return render_template("sessions/checkin.html", study=study_session, window=window,
                               state=state, form=None), status
    if form.validate_on_submit():
        try:
            person, _changed = operations.check_in(study_session, name=form.name.data,
                                                   mobile=form.mobile.data)
        except NameConflict as conflict:
            db.session.rollback()
            form.name.errors.append(str(conflict))
        else:
            # Read before the commit expires it: reading it after would check a second
            # connection out of the pool for one SELECT.
            person_id = person.id
            db.session.commit()
            browser_session["participant_id"] = person_id
            return redirect(url_for("checkin.checked_in", token=token))
    return render_template("sessions/checkin.html", study=study_session, window=window,
                           state=state, form=form), 400 if form.errors else 200


@bp.get("/s/<token>/done")
def checked_in(token: str):
    study_session = study_session_by_token(token)
    person_id = browser_session.get("participant_id")
    attended = person_id is not None and db.session.scalar(sa.select(Attendance.id).where(
        Attendance.session_id == study_session.id, Attendance.person_id == person_id))
    if not attended:
        return redirect(url_for("checkin.checkin", token=token))
    # `study`, not `session`: the participants' layout reads Flask's session.
    return render_template("sessions/checked_in.html", study=study_session,
                           person=db.session.get(Person, person_id),
                           quizzes=quiz_links(study_session))
