"""Certificates of the annual exam: the signed serial, the score band, the masked name.

A certificate is not stored: it is a passing sitting, named by a serial that carries the exam's
year and the sitting's id and ends in an HMAC of both under the app's SECRET_KEY. Anyone may
read a serial off paper and check it on the verification page, but nobody without the key can
make a new one: change one character and the signature no longer matches, and the page answers
"not found" exactly as for a serial that never existed (a 404 either way, so a forger learns
nothing). Rotating SECRET_KEY therefore invalidates printed certificates, as it invalidates
the participants' phone hashes.

Kept apart from other signed links (the recognised-unit plaques) on purpose: the message is
prefixed with its purpose, so a signature made for one kind of object never verifies another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import sqlalchemy as sa
from flask import current_app

from lawlearn.extensions import db
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import Attempt, Exam, ExamSitting

PURPOSE = b"lawlearn/exam-certificate/v1:"
SIGNATURE_LENGTH = 10  # base32 characters: 50 bits, beyond guessing through a rate limit
SERIAL = re.compile(rf"(\d{{4}})-(\d{{1,9}})-([A-Z2-7]{{{SIGNATURE_LENGTH}}})")

EXCELLENT, GOOD = 90, 80
BANDS = {"excellent": _l("Excellent"), "good": _l("Good"), "pass": _l("Pass")}


def _signature(payload: str, secret: str | None = None) -> str:
    key = (secret or current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, PURPOSE + payload.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:SIGNATURE_LENGTH]


def serial_for(year: int, sitting_id: int) -> str:
    payload = f"{year:04d}-{sitting_id}"
    return f"{payload}-{_signature(payload)}"


def read_serial(serial: str) -> tuple[int, int] | None:
    """(year, sitting id) of a genuine serial; None for anything else."""
    found = SERIAL.fullmatch(serial or "")
    if found is None:
        return None
    year, sitting_id, signature = found.groups()
    if not hmac.compare_digest(signature, _signature(f"{year}-{sitting_id}")):
        return None
    return int(year), int(sitting_id)


def band(score: float, pass_score: int) -> str | None:
    """The band a certificate shows instead of the score: excellent ≥ 90, good ≥ 80, pass ≥
    the exam's pass mark; None below it (no certificate)."""
    if score < pass_score:
        return None
    if score >= EXCELLENT:
        return "excellent"
    return "good" if score >= GOOD else "pass"


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明: enough for the holder and whoever checks
    the paper to recognise it, too little to find the person by."""
    name = "".join(name.split())
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def passing_sitting(serial: str) -> ExamSitting | None:
    """The sitting a genuine serial names, if it passed its exam; None for a forged, unknown
    or not-passing serial alike."""
    read = read_serial(serial)
    if read is None:
        return None
    year, sitting_id = read
    return db.session.scalar(
        sa.select(ExamSitting).join(ExamSitting.exam).join(ExamSitting.attempt)
        .where(ExamSitting.id == sitting_id, Exam.year == year,
               Attempt.submitted_at.is_not(None), Attempt.score >= Exam.pass_score)
        .options(sa.orm.contains_eager(ExamSitting.exam),
                 sa.orm.contains_eager(ExamSitting.attempt),
                 sa.orm.joinedload(ExamSitting.person)))
