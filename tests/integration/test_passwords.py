"""One rule for every new password: 12+ characters, not the username, not a pattern everybody
guesses first, not the published demo password in production. The command line and the
accounts form refuse the same passwords."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.demo import DEMO_PASSWORD
from lawlearn.models import User
from tests.conftest import login
from tests.integration.helpers import EN, field_errors, scalar, text

GUESSED_FIRST = ["aaaaaaaaaaaa", "123456789012", "abcabcabcabc", "abcdefghijklm", "098765432109",
                 "password1234", "Password2024", "qwertyuiop123", "1q2w3e4r5t6y", "woaini5201314",
                 "admin1234567"]
GUESSED_MESSAGE = ("This password is one of the first that people guess. Choose another, "
                   "for example four or five unrelated words.")


def create_user(runner, name, password):
    return runner.invoke(args=["create-user", name, "--role", "admin"],
                         env={"LAWLEARN_PASSWORD": password})


def user_exists(app, name) -> bool:
    return scalar(app, sa.select(sa.func.count()).select_from(User)
                  .where(User.username == name)) == 1


@pytest.mark.parametrize("password", GUESSED_FIRST)
def test_the_command_line_refuses_a_password_everybody_guesses(app, runner, password):
    result = create_user(runner, "chen", password)
    assert result.exit_code == 1, result.output
    assert not user_exists(app, "chen")


@pytest.mark.parametrize("password", ["chen.xiaoming", "Chen.Xiaoming1", "chen.xiaoming2026"])
def test_the_command_line_refuses_the_username_as_password(app, runner, password):
    result = create_user(runner, "chen.xiaoming", password)
    assert result.exit_code == 1, result.output
    assert not user_exists(app, "chen.xiaoming")


def test_the_demo_password_is_refused_in_production_only(app, runner):
    app.config["PRODUCTION"] = True
    assert create_user(runner, "office", DEMO_PASSWORD).exit_code == 1
    assert not user_exists(app, "office")
    app.config["PRODUCTION"] = False
    assert create_user(runner, "office", DEMO_PASSWORD).exit_code == 0


def test_a_long_unremarkable_password_is_accepted(app, runner):
    assert create_user(runner, "chen", "plum river lantern").exit_code == 0
    assert user_exists(app, "chen")


def _new_coordinator(client, county, password, username="li.town"):
    return client.post("/accounts/new", headers=EN, data={
        "username": username, "role": "coordinator", "area_id": county["城关镇"]["town"].id,
        "password": password, "confirm": password})


@pytest.mark.parametrize("password, message", [
    ("aaaaaaaaaaaa", GUESSED_MESSAGE),
    ("123456789012", GUESSED_MESSAGE),
    ("li.town.2026", "A password must not be the username or close to it."),
    ("short", "A password needs at least 12 characters."),
])
def test_the_accounts_form_refuses_the_same_passwords_and_says_why(app, client, make_user,
                                                                  county, password, message):
    login(client, make_user("admin", area=county["county"]))
    page = text(_new_coordinator(client, county, password))
    assert field_errors(page, "password") == [message]
    assert not user_exists(app, "li.town")
    assert 'value="li.town"' in page  # what was typed is kept


def test_the_accounts_form_accepts_a_good_password(app, client, make_user, county):
    login(client, make_user("admin", area=county["county"]))
    assert _new_coordinator(client, county, "plum river lantern").status_code == 302
    assert user_exists(app, "li.town")
