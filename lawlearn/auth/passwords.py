from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from lawlearn.models.accounts import PASSWORD_MAX, PASSWORD_MIN


def password_problem(password: str) -> str | None:
    """Why a password is not acceptable, or None. Length is what matters (NIST SP 800-63B):
    no composition rules, which only push people to write passwords down."""
    if len(password) < PASSWORD_MIN:
        return _("A password needs at least %(n)d characters.", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _("A password can have at most %(n)d characters.", n=PASSWORD_MAX)
    return None


def hash_password(password: str) -> str:
    """The stored form of a password, by the app's PASSWORD_HASH_METHOD (scrypt unless a test
    configures a cheap one). The method is written into the hash, so a password hashed one way
    still checks after the setting changes."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
