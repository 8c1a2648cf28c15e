"""Logging in and out: sessions that rotate, end, and can't be guessed into."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lawlearn.models import LoginSession
from tests.conftest import PASSWORD, login, recorded_queries
from tests.integration.helpers import EN, field_errors, location_path, scalars, text


def cookie_login_id(app, client) -> str | None:
    """The login id the signed session cookie carries (Flask-Login's `_user_id`)."""
    cookie = client.get_cookie("session")
    if cookie is None:
        return None
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    return data.get("_user_id")


def test_staff_member_logs_in_and_lands_on_home(client, make_user):
    name = make_user("admin")
    response = login(client, name)
    assert location_path(response) == "/home"
    home = client.get("/home")
    assert home.status_code == 200
    assert name in text(home)


def test_the_login_page_speaks_chinese_by_default(client):
    page = text(client.get("/login"))
    assert 'lang="zh-CN"' in page
    assert "登录" in page  # "Log in": the catalogue must translate the UI


def test_the_login_page_speaks_english_on_request(client):
    page = text(client.get("/login", headers=EN))
    assert 'lang="en"' in page
    assert "Log in" in page


def test_each_login_gets_a_new_login_id_in_the_cookie(app, client, make_user):
    name = make_user("admin")
    with client.session_transaction() as session:  # whatever a session held before login
        session["_user_id"] = "planted-by-someone-else"
        session["planted"] = True
    login(client, name)
    first = cookie_login_id(app, client)
    assert first and first != "planted-by-someone-else"
    with client.session_transaction() as session:
        assert "planted" not in session
    client.post("/logout")
    login(client, name)
    second = cookie_login_id(app, client)
    assert second and second != first
    ids = scalars(app, sa.select(LoginSession.id))
    assert sorted(ids) == sorted([first, second])


def test_wrong_password_shows_a_message_and_does_not_log_in(client, make_user):
    name = make_user("admin")
    response = client.post("/login", data={"username": name, "password": "not the password"},
                           headers=EN)
    assert response.status_code == 200
    assert field_errors(text(response), "password") == ["Wrong username or password."]
    assert location_path(client.get("/home")) == "/login"


def test_unknown_username_gets_the_same_message_as_a_wrong_password(client):
    response = client.post("/login", data={"username": "nobody", "password": PASSWORD},
                           headers=EN)
    assert field_errors(text(response), "password") == ["Wrong username or password."]


def test_disabled_leader_is_logged_out_and_cannot_log_in_again(app, client, make_user, county,
                                                               make_unit, user_id):
    unit = make_unit(county["城关镇"]["village"])
    leader = make_user("leader", units=[unit])
    login(client, leader)
    office = app.test_client()
    login(office, make_user("admin", area=county["county"]))
    assert office.post(f"/accounts/{user_id(leader)}/disable").status_code == 302

    assert location_path(client.get("/home")) == "/login"
    response = client.post("/login", data={"username": leader, "password": PASSWORD}, headers=EN)
    assert response.status_code == 200
    assert field_errors(text(response), "password") == [
        "This account is disabled. Ask the county office or your town coordinator."]


def test_logout_ends_the_session_on_the_server(client, make_user):
    login(client, make_user("admin"))
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    client.set_cookie("session", stolen)  # someone replays the copied cookie
    response = client.get("/home")
    assert response.status_code == 302
    assert location_path(response) == "/login"


@pytest.mark.parametrize("length, accepted", [(11, False), (12, True), (128, True), (129, False)])
def test_create_user_holds_passwords_to_12_to_128_characters(runner, length, accepted):
    result = runner.invoke(args=["create-user", "chen", "--role", "admin"],
                           env={"LAWLEARN_PASSWORD": ("plum river lantern " * 8)[:length]})
    if accepted:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0
        assert isinstance(result.exception, SystemExit), result.exception  # a message, no crash
        assert "Traceback" not in result.output
        assert ("12" if length < 12 else "128") in result.output


@pytest.mark.parametrize("target, lands_on", [
    ("/units/", "/units/"),
    ("https://evil.example/", "/home"),
    ("//evil.example", "/home"),
    ("/\\evil.example", "/home"),
    ("\\\\evil.example", "/home"),
    (" //evil.example", "/home"),
    ("javascript:alert(1)", "/home"),
])
def test_login_follows_next_only_within_the_site(client, make_user, target, lands_on):
    name = make_user("admin")
    response = client.post("/login", query_string={"next": target},
                           data={"username": name, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in (lands_on, f"http://localhost{lands_on}")


def test_switching_language_does_not_bounce_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] in ("/home", "http://localhost/home"), target


def test_a_bookmarked_page_asks_for_login_then_opens(client, make_user):
    name = make_user("admin")
    asked = client.get("/units/")
    assert location_path(asked) == "/login"
    response = client.post(asked.headers["Location"],
                           data={"username": name, "password": PASSWORD})
    assert location_path(response) == "/units/"


def test_a_staff_page_reads_the_login_and_its_user_in_one_statement(app, client, make_user):
    """The login and its account come in one joined SELECT (lawlearn.auth.sessions.load_login),
    not the login and then its user: one statement fewer on every staff page."""
    login(client, make_user("admin"))
    assert client.get("/areas/").status_code == 200  # warm-up: first-request work not measured
    with recorded_queries(app) as statements:
        response = client.get("/areas/")
    assert response.status_code == 200
    account = [" ".join(s.split()) for s in statements
               if re.search(r"\b(login_sessions|users)\b", s)]
    assert len(account) == 1, account
    assert re.search(r"FROM login_sessions JOIN users\b", account[0]), account[0]
