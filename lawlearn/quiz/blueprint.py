"""The quiz blueprint. Staff pages need a login; the participants' pages (/q/…) do not, and
they expose only what their link's token gives: a quiz by its slug, an attempt by its token."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_login import current_user

bp = Blueprint("quiz", __name__)

PUBLIC_ENDPOINTS = frozenset({"quiz.public_index", "quiz.start", "quiz.continue_as",
                              "quiz.attempt", "quiz.submit", "quiz.save", "quiz.result"})


@bp.before_request
def signed_in():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None
