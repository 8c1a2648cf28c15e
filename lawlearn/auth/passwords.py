"""The one rule for a new password, used by `lawlearn create-user`, the accounts form and the
change and reset forms alike.

Length is what matters (NIST SP 800-63B): no composition rules, which only push people to write
passwords down; but a long password that everyone guesses first is refused: one character
repeated, a short unit repeated, a run like 123456789012 or abcdefghijkl, the username, a
well-known pattern from the shipped list (scripts/make_common_passwords.py makes it), and in
production the published demo password.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import generate_password_hash

from lawlearn.i18n import gettext as _
from lawlearn.models.accounts import PASSWORD_MAX, PASSWORD_MIN

COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text(encoding="utf-8").split())


def _repeats_a_short_unit(text: str) -> bool:
    """"aaaaaaaaaaaa", "abcabcabcabc", "121212121212": a unit of up to 4 characters repeated."""
    return any(len(text) % n == 0 and text == text[:n] * (len(text) // n)
               for n in range(1, 5))


def _is_a_run(text: str) -> bool:
    """"123456789012", "987654321098", "abcdefghijkl": each character one step from the last
    (digits wrap 9→0)."""
    steps = {(ord(b) - ord(a)) % (10 if a.isdigit() and b.isdigit() else 256)
             for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {9}, {255})


def _close_to_username(password: str, username: str) -> bool:
    """The username, or the username with a few characters added ("office2026")."""
    if len(username) < 3 or username not in password:
        return False
    return len(password.replace(username, "")) < 6


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why `password` is not acceptable for `username`, or None."""
    if len(password) < PASSWORD_MIN:
        return _("A password needs at least %(n)d characters.", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _("A password can have at most %(n)d characters.", n=PASSWORD_MAX)
    folded = password.casefold()
    if username and _close_to_username(folded, username.strip().casefold()):
        return _("A password must not be the username or close to it.")
    if _repeats_a_short_unit(folded) or _is_a_run(folded) or folded in common_passwords():
        return _("This password is one of the first that people guess. Choose another, for "
                 "example four or five unrelated words.")
    if current_app.config.get("PRODUCTION"):
        from lawlearn.demo import DEMO_PASSWORD

        if folded == DEMO_PASSWORD.casefold():
            return _("This is the published demo password; choose your own.")
    return None


def hash_password(password: str) -> str:
    """The stored form of a password, by the app's PASSWORD_HASH_METHOD (scrypt unless a test
    configures a cheap one). The method is written into the hash, so a password hashed one way
    still checks after the setting changes."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
