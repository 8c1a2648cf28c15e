"""Flask-Login wiring: the cookie carries a LoginSession id, not the user id."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask_login import UserMixin, current_user
from sqlalchemy.orm import contains_eager

from lawlearn.extensions import db, login_manager
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.models import LoginSession, User


class CurrentUser(UserMixin):
    """What `current_user` is: the account plus the login it came through."""

    def __init__(self, login: LoginSession):
        self.login = login
        self.user = login.user

    def get_id(self) -> str:
        return self.login.id

    def __getattr__(self, name):
        return getattr(self.user, name)

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"

    @property
    def is_coordinator(self) -> bool:
        return self.user.role == "coordinator"

    @property
    def is_leader(self) -> bool:
        return self.user.role == "leader"


def load_login(login_id: str) -> CurrentUser | None:
    # The user comes from the join the query already makes (contains_eager): CurrentUser reads
    # `login.user`, which would otherwise be a second SELECT on every staff page.
    login = db.session.scalar(
        sa.select(LoginSession)
        .join(LoginSession.user)
        .options(contains_eager(LoginSession.user))
        .where(LoginSession.id == login_id, LoginSession.ended_at.is_(None), User.active)
    )
    return CurrentUser(login) if login else None


def init_login(app: Flask) -> None:
    # Flask-Login's own context processor hands templates `current_user` already loaded, so
    # every rendered page would read the login and its user, the participants' pages too
    # (lawlearn.public.PARTICIPANT_BLUEPRINTS), which never show it. The proxy instead loads
    # the account only when a template reads it (the staff layout does, on every page).
    login_manager.init_app(app, add_context_processor=False)
    app.context_processor(lambda: {"current_user": current_user})
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # The server-side LoginSession already ends stolen sessions on logout; "strong" would also
    # log out a phone whose IP changes between mobile cells, which village leaders' phones do.
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_login)
