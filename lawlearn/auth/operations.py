"""Logging in and out, and creating accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash

from lawlearn.audit import record
from lawlearn.auth.passwords import password_problem
from lawlearn.extensions import db
from lawlearn.models import Area, LoginSession, StudyUnit, User
from lawlearn.models.base import utcnow


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class LoginCheck:
    """What a username and password amount to: `user` is set when the account exists (whether
    or not the password matched), `ok` when they may log in, `disabled` when the password was
    right but the account is switched off (said only to someone who knows the password)."""

    user: User | None
    ok: bool = False
    disabled: bool = False


def _dummy_hash() -> str:
    """A hash made the same way as a real one (same method, same cost), computed once per
    app: checking a password against it makes an unknown username take as long as a known
    one, so response times don't tell which names exist."""
    cached = current_app.extensions.get("lawlearn_dummy_hash")
    if cached is None:
        stand_in = User()
        stand_in.set_password(secrets.token_urlsafe(24))
        cached = current_app.extensions["lawlearn_dummy_hash"] = stand_in.password_hash
    return cached


def authenticate(username: str, password: str) -> LoginCheck:
    user = db.session.scalar(sa.select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return LoginCheck(None)
    if not user.check_password(password):
        return LoginCheck(user)
    if not user.active:
        return LoginCheck(user, disabled=True)
    return LoginCheck(user, ok=True)


def start_login(user: User) -> LoginSession:
    login = LoginSession(user=user)
    user.last_login_at = utcnow()
    db.session.add(login)
    db.session.flush()
    return login


def end_login(login: LoginSession) -> None:
    login.ended_at = utcnow()


def end_all_logins(user: User) -> None:
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    area: Area | None = None,
    units: list[StudyUnit] | None = None,
    display_name: str | None = None,
    actor: User | None = None,
) -> User:
    """A new account. Coordinators need a town; leaders need at least one unit."""
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise AccountError(f"username {username!r} is taken")
    if problem := password_problem(password, username):
        raise AccountError(problem)
    if role == "coordinator" and (area is None or area.level != "town"):
        raise AccountError("a coordinator needs a town (--area CODE of a town)")
    if role == "leader" and not units:
        raise AccountError("a leader needs at least one study unit (--unit CODE)")
    if role == "admin" and area is not None and area.level != "county":
        raise AccountError("an admin's area must be a county")
    user = User(username=username, role=role, area=area, units=list(units or []),
                display_name=display_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor, "create", user, changes={"role": role, "area": area.code if area else None,
                                           "units": [u.code for u in units or []]})
    return user


# --- changing and resetting passwords ---------------------------------------------------------

# Letters and digits nobody misreads when copying from a screen (no 0/o, 1/l/i).
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """Four groups of four random characters, e.g. `k7mq-3xtv-h9pe-w2ra`: ~79 bits, easy to
    read out over the phone."""
    while True:
        groups = ["".join(secrets.choice(_OTP_ALPHABET) for _ in range(4)) for _ in range(4)]
        password = "-".join(groups)
        if password_problem(password) is None:  # a random draw is never a pattern, but check
            return password


def change_password(user: User, new_password: str, *, keep: LoginSession | None = None,
                    address: str | None = None) -> None:
    """The holder chose a new password (the caller checked the current one and the rule).
    Every other login of the account ends: whoever knew the old password is out."""
    user.set_password(new_password)
    user.must_change_password = False
    stale = sa.update(LoginSession).where(LoginSession.user_id == user.id,
                                          LoginSession.ended_at.is_(None))
    if keep is not None:
        stale = stale.where(LoginSession.id != keep.id)
    db.session.execute(stale.values(ended_at=utcnow()))
    record(user, "change_password", user, address=address)


def reset_password(user: User, *, actor, address: str | None = None) -> str:
    """Give the account a one-time password that must be changed at the next login; its
    logins end. Returns the password, to be shown once and never stored in the clear."""
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    end_all_logins(user)
    record(actor, "reset_password", user, address=address)
    return password
