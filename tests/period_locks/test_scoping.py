"""Scoping of the lock pages: a lock is loaded within the user's area, so a county office gets
a 404 for another county's lock (one tree may hold a province), as if it did not exist;
coordinators may look but never unlock (403 whatever the town)."""

from __future__ import annotations

import pytest

from lawlearn.models import AuditEvent
from tests.conftest import login
from tests.integration.helpers import count

ROUTES = [
    ("period_locks.unlock", "GET", "/locks/{lock}/unlock", None),
    ("period_locks.unlock", "POST", "/locks/{lock}/unlock", {"reason": "数据更正"}),
]


@pytest.fixture
def locks(world, lock, april, make_area):
    elsewhere = make_area("town", parent=make_area("county", code="340100", name="邻县"),
                          code="340101", name="邻县城关镇")
    return {"own": {"lock": lock(world.county["城关镇"]["town"], month="2026-03")},
            "other": {"lock": lock(elsewhere, month="2026-03")}}


def send(client, route, objects):
    _endpoint, method, url, data = route
    target = url.format(**objects)
    return client.get(target) if method == "GET" else client.post(target, data=data)


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {e}" for e, m, _u, _d in ROUTES])
def test_a_county_office_gets_404_for_another_countys_lock(app, client, world, locks, route):
    login(client, world.admin)
    events = count(app, AuditEvent)
    assert send(client, route, locks["other"]).status_code == 404
    assert count(app, AuditEvent) == events
    assert send(client, route, locks["own"]).status_code in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {e}" for e, m, _u, _d in ROUTES])
def test_coordinators_may_not_unlock_even_their_own_town(app, world, as_user, locks, route):
    client = as_user(world.coordinator)
    events = count(app, AuditEvent)
    assert send(client, route, locks["own"]).status_code == 403
    assert count(app, AuditEvent) == events


def test_the_lock_list_of_a_county_office_holds_its_own_countys_locks_only(client, world,
                                                                         locks):
    login(client, world.admin)
    page = client.get("/locks/").get_data(as_text=True)
    assert "城关镇" in page and "邻县城关镇" not in page
