"""A county for county-wide activities: 城关镇 with two villages (东村, 西村) and a community,
each with a study unit; 青山镇 with a village and its unit. The clock stands on 10 May 2026,
the day of the stops, so their check-in links are open."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from lawlearn import clock

DAY = date(2026, 5, 10)


@pytest.fixture(autouse=True)
def english(client):
    """Staff pages in English, so the tests read the messages as written."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def tour(county, make_area, make_unit, make_user, freeze_clock):
    freeze_clock(datetime.combine(DAY, time(10), clock.TZ))
    cg, qs = county["城关镇"], county["青山镇"]
    west = make_area("village", parent=cg["town"], code="330101002", name="城关镇西村")
    return {
        "county": county["county"], "cg": cg["town"], "qs": qs["town"],
        "east": cg["village"], "west": west, "community": cg["community"],
        "qs_village": qs["village"],
        "east_unit": make_unit(cg["village"], name="东村中心户"),
        "west_unit": make_unit(west, name="西村中心户"),
        "community_unit": make_unit(cg["community"], name="幸福社区楼长"),
        "qs_unit": make_unit(qs["village"], name="青山中心户"),
        "admin": make_user("admin", area=county["county"]),
        "cg_coord": make_user("coordinator", area=cg["town"]),
        "qs_coord": make_user("coordinator", area=qs["town"]),
    }
