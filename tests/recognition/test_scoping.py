"""Scoping of the recognition pages: 城关镇's coordinator (or the office, for the county's
steps) gets a 404 for 青山镇's recognitions and units, as if they did not exist, and reaches
their own. ROUTES joins the URL-map check in tests/integration/test_scoping.py."""

from __future__ import annotations

import pytest

from lawlearn.models import AuditEvent
from tests.integration.helpers import count
from tests.recognition.conftest import approved, as_user, newest, nominate

# (endpoint, method, url, form)
ROUTES = [
    ("recognition.nominate", "GET", "/recognitions/units/{unit}/nominate", None),
    ("recognition.nominate", "POST", "/recognitions/units/{unit}/nominate",
     lambda o: {"year": "2027", "statement": "坚持集中学法"}),
    ("recognition.show", "GET", "/recognitions/{nominated}", None),
    ("recognition.forward", "POST", "/recognitions/{nominated}/forward", None),
    ("recognition.reject", "POST", "/recognitions/{nominated}/reject",
     lambda o: {"reason": "材料不全"}),
    ("recognition.approve", "POST", "/recognitions/{reviewed}/approve", None),
    ("recognition.revoke", "POST", "/recognitions/{approved}/revoke",
     lambda o: {"reason": "停止活动"}),
    ("recognition.renew", "POST", "/recognitions/{approved}/renew", None),
    ("recognition.plaque", "GET", "/recognitions/{approved}/plaque", None),
    ("recognition.qr", "GET", "/recognitions/{approved}/qr.svg", None),
]
COUNTY_STEPS = {"recognition.approve", "recognition.revoke", "recognition.renew"}


@pytest.fixture
def objects(app, rw, make_user):
    """Per town: a household with its leader's nomination (2026) and a town-reviewed one
    (2027), and an enterprise group approved for 2026 (its 2027 is free to nominate)."""
    found = {}
    for side, unit, coordinator in (("own", rw.household, rw.coord),
                                    ("other", rw.theirs, rw.qs_coord)):
        town = rw.county["城关镇" if side == "own" else "青山镇"]
        nominate(as_user(app, make_user("leader", units=[unit])), unit, year=2026)
        nominated = newest(app).id
        nominate(as_user(app, coordinator), unit, year=2027)
        reviewed = newest(app).id
        group = _group(app, town, side)
        found[side] = {"unit": group.id, "nominated": nominated, "reviewed": reviewed,
                       "approved": approved(app, rw, unit=group, year=2026)}
    return found


def _group(app, town, side):
    from datetime import date

    from lawlearn.extensions import db
    from lawlearn.models import Area
    from lawlearn.units.operations import register_unit

    with app.app_context():
        unit = register_unit(kind="enterprise_group",
                             area=db.session.get(Area, town["enterprise"].id),
                             name=f"{side}-班组", leader_name="王老师",
                             leader_phone="13900000001", reach=5,
                             registered_on=date(2026, 1, 5))
        db.session.commit()
        db.session.refresh(unit)
        db.session.expunge(unit)
        return unit


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {e}" for e, m, _u, _d in ROUTES])
def test_another_towns_recognitions_are_not_found_and_ones_own_are_reached(
        app, rw, objects, make_area, make_user, route):
    """The county's steps: the office of a neighbouring county gets the 404, 示范县's office
    gets in (an office account's area is a county). The others: 城关镇's coordinator."""
    endpoint, method, url, data = route
    if endpoint in COUNTY_STEPS:
        neighbour = make_user("admin", area=make_area("county", code="330200", name="邻县"))
        outsider, insider = as_user(app, neighbour), as_user(app, rw.admin)
    else:
        outsider = insider = as_user(app, rw.coord)

    def send(client, o):
        target = url.format(**o)
        return client.get(target) if method == "GET" else client.post(
            target, data=data(o) if data else None)

    events = count(app, AuditEvent)
    assert send(outsider, objects["other" if endpoint not in COUNTY_STEPS else "own"]
                ).status_code == 404
    assert count(app, AuditEvent) == events
    assert send(insider, objects["own"]).status_code in (200, 302)
