"""Flask-Limiter keeps its on/off flag on the one shared limiter: an app made with limits off
must not leave them off for the apps made after it (a test's app did, and the login and
check-in throttles then silently stopped working for every later test)."""

from __future__ import annotations

from lawlearn import create_app
from lawlearn.extensions import limiter


def test_an_app_without_rate_limits_leaves_them_on_for_the_next_app(tmp_path):
    base = {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    create_app({**base, "RATELIMIT_ENABLED": False})
    assert limiter.enabled is False
    create_app(base)
    assert limiter.enabled is True
