"""Every sessions route is scoped: a coordinator sees their town only, a leader their own
units only; anything else is 404 and changes nothing. ROUTES lists every route of the
blueprint that takes an id, and a test checks the URL map so a new one can't be missed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attendance, AuditEvent, SessionPhoto, StudyUnit
from tests.sessions.conftest import days_ago, image_bytes
from tests.snapshots import built_once


@built_once(files=("photos",), key=lambda: days_ago(0))
def objects(app, world, make_session):
    """A session with a photo and an attendee in 张家 (mine), 幸福楼 (same town, another
    leader) and 李家 (青山镇)."""
    import io

    from lawlearn.sessions import operations, photos

    found = {}
    for side, unit, person in (("own", world.mine, "李秀英"), ("neighbour", world.neighbour, None),
                               ("other", world.theirs, "陈青山")):
        sid = make_session(unit, held_on=days_ago(1))
        with app.test_request_context():
            from lawlearn.models import StudySession

            session = db.session.get(StudySession, sid)
            operations.add_photos(session, [photos.prepare(io.BytesIO(image_bytes()))])
            if person is None:
                from lawlearn.participants import identify

                pid = identify("楼里人", None, db.session.get(StudyUnit, unit.id)).id
            else:
                pid = world.people[person]
            db.session.add(Attendance(session_id=sid, person_id=pid, status="present",
                                      method="roster"))
            db.session.commit()
            photo = db.session.scalar(sa.select(SessionPhoto.id).where(
                SessionPhoto.session_id == sid))
        found[side] = {"unit": unit.id, "session": sid, "photo": photo, "person": pid,
                       "town": (world.county["青山镇"] if side == "other"
                                else world.county["城关镇"])["town"].id}
    return found


def session_form(_o):
    return {"held_on": days_ago(1).isoformat(), "format": "lecture", "topics": "civil-code",
            "duration_minutes": "60"}


ROUTES = [
    ("sessions.index", "GET", "/sessions/?unit={unit}", None),
    ("sessions.new", "GET", "/units/{unit}/sessions/new", None),
    ("sessions.new", "POST", "/units/{unit}/sessions/new", session_form),
    ("sessions.show", "GET", "/sessions/{session}", None),
    ("sessions.edit", "GET", "/sessions/{session}/edit", None),
    ("sessions.edit", "POST", "/sessions/{session}/edit", session_form),
    ("sessions.delete", "GET", "/sessions/{session}/delete", None),
    ("sessions.delete", "POST", "/sessions/{session}/delete", dict),
    ("sessions.photo", "GET", "/sessions/{session}/photos/{photo}", None),
    ("sessions.thumbnail", "GET", "/sessions/{session}/photos/{photo}/thumb", None),
    ("sessions.remove_photo", "POST", "/sessions/{session}/photos/{photo}/remove", dict),
    ("sessions.mark", "GET", "/sessions/{session}/attendance", None),
    ("sessions.mark", "POST", "/sessions/{session}/attendance",
     lambda o: {"walk_ins-0-name": "闯入者"}),
    ("sessions.qr", "GET", "/sessions/{session}/qr.svg", None),
    ("sessions.sheet", "GET", "/sessions/{session}/sheet", None),
    ("sessions.blank_sheet", "GET", "/units/{unit}/sheet", None),
    ("sessions.person", "GET", "/people/{person}", None),
]
ROUTE_IDS = [f"{method} {endpoint}" for endpoint, method, _url, _data in ROUTES]


def call(client, route, objects):
    _endpoint, method, url, data = route
    url = url.format(**objects)
    if method == "GET":
        return client.get(url, buffered=True)
    return client.post(url, data=data(objects) if data else None)


def test_every_sessions_route_that_takes_an_id_is_listed(app):
    from tests.sessions.test_review_scoping import REVIEW_ROUTES

    by_id = {rule.endpoint for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("sessions.") and rule.arguments}
    assert by_id <= {endpoint for endpoint, *_ in ROUTES + REVIEW_ROUTES}, by_id


def events(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_coordinator_gets_404_for_another_towns_sessions(app, client, world, objects, as_user,
                                                          route):
    as_user(world.coordinator)
    before = events(app)
    assert call(client, route, objects["other"]).status_code == 404
    assert events(app) == before  # nothing changed over there
    assert call(client, route, objects["own"]).status_code in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_leader_gets_404_for_another_units_sessions(app, client, world, objects, as_user,
                                                     route):
    as_user(world.leader)
    before = events(app)
    assert call(client, route, objects["neighbour"]).status_code == 404
    assert call(client, route, objects["other"]).status_code == 404
    assert events(app) == before
    assert call(client, route, objects["own"]).status_code in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_the_county_office_sees_every_town(client, world, objects, as_user, route):
    as_user(world.admin)
    assert call(client, route, objects["other"]).status_code in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_staff_pages_need_a_login(client, objects, route):
    response = call(client, route, objects["own"])
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_photo_cannot_be_reached_through_another_session(client, world, objects, as_user):
    as_user(world.coordinator)
    own, other = objects["own"], objects["other"]
    assert client.get(f"/sessions/{own['session']}/photos/{other['photo']}").status_code == 404
    assert client.post(f"/sessions/{own['session']}/photos/{other['photo']}/remove"
                       ).status_code == 404


def test_the_dormant_page_is_scoped_too(client, world, objects, as_user):
    as_user(world.coordinator)
    assert client.get(f"/sessions/dormant?area={objects['other']['town']}").status_code == 404
    assert client.get(f"/sessions/dormant?area={objects['own']['town']}").status_code == 200


def test_the_check_in_pages_need_no_login(app, client, objects):
    from tests.sessions.conftest import session_row

    token = session_row(app, objects["own"]["session"]).checkin_token
    assert client.get(f"/s/{token}").status_code == 200


def test_every_sessions_endpoint_needs_a_login_and_check_in_has_its_own_blueprint(app, client):
    """The `sessions` blueprint is staff only: its guard lets nothing through, so each of its
    endpoints (listed or not in ROUTES) sends a visitor without a login to the login page. The
    pages a QR code opens are the `checkin` blueprint's, and they are all there is under /s/."""
    from flask import url_for

    rules = list(app.url_map.iter_rules())
    staff = [rule for rule in rules if rule.endpoint.startswith("sessions.")]
    assert staff
    for rule in staff:
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
        with app.test_request_context():
            url = url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1))
        response = client.open(url, method=method)
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        assert "/login" in response.headers["Location"], rule.endpoint
    participants = {rule.endpoint for rule in rules if rule.rule.startswith("/s/")}
    assert participants == {"checkin.checkin", "checkin.checked_in"}
    assert participants == {rule.endpoint for rule in rules
                            if rule.endpoint.startswith("checkin.")}
