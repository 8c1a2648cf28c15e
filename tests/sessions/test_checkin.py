"""Checking in by QR code: no account, name + mobile, open on the session day and until
SESSION_CHECKIN_HOURS after it, then clearly closed; twice changes nothing; rate-limited."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Attendance, Person, RosterMember, StudySession
from lawlearn.sessions.checkin import checkin_window
from tests.sessions.conftest import assert_ledger_exact, days_ago, session_row, text

EN = {"Accept-Language": "en"}


def token_of(app, sid: int) -> str:
    return session_row(app, sid).checkin_token


def attendance(app, sid: int) -> list[tuple[str, str, str]]:
    with app.app_context():
        return sorted(db.session.execute(
            sa.select(Person.name, Attendance.status, Attendance.method)
            .join(Attendance.person).where(Attendance.session_id == sid)).all())


@pytest.mark.parametrize("now, hours, state", [
    (datetime(2026, 3, 14, 23, 59), 12, "not_yet"),
    (datetime(2026, 3, 15, 0, 0), 12, "open"),
    (datetime(2026, 3, 15, 20, 30), 12, "open"),   # an evening meeting
    (datetime(2026, 3, 16, 11, 59), 12, "open"),   # typed in the next morning
    (datetime(2026, 3, 16, 12, 0), 12, "closed"),
    (datetime(2026, 3, 16, 0, 0), 0, "closed"),
    (datetime(2026, 3, 17, 23, 0), 48, "open"),
])
def test_the_window_is_the_session_day_plus_the_configured_hours(app, now, hours, state):
    with app.app_context():
        window = checkin_window(date(2026, 3, 15), hours)
    assert window.state(now.replace(tzinfo=clock.TZ)) == state


def test_the_window_is_beijing_time_whatever_the_server_clock(app):
    with app.app_context():
        window = checkin_window(date(2026, 3, 15))
    from datetime import UTC

    assert window.opens == datetime(2026, 3, 14, 16, 0, tzinfo=UTC)  # 00:00 in Beijing
    assert window.state(datetime(2026, 3, 14, 16, 30, tzinfo=UTC)) == "open"


def test_the_page_goes_by_beijing_time_on_a_server_still_on_yesterday(
        app, client, world, make_session, freeze_clock):
    """At 01:00 on 1 July in Beijing (30 June 17:00 in UTC) a meeting held today is open, and
    the window shown is in Beijing time."""
    freeze_clock(datetime(2026, 7, 1, 1, 0, tzinfo=clock.TZ))
    today = token_of(app, make_session(world.mine, held_on=date(2026, 7, 1)))
    page = text(client.get(f"/s/{today}"))
    assert 'name="mobile"' in page
    tomorrow = token_of(app, make_session(world.mine, held_on=date(2026, 7, 2)))
    assert "2026-07-02 00:00" in text(client.get(f"/s/{tomorrow}"))  # opens at Beijing 00:00


def test_a_participant_checks_in_with_name_and_mobile(app, client, world, make_session):
    sid = make_session(world.mine, topics=["civil-code", "anti-fraud"])
    token = token_of(app, sid)
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    assert "城关镇张家中心户" in text(page) and "民法典" in text(page)
    assert 'href="/home"' not in text(page)  # no staff navigation
    response = client.post(f"/s/{token}", data={"name": " 孙大妈 ", "mobile": "139 0000 0055"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{token}/done")
    assert attendance(app, sid) == [("孙大妈", "present", "qr")]
    with app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.name == "孙大妈"))
        assert person.phone_masked == "139****0055"
        assert db.session.scalar(sa.select(RosterMember.id).where(
            RosterMember.unit_id == world.mine.id, RosterMember.person_id == person.id))
        assert db.session.get(StudySession, sid).attended_count == 1
    with client.session_transaction() as browser:
        assert browser["participant_id"] == person.id
    done = text(client.get(f"/s/{token}/done"))
    assert "孙大妈" in done and "已签到" in done
    assert "<h1>已签到</h1>" in done  # a heading, where a screen reader jumps to
    assert_ledger_exact(app)


def test_someone_on_the_roster_is_recognised_by_their_mobile(app, client, world, make_session):
    sid = make_session(world.mine)
    client.post(f"/s/{token_of(app, sid)}", data={"name": "李秀英", "mobile": "13900000021"})
    assert attendance(app, sid) == [("李秀英", "present", "qr")]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id)).where(
            Person.name == "李秀英")) == 1


def test_checking_in_twice_changes_nothing(app, client, world, make_session):
    sid = make_session(world.mine)
    token = token_of(app, sid)
    for _ in range(2):
        assert client.post(f"/s/{token}", data={"name": "孙大妈", "mobile": "13900000055"}
                           ).status_code == 302
    assert attendance(app, sid) == [("孙大妈", "present", "qr")]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(
            Person.name == "孙大妈")) == 1
        [recorded_at] = db.session.scalars(sa.select(Attendance.recorded_at)).all()
    client.post(f"/s/{token}", data={"name": "孙大妈", "mobile": "13900000055"})
    with app.app_context():
        assert db.session.scalars(sa.select(Attendance.recorded_at)).all() == [recorded_at]


def test_someone_marked_absent_who_scans_after_all_is_present(app, client, world, make_session):
    sid = make_session(world.mine)
    with app.app_context():
        db.session.add(Attendance(session_id=sid, person_id=world.people["李秀英"],
                                  status="absent", method="roster"))
        db.session.commit()
    client.post(f"/s/{token_of(app, sid)}", data={"name": "李秀英", "mobile": "13900000021"})
    assert attendance(app, sid) == [("李秀英", "present", "roster")]


def test_after_the_window_it_says_closed_and_writes_nothing(app, client, world, make_session):
    sid = make_session(world.mine, held_on=days_ago(2))
    token = token_of(app, sid)
    page = client.get(f"/s/{token}", headers=EN)
    assert page.status_code == 200
    assert "Check-in for this session is closed" in text(page)
    assert 'name="mobile"' not in text(page)
    response = client.post(f"/s/{token}", data={"name": "迟到者", "mobile": "13900000066"},
                           headers=EN)
    assert response.status_code == 403 and "closed" in text(response)
    assert attendance(app, sid) == []
    assert "签到已结束" in text(client.get(f"/s/{token}"))


def test_bad_input_is_refused_with_the_input_kept(app, client, world, make_session):
    sid = make_session(world.mine)
    response = client.post(f"/s/{token_of(app, sid)}", data={"name": "孙大妈", "mobile": "8888"})
    assert response.status_code == 400
    assert 'id="mobile-error"' in text(response) and 'value="孙大妈"' in text(response)
    assert attendance(app, sid) == []


def test_an_unknown_token_is_404(client, world):
    assert client.get("/s/not-a-real-token").status_code == 404


def test_the_done_page_needs_a_check_in_first(app, client, world, make_session):
    token = token_of(app, make_session(world.mine))
    response = client.get(f"/s/{token}/done")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{token}")


def test_the_success_page_links_each_topic_to_its_quiz(app, world, make_session, database_url,
                                                       tmp_path):
    """On an app of its own, so a stand-in quiz page can be added when this build's quiz
    blueprint has none yet (the quiz slug is the topic code)."""
    from flask import url_for

    from lawlearn import create_app
    from tests.conftest import _config

    token = token_of(app, make_session(world.mine, topics=["civil-code", "anti-fraud"]))
    quiz_app = create_app(_config(database_url, tmp_path / "quiz-instance"))
    client = quiz_app.test_client()
    client.post(f"/s/{token}", data={"name": "孙大妈", "mobile": "13900000055"})
    page = text(client.get(f"/s/{token}/done"))
    with quiz_app.test_request_context():
        links = [url_for("quiz_public.start", slug=t, s=token) for t in ("anti-fraud", "civil-code")]
        db.engine.dispose()
    for link in links:
        assert f'href="{link}"' in page.replace("&amp;", "&")


def test_a_known_number_with_another_name_checks_nobody_in_and_shows_no_name(
        app, client, world, make_session):
    """A neighbour's number typed with another name neither renames them, nor checks them
    in, nor shows the name stored behind the number (lawlearn.participants' rule)."""
    sid = make_session(world.mine)
    response = client.post(f"/s/{token_of(app, sid)}", headers=EN,
                           data={"name": "冒名者", "mobile": "13900000021"})
    assert response.status_code == 400
    assert "registered under another name" in text(response)
    assert "李秀英" not in text(response)
    assert attendance(app, sid) == []
    with app.app_context():
        assert db.session.scalar(sa.select(Person.name).where(
            Person.phone_masked == "139****0021")) == "李秀英"
