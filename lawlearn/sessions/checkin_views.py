"""Check-in by QR code (public, no account), the QR image and the printable sign-in sheet."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, redirect, render_template, url_for
from flask import session as browser_session

from lawlearn import period_locks, public_limits, scope
from lawlearn.extensions import db, limiter
from lawlearn.models import Attendance, Person, StudySession
from lawlearn.participants import NameConflict
from lawlearn.sessions import operations, queries
from lawlearn.sessions.blueprint import bp
from lawlearn.sessions.checkin import checkin_window, qr_svg
from lawlearn.sessions.forms import CheckinForm
from lawlearn.units.queries import roster

SHEET_MIN_ROWS = 20   # the printed table is at least this long, blank rows for walk-ins
SHEET_BLANK_ROWS = 6  # and always has at least this many blank rows


def _checkin_url(session: StudySession) -> str:
    return url_for("sessions.checkin", token=session.checkin_token, _external=True)


@bp.get("/sessions/<int:session_id>/qr.svg")
def qr(session_id: int):
    session = scope.get_session_or_404(session_id)
    response = Response(qr_svg(_checkin_url(session)), mimetype="image/svg+xml")
    response.cache_control.private = True
    return response


def _sheet(unit, session: StudySession | None):
    members = db.session.scalars(roster(unit)).all()
    blank = max(SHEET_BLANK_ROWS, SHEET_MIN_ROWS - len(members))
    return render_template("sessions/sheet.html", unit=unit, session=session, members=members,
                           blank_rows=blank)


@bp.get("/sessions/<int:session_id>/sheet")
def sheet(session_id: int):
    session = scope.get_session_or_404(session_id)
    return _sheet(session.unit, session)


@bp.get("/units/<int:unit_id>/sheet")
def blank_sheet(unit_id: int):
    """A sheet for a meeting not logged yet: date and topic are written in by hand (sessions
    can't be dated in the future, so a planned meeting has no session and no QR code yet)."""
    return _sheet(scope.get_unit_or_404(unit_id), None)


# --- participants (no account) -----------------------------------------------------------------

def _session_by_token(token: str) -> StudySession:
    session = queries.by_checkin_token(token)
    if session is None:
        abort(404)
    return session


def _quiz_links(session: StudySession) -> list[tuple[str, str]]:
    """A quiz for each topic of the session (a bank's slug is its topic code)."""
    return [(topic, url_for("quiz_public.start", slug=topic, s=session.checkin_token))
            for topic in session.topics]


@bp.route("/s/<token>", methods=["GET", "POST"])
@limiter.limit(public_limits.checkin_person_limit, key_func=public_limits.checkin_person_key,
               methods=["POST"])
@limiter.limit(public_limits.checkin_address_limit, methods=["POST"])
def checkin(token: str):
    session = _session_by_token(token)
    # A locked period: the participants' error page says which, and nothing is written.
    period_locks.check(db.session, session.unit.area_id, session.held_on)
    window = checkin_window(session.held_on)
    state = window.state()
    form = CheckinForm()
    if state != "open":
        status = 403 if form.is_submitted() else 200
        return render_template("sessions/checkin.html", study=session, window=window,
                               state=state, form=None), status
    if form.validate_on_submit():
        try:
            person, _changed = operations.check_in(session, name=form.name.data,
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
            return redirect(url_for("sessions.checked_in", token=token))
    return render_template("sessions/checkin.html", study=session, window=window,
                           state=state, form=form), 400 if form.errors else 200


@bp.get("/s/<token>/done")
def checked_in(token: str):
    session = _session_by_token(token)
    person_id = browser_session.get("participant_id")
    attended = person_id is not None and db.session.scalar(sa.select(Attendance.id).where(
        Attendance.session_id == session.id, Attendance.person_id == person_id))
    if not attended:
        return redirect(url_for("sessions.checkin", token=token))
    # `study`, not `session`: the participants' layout reads Flask's session.
    return render_template("sessions/checked_in.html", study=session,
                           person=db.session.get(Person, person_id),
                           quizzes=_quiz_links(session))
