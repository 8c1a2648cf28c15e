"""The public verification page of exam certificates: whoever holds a printed certificate (an
employer, a village committee) scans its QR code or types its serial and sees whether it is
genuine. No login; rate-limited like the other participants' pages. It shows the masked name,
the exam, the score band and the date, nothing else; a forged or unknown serial is a 404."""

from __future__ import annotations

from flask import Blueprint, render_template

from lawlearn import public_limits
from lawlearn.exams import certificates
from lawlearn.exams.public_views import certificate_facts, not_found
from lawlearn.extensions import limiter

bp = Blueprint("exam_verify", __name__)


@bp.get("/verify/exam/<serial>")
@limiter.limit(public_limits.quiz_address_limit)
def verify(serial: str):
    sitting = certificates.passing_sitting(serial)
    if sitting is None:
        return not_found()
    return render_template("exams/public/verify.html", facts=certificate_facts(sitting),
                           serial=serial)
