"""Password hashes: scrypt in production; a cheap method only where a test suite sets it."""

from __future__ import annotations

from werkzeug.security import check_password_hash

from lawlearn import create_app
from lawlearn.auth.passwords import hash_password
from lawlearn.models import User
from tests.conftest import QUICK_PASSWORD_HASH, _config


def test_the_app_hashes_with_scrypt_unless_told_otherwise(tmp_path):
    app = create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        user = User(username="office", role="admin")
        user.set_password("correct horse battery")
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("correct horse battery") and not user.check_password("wrong")


def test_the_test_suite_hashes_cheaply_and_old_hashes_still_check(tmp_path):
    app = create_app(_config("sqlite://", tmp_path))
    with app.app_context():
        quick = hash_password("correct horse battery")
        app.config["PASSWORD_HASH_METHOD"] = "scrypt"
        strong = hash_password("correct horse battery")
    assert quick.startswith(QUICK_PASSWORD_HASH + "$") and strong.startswith("scrypt:")
    # The method travels with the hash, so changing the setting never locks anyone out.
    assert check_password_hash(quick, "correct horse battery")
    assert check_password_hash(strong, "correct horse battery")
