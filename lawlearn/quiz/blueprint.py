"""The quiz blueprint: staff pages only (banks, statistics, paper quizzes), every one behind a
login. The participants' pages (/q/…) are the `quiz_public` blueprint
(lawlearn.quiz.public_views), so this guard has no exceptions to keep in step with them."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_login import current_user

bp = Blueprint("quiz", __name__)


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None
