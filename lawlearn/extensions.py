"""Bare extension instances, bound to an app in create_app (cookiecutter-flask's pattern)."""

from functools import cached_property

import flask_babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from lawlearn.models.base import Base

# A page number beyond this is read as page 1: no list has that many pages, and an offset
# computed from a 20-digit page number overflows the database's integers.
MAX_PAGE = 100_000


def page_number() -> int:
    """`?page=` within bounds (anything else is page 1), for every paginated list."""
    from flask import has_request_context, request

    from lawlearn.validation import bounded_int

    if not has_request_context():
        return 1
    return request.args.get("page", 1, type=bounded_int(1, MAX_PAGE))


class Database(SQLAlchemy):
    def paginate(self, select, *, page=None, per_page=None, **kwargs):
        """Flask-SQLAlchemy's paginate, with `?page=` and `?per_page=` read within bounds."""
        from flask import has_request_context, request

        from lawlearn.validation import bounded_int

        if page is None:
            page = page_number()
        if per_page is None and has_request_context():
            per_page = request.args.get("per_page", 20, type=bounded_int(1, 100))
        return super().paginate(select, page=page, per_page=per_page, **kwargs)


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


class Babel(flask_babel.Babel):
    @cached_property
    def domain_instance(self):
        """Messages looked up through the catalogue kept per language choice
        (lawlearn.i18n.RememberingDomain)."""
        from lawlearn.i18n import RememberingDomain

        return RememberingDomain(domain=self.domain)


babel = Babel()
# No default limits: only the routes that need throttling (login, public check-in) declare one.
limiter = Limiter(key_func=get_remote_address)
