"""The recognition's public token: its id signed with the app's secret key (itsdangerous), so
the address on a plaque cannot be edited into another recognition's, and no table of tokens is
needed. The salt keeps these signatures apart from every other use of the secret key.

A key in SECRET_KEY_FALLBACKS still verifies (itsdangerous tries every key, newest last), so
plaques printed before a key rotation keep working while the old key stays listed.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "lawlearn.recognition.plaque"


def _serializer() -> URLSafeSerializer:
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or []),
            current_app.config["SECRET_KEY"]]
    return URLSafeSerializer(keys, salt=SALT)


def token_for(recognition_id: int) -> str:
    return _serializer().dumps(recognition_id)


def recognition_id_from(token: str) -> int | None:
    """The id a genuine token carries, or None for anything forged, edited or malformed."""
    if not token or len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
