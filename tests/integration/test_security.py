"""What every response carries, CSRF on real forms, and the health check."""

from __future__ import annotations

import pytest

from lawlearn import create_app
from lawlearn.extensions import db
from tests.conftest import PASSWORD, _config, csrf_token, login


def test_every_response_carries_the_security_headers(client, make_user):
    login(client, make_user("admin"))
    for path in ("/login", "/home", "/units/", "/areas/", "/healthz", "/static/css/app.css",
                 "/no-such-page"):
        response = client.get(path)
        response.close()  # a static file is streamed: close it
        assert "default-src 'self'" in response.headers.get("Content-Security-Policy", ""), path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert response.headers.get("X-Frame-Options") == "DENY", path


def test_redirects_and_errors_carry_the_headers_too(client):
    for response in (client.get("/home"), client.post("/logout"), client.get("/units/999")):
        assert "default-src 'self'" in response.headers.get("Content-Security-Policy", "")
        assert response.headers.get("X-Frame-Options") == "DENY"


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    response = login(client, make_user("admin"))
    set_cookie = next(h for h in response.headers.getlist("Set-Cookie")
                      if h.startswith("session="))
    attributes = [a.strip().lower() for a in set_cookie.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


@pytest.fixture
def csrf_client(database_url, tmp_path, app):
    """A client of an app with CSRF protection on, over the same database as `app`."""
    protected = create_app({**_config(database_url, tmp_path / "csrf-instance"),
                            "WTF_CSRF_ENABLED": True})
    yield protected.test_client()
    with protected.app_context():
        db.session.remove()
        db.engine.dispose()


def test_login_without_a_csrf_token_is_refused(csrf_client, make_user):
    name = make_user("admin")
    response = csrf_client.post("/login", data={"username": name, "password": PASSWORD})
    assert response.status_code == 400
    assert csrf_client.get("/home").status_code == 302  # still logged out


def test_login_with_the_token_from_the_login_page_works(csrf_client, make_user):
    name = make_user("admin")
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post("/login", data={"username": name, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302
    assert csrf_client.get("/home").status_code == 200


def test_logout_without_a_csrf_token_is_refused(csrf_client, make_user):
    name = make_user("admin")
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/home").status_code == 200


def test_healthz_reports_the_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                      "LAWLEARN_INSTANCE": str(tmp_path)})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"
    with app.app_context():
        db.engine.dispose()
