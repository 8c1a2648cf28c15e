"""A county holding four meetings today, two in each town, for the stories where many people
write at once: participants scanning the QR code, leaders marking rosters, quizzes started and
submitted from phones.

Throttling is off here: these stories are about the database under simultaneous writes, and a
whole village hall shares one address (throttling has its own tests).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from lawlearn import clock, create_app
from lawlearn.extensions import db, limiter
from lawlearn.quiz.banks import BankSpec, QuestionSpec
from tests.conftest import _config, login

SLUG = "truth"
QUESTIONS = 4

TRUTH = BankSpec(slug=SLUG, title="判断题", topic="civil-code", pass_score=50, draw=QUESTIONS,
                 time_limit_minutes=10, attempts_per_day=3, questions=[
                     QuestionSpec(kind="true_false", stem=f"判断{i}", options=[], answer=i % 2 == 0,
                                  explanation="", source="《中华人民共和国民法典》第十七条",
                                  key=f"truth-{i:03d}")
                     for i in range(1, QUESTIONS + 1)])


@pytest.fixture
def app(database_url, tmp_path):
    # RATELIMIT_ENABLED=False also switches off the one global Limiter, and the next app's
    # init_app would inherit that: put it back afterwards for the other tests.
    enabled = limiter.enabled
    instance = tmp_path / "instance"
    app = create_app({**_config(database_url, instance), "RATELIMIT_ENABLED": False})
    app.instance_path = str(instance)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.enabled = enabled


def beijing_today():
    return clock.today()


@pytest.fixture
def meetings(app, county, make_unit, make_user):
    """Four units (a household and a building in each town), each with a meeting today, five
    people on its roster and a leader; and the quiz the meetings link to."""
    from lawlearn.models import StudyUnit
    from lawlearn.quiz.sync import sync_bank
    from lawlearn.sessions.operations import log_session
    from lawlearn.units.operations import add_member

    units = [make_unit(county[town][place], name=f"{town}{place}")
             for town in ("城关镇", "青山镇") for place in ("village", "community")]
    found = []
    with app.test_request_context():
        sync_bank(TRUTH, source_hash=None)
        for n, unit in enumerate(units):
            row = db.session.get(StudyUnit, unit.id)
            session = log_session(row, held_on=beijing_today(), topics=["civil-code"],
                                  format="lecture", lecturer="张老师", duration_minutes=60)
            roster = [add_member(row, name=f"成员{n}-{i}", mobile=f"1370000{n:02d}{i:02d}").id
                      for i in range(5)]
            found.append(SimpleNamespace(unit_id=unit.id, session_id=session.id,
                                         code=session.code, token=session.checkin_token,
                                         roster=roster))
        db.session.commit()
    for meeting in found:
        meeting.leader = make_user("leader", units=[SimpleNamespace(id=meeting.unit_id)])
    return found


def run_together(jobs, workers: int):
    """Run the callables at once on `workers` threads; their results in order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: job(), jobs))


def check_in(app, token: str, name: str, mobile: str) -> int:
    return app.test_client().post(f"/s/{token}", data={"name": name, "mobile": mobile}
                                  ).status_code


def start_quiz(client, token: str, name: str, mobile: str):
    """The response to "start", from the meeting's quiz link."""
    return client.post(f"/q/{SLUG}?s={token}", data={"name": name, "mobile": mobile})


def submit_quiz(client, attempt_url: str, answers: str) -> int:
    """Answer every question True ("T") or False ("F") as `answers` says; the status."""
    return client.post(attempt_url, data={f"q{i}": answer
                                          for i, answer in enumerate(answers, 1)}).status_code


def mark_roster(client, session_id: int, chosen: dict[int, str]) -> int:
    """Open the roster page, mark {person id: status} and save it, as a leader does."""
    page = client.get(f"/sessions/{session_id}/attendance").get_data(as_text=True)
    entries = {int(pid): entry for entry, pid in re.findall(
        r'name="(marks-\d+)-person_id" type="hidden" value="(\d+)"', page)}
    data = dict(re.findall(r'name="(marks-\d+-(?:person_id|initial))" type="hidden" '
                           r'value="([^"]*)"', page))
    for person_id, status in chosen.items():
        data[f"{entries[person_id]}-status"] = status
    return client.post(f"/sessions/{session_id}/attendance", data=data).status_code


def leader_client(app, username: str):
    """A leader's browser, logged in, reading English."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, username)
    return client
