"""Scoping of the review routes: another town's session is a 404 for a coordinator, another
unit's for a leader (as if it did not exist); a leader's own session is a 403 (leaders never
review); the office reviews everywhere. REVIEW_ROUTES joins the URL-map checks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, StudySession
from tests.sessions.conftest import days_ago
from tests.snapshots import built_once

REVIEW_ROUTES = [
    ("sessions.approve", "POST", "/sessions/{session}/approve", dict),
    ("sessions.return_session", "GET", "/sessions/{session}/return", None),
    ("sessions.return_session", "POST", "/sessions/{session}/return",
     lambda o: {"reason": "照片不清楚"}),
]
ROUTE_IDS = [f"{method} {endpoint}" for endpoint, method, _url, _data in REVIEW_ROUTES]


@built_once(key=lambda: days_ago(0))
def waiting(app, world, make_session):
    """A submitted session in 张家 (mine), 幸福楼 (same town, another leader) and 李家 (青山镇)."""
    found = {}
    for side, unit in (("own", world.mine), ("neighbour", world.neighbour),
                       ("other", world.theirs)):
        sid = make_session(unit, held_on=days_ago(1))
        with app.app_context():
            db.session.get(StudySession, sid).review_state = "submitted"
            db.session.commit()
        found[side] = {"session": sid}
    return found


def call(client, route, objects):
    _endpoint, method, url, data = route
    url = url.format(**objects)
    if method == "GET":
        return client.get(url)
    return client.post(url, data=data(objects) if data else None)


def events(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


@pytest.mark.parametrize("route", REVIEW_ROUTES, ids=ROUTE_IDS)
def test_a_coordinator_reviews_their_town_only(app, client, world, waiting, as_user, route):
    as_user(world.coordinator)
    before = events(app)
    assert call(client, route, waiting["other"]).status_code == 404
    assert events(app) == before
    assert call(client, route, waiting["own"]).status_code in (200, 302)


@pytest.mark.parametrize("route", REVIEW_ROUTES, ids=ROUTE_IDS)
def test_a_leader_never_reviews(app, client, world, waiting, as_user, route):
    as_user(world.leader)
    before = events(app)
    assert call(client, route, waiting["neighbour"]).status_code == 404
    assert call(client, route, waiting["other"]).status_code == 404
    assert call(client, route, waiting["own"]).status_code == 403
    assert events(app) == before


@pytest.mark.parametrize("route", REVIEW_ROUTES, ids=ROUTE_IDS)
def test_the_office_reviews_every_town(client, world, waiting, as_user, route):
    as_user(world.admin)
    assert call(client, route, waiting["other"]).status_code in (200, 302)


@pytest.mark.parametrize("route", REVIEW_ROUTES, ids=ROUTE_IDS)
def test_review_needs_a_login(client, waiting, route):
    response = call(client, route, waiting["own"])
    assert response.status_code == 302 and "/login" in response.headers["Location"]
