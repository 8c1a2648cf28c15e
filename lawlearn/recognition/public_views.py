"""The public verification page a plaque's QR code opens: no account, no personal data.

The address carries the recognition's id signed with the app's secret key
(lawlearn.recognition.signing): an edited, forged or unknown token, or a recognition that was
never approved (a nomination, a rejection), is one and the same 404 page, so the page tells
nothing about what exists. It shows the unit's name, kind and title, area, year and standing
(valid, expired, revoked with the day), never the leader's name or phone.

Limited per address (RECOGNITION_VERIFY_LIMIT) like the participants' pages: a plaque is
scanned by a person now and then; a script walking tokens is refused early.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from sqlalchemy.orm import joinedload

from lawlearn import clock
from lawlearn.extensions import db, limiter
from lawlearn.models import Recognition, StudyUnit
from lawlearn.recognition import queries, words
from lawlearn.recognition.signing import recognition_id_from

bp = Blueprint("recognition_public", __name__)


def verify_limit() -> str:
    return current_app.config["RECOGNITION_VERIFY_LIMIT"]


def _not_found():
    return render_template("recognition/not_found.html"), 404


@bp.get("/verify/recognition/<token>")
@limiter.limit(verify_limit)
def verify(token: str):
    recognition_id = recognition_id_from(token)
    if recognition_id is None:
        return _not_found()
    recognition = db.session.scalar(
        sa.select(Recognition).options(joinedload(Recognition.unit).joinedload(StudyUnit.area))
        .where(Recognition.id == recognition_id,
               Recognition.status.in_(words.PUBLIC_STATUSES)))
    if recognition is None:
        return _not_found()
    unit = recognition.unit
    today = clock.today()
    response = render_template(
        "recognition/verify.html", recognition=recognition, unit=unit,
        standing=words.standing(recognition.status, recognition.year, today),
        area_line=queries.area_line(unit.area), issuer=queries.issuer(unit.area), today=today)
    return response
