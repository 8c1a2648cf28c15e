"""Fixtures for the sessions stories: two towns' units with rosters, their people, sessions,
and photos made by Pillow on the spot."""

from __future__ import annotations

import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Person, StudySession, StudyUnit
from tests.conftest import (
    login,
    recorded_queries,
)
from tests.snapshots import built_once


@built_once
def world(app, county, make_unit, make_user):
    """城关镇 has two units (张家, with a roster, and 幸福楼); 青山镇 has one. Users: the county
    office, each town's coordinator, the leader of 张家 and the leader of 幸福楼."""
    from lawlearn.units.operations import add_member

    cg, qs = county["城关镇"], county["青山镇"]
    mine = make_unit(cg["village"], name="城关镇张家中心户")
    neighbour = make_unit(cg["community"], name="城关镇幸福楼")
    theirs = make_unit(qs["village"], name="青山镇李家中心户")
    people = {}
    with app.app_context():
        for unit, name, mobile in [(mine, "李秀英", "13900000021"), (mine, "王大伯", None),
                                   (mine, "赵小红", "13900000023"),
                                   (theirs, "陈青山", "13900000031")]:
            people[name] = add_member(db.session.get(StudyUnit, unit.id), name=name,
                                      mobile=mobile).id
        db.session.commit()
    return SimpleNamespace(
        county=county, mine=mine, neighbour=neighbour, theirs=theirs, people=people,
        admin=make_user("admin", area=county["county"], username="office"),
        coordinator=make_user("coordinator", area=cg["town"], username="cg-coord"),
        their_coordinator=make_user("coordinator", area=qs["town"], username="qs-coord"),
        leader=make_user("leader", units=[mine], username="cg-leader"),
        neighbour_leader=make_user("leader", units=[neighbour], username="cg-neighbour"),
    )


@pytest.fixture
def as_user(client):
    def as_user(username: str):
        client.post("/logout")
        login(client, username)
        return client

    return as_user


@pytest.fixture
def make_session(app):
    """Log a session with the app's own operation; returns its id."""
    from lawlearn.sessions.operations import log_session

    def make(unit, held_on: date | None = None, topics=("civil-code",), **kw) -> int:
        with app.test_request_context():
            fields = {"format": "lecture", "lecturer": "张老师", "duration_minutes": 60,
                      "notes": None, **kw}
            session = log_session(db.session.get(StudyUnit, unit.id),
                                  held_on=held_on or clock.today(), topics=list(topics),
                                  **fields)
            db.session.commit()
            return session.id

    return make


def days_ago(n: int) -> date:

    return clock.today() - timedelta(days=n)


def session_row(app, session_id: int) -> StudySession | None:
    with app.app_context():
        found = db.session.get(StudySession, session_id)
        if found is not None:
            found.topics  # noqa: B018 (load before the context closes)
            db.session.expunge(found)
        return found


def person_id(app, name: str) -> int | None:
    with app.app_context():
        return db.session.scalar(sa.select(Person.id).where(Person.name == name))


def queries_for(app, client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm-up: first-request work is not measured
    with recorded_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    print(f"queries: {url} {len(statements)}")  # shown with pytest -s
    return len(statements)


def image_bytes(fmt: str = "JPEG", size=(800, 600), colour="red", **save) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **save)
    return out.getvalue()


def text(response) -> str:
    return response.get_data(as_text=True)


def assert_ledger_exact(app):
    from tests.test_ledger import assert_ledger_exact as exact

    with app.app_context():
        exact()
