"""Property: whatever a client sends to any route — hostile path segments, query parameters,
form fields, files — the answer is never a server error, and a refused form stores nothing.

Routes come from the app's url_map and form fields from the pages themselves, so routes and
fields added later are fuzzed too.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawlearn import create_app
from tests.fuzz.conftest import INPUTS, fuzz_settings, row_counts, send
from tests.fuzz.pages import post_forms
from tests.fuzz.routes import (
    HOSTILE_SEGMENTS,
    argument_values,
    build,
    fuzzed_rules,
    path_arguments,
    query_parameter_names,
)
from tests.fuzz.values import HOSTILE, value

ROLES = ["admin", "coordinator", "leader", "anonymous"]
REDIRECTS = (301, 302, 303)
FILES = [b"", b"\x00\x01\x02", b"PK\x03\x04broken", "编码,名称,级别\n=1+1,<b>,村\n".encode(),
         b"code,name,level,parent_code\nX1,\x00,village,330101\n", b"slug: x\nquestions: []\n",
         ("9" * 5000).encode()]
FILE_NAMES = ["a.csv", "a.xlsx", "a.yaml", "a.txt", "a.gift", "photo.jpg", "a.exe", "",
              "<b>.csv", "a\x00.csv"]

# Successes answered with a page rather than a redirect: a reset's one-time password is shown
# once, in that response only (never put in the session cookie a redirect would need).
ANSWERED_IN_PLACE = {"accounts.reset_password"}
# Refusals that are recorded on purpose: a failed login (or a wrong current password) is an
# audit event, so for these only the audit table may grow.
AUDITED_REFUSALS = {"auth.login", "auth.change_password"}

GET_BUDGET = 1200
POST_BUDGET = 1300


def test_every_route_can_be_fuzzed():
    """A route with an argument the fuzz world cannot fill would be fuzzed only with hostile
    values, never reaching its handler's deeper checks: name it in tests/fuzz/routes.py."""
    from types import SimpleNamespace

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    ids = SimpleNamespace(**{name: 1 for name in (
        "unit_id", "area_id", "town_id", "session_id", "person_id", "target_id", "member_id",
        "quiz_slug", "checkin_token", "attempt_token", "spare_user_id", "year", "plan_id",
        "checkoff_id", "recognition_id", "recognition_token", "exam_id", "exam_token",
        "exam_serial")})
    unfilled = [f"{rule.endpoint}: <{arg}>" for rule in fuzzed_rules(app)
                for arg in path_arguments(rule) if argument_values(rule, arg, ids) is None]
    assert unfilled == []


def _arguments(data, rule, ids) -> dict[str, str]:
    out = {}
    for arg in path_arguments(rule):
        good = argument_values(rule, arg, ids)
        out[arg] = data.draw(st.one_of(st.sampled_from(good), st.sampled_from(good),
                                       st.sampled_from(HOSTILE_SEGMENTS)), label=arg)
    return out


def _maybe_with_nul(data, fields: dict) -> dict:
    """One request in eight gets a NUL put into one of its text values: drawn field by field
    it would be rare, and it is what PostgreSQL refuses outright."""
    names = sorted(k for k, v in fields.items() if isinstance(v, str))
    if not names or data.draw(st.integers(0, 7), label="put a NUL in") != 0:
        return fields
    name = data.draw(st.sampled_from(names), label="NUL field")
    return {**fields, name: fields[name] + "\x00"}


@pytest.fixture
def get_rules(app):
    return sorted((r for r in fuzzed_rules(app) if "GET" in r.methods), key=lambda r: r.rule)


@pytest.fixture
def post_rules(app):
    return sorted((r for r in fuzzed_rules(app) if "POST" in r.methods), key=lambda r: r.rule)


@given(data=st.data())
@fuzz_settings(GET_BUDGET)
def test_no_query_parameter_makes_a_page_fail(world, get_rules, data):
    names = query_parameter_names()
    rule = data.draw(st.sampled_from(get_rules), label="route")
    role = data.draw(st.sampled_from(ROLES), label="role")
    url = build(rule, _arguments(data, rule, world.ids))
    params = data.draw(st.dictionaries(
        st.one_of(st.sampled_from(names), st.sampled_from(names), st.sampled_from(HOSTILE)),
        value(["1", "2026-01-01", "2026-12-31", "this_year", "csv", "xlsx", "json", "330101",
               "active", "household"]), max_size=4), label="query")
    params = _maybe_with_nul(data, params)
    INPUTS["GET pages × query parameters"] += 1
    send(world.clients[role], "GET", url, f"GET {url} {params!r} as {role}", query_string=params)


@pytest.fixture
def forms(world, get_rules):
    """Every POST form on every page each role can open, by the path it posts to."""
    found: dict[str, dict] = {}
    for client in world.clients.values():
        for rule in get_rules:
            url = build(rule, {a: argument_values(rule, a, world.ids)[0] for a in path_arguments(rule)})
            response = client.get(url)
            if response.status_code == 200 and "html" in (response.mimetype or ""):
                for form in post_forms(response.get_data(as_text=True), url):
                    found.setdefault(form.action, {}).update(form.fields)
            response.close()
    return found


def _field_value(data, field):
    if field.kind == "file":
        return (io.BytesIO(data.draw(st.sampled_from(FILES), label=f"{field.name} bytes")),
                data.draw(st.sampled_from(FILE_NAMES), label=f"{field.name} name"))
    plausible = [p for p in field.plausible if p]
    return data.draw(value(plausible), label=field.name)


@given(data=st.data())
@fuzz_settings(POST_BUDGET)
def test_no_form_input_makes_a_post_fail_and_a_refusal_stores_nothing(world, post_rules, forms,
                                                                       data, app):
    rule = data.draw(st.sampled_from(post_rules), label="route")
    role = data.draw(st.sampled_from(ROLES), label="role")
    plausible_url = build(rule, {a: argument_values(rule, a, world.ids)[0]
                                 for a in path_arguments(rule)})
    url = build(rule, _arguments(data, rule, world.ids))
    fields = forms.get(plausible_url, {})
    body = {}
    for name, field in sorted(fields.items()):
        if name == "csrf_token" or not data.draw(st.integers(0, 9), label=f"send {name}"):
            continue  # one field in ten left out, as a hand-made request would
        body[name] = _field_value(data, field)
    extra = data.draw(st.dictionaries(st.sampled_from(HOSTILE[:20]), value(), max_size=2),
                      label="extra fields")
    body.update({k: v for k, v in extra.items() if k not in body})
    body = _maybe_with_nul(data, body)
    ignored = ("audit_events",) if rule.endpoint in AUDITED_REFUSALS else ()
    before = row_counts(app, ignored)
    INPUTS["POST forms × field values"] += 1
    response = send(world.clients[role], "POST", url, f"POST {url} as {role} {body!r}"[:600],
                    data=body, content_type="multipart/form-data")
    if (response is not None and response.status_code not in (*REDIRECTS, 204)
            and rule.endpoint not in ANSWERED_IN_PLACE):
        assert row_counts(app, ignored) == before, (
            f"POST {url} as {role} was refused ({response.status_code}) but stored rows")
