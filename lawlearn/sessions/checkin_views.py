"""A study session's QR code image and the printable sign-in sheets: staff pages. The check-in
page the QR code opens is the participants' (lawlearn.sessions.public_views)."""

from __future__ import annotations

from flask import Response, render_template, url_for

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import StudySession
from lawlearn.sessions.blueprint import bp
from lawlearn.sessions.checkin import qr_svg
from lawlearn.units.queries import roster

SHEET_MIN_ROWS = 20   # the printed table is at least this long, blank rows for walk-ins
SHEET_BLANK_ROWS = 6  # and always has at least this many blank rows


def _checkin_url(session: StudySession) -> str:
    return url_for("checkin.checkin", token=session.checkin_token, _external=True)


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
