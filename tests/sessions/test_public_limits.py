"""A village hall on one Wi-Fi address: sixty people check in and start quizzes within a
minute; the limits hold each person (study session and mobile), and a per-address ceiling only
stops a script. Every figure is configurable from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from limits import parse

from lawlearn.config import from_environment
from tests.sessions.conftest import session_row

HALL = {"REMOTE_ADDR": "10.5.5.5"}


def token_of(app, sid: int) -> str:
    return session_row(app, sid).checkin_token


def check_in(client, token, i, mobile=None):
    # 137… numbers: the world's roster members have 139… ones, stored under other names.
    return client.post(f"/s/{token}", environ_base=HALL,
                       data={"name": f"村民{i}", "mobile": mobile or f"1370000{i:04d}"})


def test_sixty_people_on_one_wifi_check_in_within_a_minute(app, world, make_session):
    token = token_of(app, make_session(world.mine))
    codes = [check_in(app.test_client(), token, i).status_code for i in range(60)]
    assert codes == [302] * 60


def test_one_person_hammering_the_check_in_is_stopped_and_nobody_else(app, world, make_session):
    token = token_of(app, make_session(world.mine))
    phone = app.test_client()
    codes = [check_in(phone, token, 1, mobile="137 0000 0001").status_code for _ in range(11)]
    assert codes[:10] == [302] * 10 and codes[10] == 429
    assert check_in(app.test_client(), token, 2).status_code == 302
    # The same person at another session is another key.
    other = token_of(app, make_session(world.neighbour))
    assert check_in(phone, other, 1, mobile="13700000001").status_code == 302


def test_the_per_address_ceiling_still_stops_a_script(app, world, make_session):
    app.config["CHECKIN_ADDRESS_LIMIT"] = "5 per minute"
    token = token_of(app, make_session(world.mine))
    codes = [check_in(app.test_client(), token, i).status_code for i in range(6)]
    assert codes == [302] * 5 + [429]


def test_quiz_starts_are_limited_per_person_and_session_not_per_address(app, world,
                                                                         make_session):
    from lawlearn.extensions import db
    from lawlearn.quiz.sync import sync_shipped_banks

    with app.app_context():
        sync_shipped_banks()
        db.session.commit()
    app.config["QUIZ_START_PERSON_LIMIT"] = "2 per minute"
    token = token_of(app, make_session(world.mine))

    def start(phone, mobile, name="张三"):
        return phone.post(f"/q/civil-code?s={token}", environ_base=HALL,
                          data={"name": name, "mobile": mobile}).status_code

    phone = app.test_client()
    assert [start(phone, "13900001111") for _ in range(3)] == [302, 302, 429]
    neighbours = [start(app.test_client(), f"1390000{i:04d}", f"村民{i}") for i in range(20)]
    assert neighbours == [302] * 20


@pytest.mark.parametrize("key", ["CHECKIN_ADDRESS_LIMIT", "QUIZ_START_LIMIT"])
def test_the_default_address_ceiling_admits_sixty_people_a_minute(key, tmp_path):
    limit = parse(from_environment(tmp_path, {"SECRET_KEY": "x"})[key])
    per_minute = limit.amount * 60 / limit.get_expiry()
    assert per_minute >= 60 * 2  # each person may need a retry


def test_the_limits_come_from_the_environment(monkeypatch, tmp_path: Path):
    for name, value in [("LAWLEARN_CHECKIN_PERSON_LIMIT", "3 per minute"),
                        ("LAWLEARN_CHECKIN_ADDRESS_LIMIT", "400 per minute"),
                        ("LAWLEARN_QUIZ_START_PERSON_LIMIT", "4 per minute"),
                        ("LAWLEARN_QUIZ_START_LIMIT", "500 per minute")]:
        monkeypatch.setenv(name, value)
    config = from_environment(tmp_path, {"SECRET_KEY": "x"})
    assert (config["CHECKIN_PERSON_LIMIT"], config["CHECKIN_ADDRESS_LIMIT"],
            config["QUIZ_START_PERSON_LIMIT"], config["QUIZ_START_LIMIT"]) == (
        "3 per minute", "400 per minute", "4 per minute", "500 per minute")
