"""The annual exam's world: the county's two towns, a unit in each with people on its roster,
the tiny four-question bank, and an exam of the county office open 2026-11-20 08:00 to
2026-11-30 18:00 Beijing time for town A's unit and a person typed in."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from tests.conftest import login
from tests.quiz.conftest import tiny  # noqa: F401, F811  (a fixture: the four-question bank)
from tests.snapshots import built_once

OPENS = datetime(2026, 11, 20, 8, 0, tzinfo=clock.TZ)
CLOSES = datetime(2026, 11, 30, 18, 0, tzinfo=clock.TZ)
ON_ROSTER = ("张小三", "13900001111")
ALSO_ON = ("李四", "13900002222")
TYPED_IN = ("王五", "13900003333")
OTHER_TOWN = ("赵六", "13900004444")
STRANGER = ("钱七", "13900005555")


@built_once
def exam_world(app, county, make_unit, make_user, tiny):  # noqa: F811
    from lawlearn.exams.operations import ExamValues, save_exam
    from lawlearn.models import Area, Quiz, User
    from lawlearn.units.operations import add_member

    unit_a = make_unit(county["城关镇"]["village"], name="城关镇东村中心户", code="EXA-H1")
    unit_b = make_unit(county["青山镇"]["village"], name="青山镇东村中心户", code="EXB-H1")
    admin = make_user("admin", county["county"], username="exam-office")
    make_user("coordinator", county["城关镇"]["town"], username="exam-coord-a")
    make_user("coordinator", county["青山镇"]["town"], username="exam-coord-b")
    make_user("leader", units=[unit_a], username="exam-leader")
    with app.test_request_context():
        from lawlearn.models import StudyUnit

        a = db.session.get(StudyUnit, unit_a.id)
        b = db.session.get(StudyUnit, unit_b.id)
        for name, mobile in (ON_ROSTER, ALSO_ON):
            add_member(a, name=name, mobile=mobile)
        add_member(b, name=OTHER_TOWN[0], mobile=OTHER_TOWN[1])
        actor = db.session.scalar(sa.select(User).where(User.username == admin))
        exam = save_exam(None, ExamValues(
            name="2026年度学法考试", year=2026, quiz=db.session.get(Quiz, tiny), pass_score=75,
            opens_at=OPENS.astimezone(UTC), closes_at=CLOSES.astimezone(UTC),
            unit_ids=[unit_a.id, unit_b.id], area_ids=[], people=[TYPED_IN]),
            area=db.session.get(Area, county["county"].id), actor=actor)
        db.session.commit()
        return {"exam": exam.id, "token": exam.token, "unit_a": unit_a.id, "unit_b": unit_b.id,
                "town_a": county["城关镇"]["town"].id, "town_b": county["青山镇"]["town"].id,
                "county": county["county"].id}


@pytest.fixture
def client(app):
    """In English, so the assertions read the messages as written in the code."""
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


@pytest.fixture
def during(freeze_clock):
    """Inside the window: 2026-11-25 10:00 Beijing time."""
    return freeze_clock(datetime(2026, 11, 25, 10, 0, tzinfo=clock.TZ))


def staff(client, username="exam-office"):
    login(client, username)
    return client


def start(client, token, who=ON_ROSTER):
    return client.post(f"/x/{token}", data={"name": who[0], "mobile": who[1]})


def answer(client, response, right: bool):
    """Hand in the attempt the start redirected to: all right, or all unanswered."""
    from lawlearn.models import Attempt

    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    token = response.headers["Location"].rsplit("/", 1)[-1]
    data = {}
    if right:
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
        for item in attempt.items:
            key = f"q{item.position}"
            if item.kind == "true_false":
                data[key] = "T" if item.answer else "F"
            elif item.kind == "multiple":
                data[key] = list(item.answer)
            else:
                data[key] = item.answer
    done = client.post(f"/q/a/{token}", data=data)
    assert done.status_code == 302
    return token


def serial_on(html: str) -> str:
    found = re.search(r"/x/certificate/([0-9A-Z-]+)", html)
    assert found, "no certificate link"
    return found.group(1)
