"""Scoping of the county-wide activity pages: a town's coordinator gets a 404 for another
town's activity and its stops, as if they did not exist, and reaches their own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import ActivityStop, AuditEvent, StudyUnit
from tests.activities.conftest import DAY
from tests.conftest import login
from tests.integration.helpers import count


def _stop(o):
    return {"unit_id": o["unit"], "place": "村广场", "held_on": DAY.isoformat(),
            "topics": "civil-code", "duration_minutes": "60"}


ROUTES = [
    ("activities.show", "GET", "/activities/{exhibition}", None),
    ("activities.new_stop", "GET", "/activities/{exhibition}/stops/new", None),
    ("activities.new_stop", "POST", "/activities/{exhibition}/stops/new", _stop),
    ("activities.edit_stop", "GET", "/activities/{exhibition}/stops/{stop}/edit", None),
    ("activities.edit_stop", "POST", "/activities/{exhibition}/stops/{stop}/edit",
     lambda o: {"place": "村礼堂", "visitors": "30"}),
    ("activities.add_visiting_unit", "POST", "/activities/{visit}/visiting-units",
     lambda o: {"unit_id": o["unit"]}),
    ("activities.add_cohort_member", "POST", "/activities/{training}/cohort",
     lambda o: {"name": "学员", "mobile": o["mobile"]}),
]


@pytest.fixture
def objects(app, tour):
    from lawlearn.activities.operations import add_stop, create_activity
    from lawlearn.models import Area

    found = {}
    with app.test_request_context():
        for key, town, unit, mobile in (("own", "cg", "east_unit", "13900000051"),
                                        ("other", "qs", "qs_unit", "13900000052")):
            area = db.session.get(Area, tour[town].id)
            host = db.session.get(StudyUnit, tour[unit].id)
            made = {kind: create_activity(kind=kind, title=kind, year=2026, area=area)
                    for kind in ("exhibition", "site_visit", "rotational_training")}
            stop = add_stop(made["exhibition"], host, place="广场", topics=["civil-code"],
                            held_on=DAY, duration_minutes=60)
            db.session.commit()
            found[key] = {"exhibition": made["exhibition"].id, "visit": made["site_visit"].id,
                          "training": made["rotational_training"].id, "stop": stop.id,
                          "unit": host.id, "mobile": mobile}
        assert db.session.scalar(sa.select(sa.func.count(ActivityStop.id))) == 2
    return found


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {e}" for e, m, _u, _d in ROUTES])
def test_coordinator_gets_404_for_another_towns_activity_and_in_for_their_own(
        app, client, tour, objects, route):
    _endpoint, method, url, data = route
    login(client, tour["cg_coord"])

    def send(o):
        target = url.format(**o)
        return client.get(target) if method == "GET" else client.post(
            target, data=data(o) if data else None)

    events = count(app, AuditEvent)
    assert send(objects["other"]).status_code == 404
    assert count(app, AuditEvent) == events
    assert send(objects["own"]).status_code in (200, 302)


def test_a_stop_of_another_activity_is_a_404_through_ones_own(client, tour, objects):
    login(client, tour["cg_coord"])
    own, other = objects["own"], objects["other"]
    url = f"/activities/{own['exhibition']}/stops/{other['stop']}/edit"
    assert client.get(url).status_code == 404
