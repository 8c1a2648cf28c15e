"""The sessions blueprint. Staff pages need a login; the participants' check-in pages do not
(participants have no account), so the guard lets exactly those endpoints through."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_login import current_user

bp = Blueprint("sessions", __name__)

PUBLIC_ENDPOINTS = frozenset({"sessions.checkin", "sessions.checked_in"})


@bp.before_request
def signed_in():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None
