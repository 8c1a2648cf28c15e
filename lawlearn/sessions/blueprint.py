"""The sessions blueprint: staff pages only, every one behind a login. The participants'
check-in pages (/s/…) are the `checkin` blueprint (lawlearn.sessions.public_views), so this
guard has no exceptions to keep in step with them."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_login import current_user

bp = Blueprint("sessions", __name__)


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None
