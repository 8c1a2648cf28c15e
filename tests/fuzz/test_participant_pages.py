"""Participants' pages never load the staff account (lawlearn.public.PARTICIPANT_BLUEPRINTS).

Every GET page of those blueprints is opened on a phone that carries a staff login cookie (a
leader checks in at their own meeting): no statement reads login_sessions or users. Pages come
from the app's url_map, as the fuzz tests find them, so a new participant page is checked
without being listed here.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.public import PARTICIPANT_BLUEPRINTS
from tests.fuzz.routes import argument_values, build, fuzzed_rules, path_arguments

ACCOUNT_TABLES = re.compile(r"\b(login_sessions|users)\b")


def test_participant_pages_read_no_account_on_a_phone_logged_in_as_staff(app, world):
    rules = [r for r in fuzzed_rules(app)
             if r.endpoint.split(".")[0] in PARTICIPANT_BLUEPRINTS and "GET" in r.methods]
    assert {r.endpoint.split(".")[0] for r in rules} == PARTICIPANT_BLUEPRINTS
    statements: list[str] = []

    def record(_conn, _cursor, text, *_args):
        statements.append(text)

    with app.app_context():
        engine = db.engine
    phone = world.clients["leader"]
    reads = {}
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        for rule in rules:
            url = build(rule, {a: argument_values(rule, a, world.ids)[0]
                               for a in path_arguments(rule)})
            statements.clear()
            response = phone.get(url)
            response.close()
            assert response.status_code in (200, 302, 404), (url, response.status_code)
            reads[url] = [t for t in statements if ACCOUNT_TABLES.search(t)]
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert reads == dict.fromkeys(reads, [])
    assert phone.get("/sessions/").status_code == 200  # the staff login is still there


def test_participant_pages_need_no_login(app, world):
    """What the set is for: people without an account. None of its pages sends them to the
    staff login."""
    anonymous = world.clients["anonymous"]
    for rule in fuzzed_rules(app):
        if rule.endpoint.split(".")[0] in PARTICIPANT_BLUEPRINTS and "GET" in rule.methods:
            url = build(rule, {a: argument_values(rule, a, world.ids)[0]
                               for a in path_arguments(rule)})
            response = anonymous.get(url)
            response.close()
            assert "/login" not in response.headers.get("Location", ""), url
