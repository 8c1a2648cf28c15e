"""A county for the recognition tests: 城关镇 (its coordinator, a household led by a leader,
and a building) and 青山镇 (its coordinator and a household), plus the county office. The
clock stands at TODAY (2026-11-27)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Recognition
from tests.conftest import login


@pytest.fixture
def rw(county, make_unit, make_user, fixed_today):
    cg, qs = county["城关镇"], county["青山镇"]
    household = make_unit(cg["village"], name="城关镇张家中心户", leader_name="张保密",
                          leader_phone="13912345678")
    building = make_unit(cg["community"], name="城关镇幸福楼")
    theirs = make_unit(qs["village"], name="青山镇李家中心户")
    return SimpleNamespace(
        county=county, household=household, building=building, theirs=theirs,
        admin=make_user("admin", area=county["county"]),
        coord=make_user("coordinator", area=cg["town"]),
        qs_coord=make_user("coordinator", area=qs["town"]),
        leader=make_user("leader", units=[household]),
        other_leader=make_user("leader", units=[building]),
        year=fixed_today.year)


def as_user(app, username):
    client = app.test_client()
    login(client, username)
    return client


def nominate(client, unit, year=2026, statement="坚持每月集中学法，带动邻里十余户。"):
    return client.post(f"/recognitions/units/{unit.id}/nominate",
                       data={"year": str(year), "statement": statement})


def newest(app) -> Recognition:
    with app.app_context():
        found = db.session.scalar(sa.select(Recognition).order_by(Recognition.id.desc()))
        db.session.expunge(found)
        return found


def get(app, recognition_id: int) -> Recognition:
    with app.app_context():
        found = db.session.get(Recognition, recognition_id)
        db.session.expunge(found)
        return found


def approved(app, rw, unit=None, year=2026) -> int:
    """A recognition of `unit` (default the household) for `year`, approved by the office."""
    office = as_user(app, rw.admin)
    assert nominate(office, unit or rw.household, year=year).status_code == 302
    rid = newest(app).id
    assert office.post(f"/recognitions/{rid}/approve").status_code == 302
    return rid
