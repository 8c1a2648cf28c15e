"""Rate limits on the participants' pages (QR check-in, starting a quiz).

A village hall puts thirty or sixty people on one Wi-Fi address within a minute, so a limit per
address alone refuses honest people (4 of 30 check-ins got 429 under the old 20 a minute). The
limits are therefore per person: the study session (its check-in token or the quiz link's `s`)
and the mobile number typed in, keyed by the same HMAC the database keeps, never the number
itself. A per-address ceiling stays, high enough for 60 people a minute with retries, to stop a
script. Every figure comes from the environment (config.py).
"""

from __future__ import annotations

import hashlib

from flask import current_app, request, session

from lawlearn.models.people import hash_mobile
from lawlearn.validation import normalise_mobile


def _person() -> str:
    """Who the POST says they are: their mobile's HMAC, or a hash of what was typed when it is
    not a mobile (a mistyped number is limited like any other)."""
    typed = (request.form.get("mobile") or "")[:40]
    mobile = normalise_mobile(typed)
    if mobile:
        return hash_mobile(mobile)[:32]
    return "typed-" + hashlib.sha256(typed.encode("utf-8", "replace")).hexdigest()[:24]


def checkin_person_key() -> str:
    token = (request.view_args or {}).get("token", "")[:64]
    return f"checkin/{token}/{_person()}"


def quiz_person_key() -> str:
    slug = (request.view_args or {}).get("slug", "")[:64]
    study = (request.args.get("s") or "-")[:64]
    return f"quiz-start/{slug}/{study}/{_person()}"


def quiz_continue_key() -> str:
    """"Continue as" carries no mobile: the person is the one checked in on this phone."""
    slug = (request.view_args or {}).get("slug", "")[:64]
    return f"quiz-continue/{slug}/{session.get('participant_id')}"


def checkin_address_limit() -> str:
    return current_app.config["CHECKIN_ADDRESS_LIMIT"]


def checkin_person_limit() -> str:
    return current_app.config["CHECKIN_PERSON_LIMIT"]


def quiz_address_limit() -> str:
    return current_app.config["QUIZ_START_LIMIT"]


def quiz_person_limit() -> str:
    return current_app.config["QUIZ_START_PERSON_LIMIT"]
