"""A leader logs a session on a phone, repeats the last one, corrects and deletes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attendance, AuditEvent, SessionTopic, StudySession
from tests.conftest import TODAY
from tests.sessions.conftest import assert_ledger_exact, days_ago, session_row, text

EN = {"Accept-Language": "en"}


def form(**overrides) -> dict:
    data = {"held_on": days_ago(1).isoformat(), "format": "case_based",
            "topics": ["civil-code", "anti-fraud"], "lecturer": "司法所刘所长",
            "duration_minutes": "90", "notes": "结合本村案例"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.object_type == "study_sessions", AuditEvent.action == action)).all()


def test_a_leader_logs_a_session_and_goes_on_to_mark_attendance(app, world, as_user):
    client = as_user(world.leader)
    page = client.get(f"/units/{world.mine.id}/sessions/new")
    assert page.status_code == 200
    assert f'value="{days_ago(0).isoformat()}"' in text(page)  # the date defaults to today
    assert 'value="60"' in text(page)
    response = client.post(f"/units/{world.mine.id}/sessions/new", data=form())
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalars(sa.select(StudySession)).one()
        assert response.headers["Location"].endswith(f"/sessions/{session.id}/attendance")
        assert session.code == f"{world.mine.code}-S{days_ago(1):%Y%m%d}-1"
        assert (session.format, session.duration_minutes) == ("case_based", 90)
        assert session.topics == ["anti-fraud", "civil-code"]
        assert session.lecturer == "司法所刘所长"
        assert session.created_by.username == world.leader
    assert len(audit(app, "create")) == 1


def test_codes_number_the_sessions_of_a_day(app, world, as_user):
    client = as_user(world.coordinator)
    for _ in range(2):
        assert client.post(f"/units/{world.mine.id}/sessions/new", data=form()).status_code == 302
    with app.app_context():
        codes = sorted(db.session.scalars(sa.select(StudySession.code)))
    prefix = f"{world.mine.code}-S{days_ago(1):%Y%m%d}"
    assert codes == [f"{prefix}-1", f"{prefix}-2"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"held_on": (TODAY + timedelta(days=2)).isoformat()}, "held_on", "in the future"),
    ({"held_on": "1999-12-31"}, "held_on", "before 2000"),
    ({"held_on": "yesterday"}, "held_on", "Not a valid date"),
    ({"duration_minutes": "0"}, "duration_minutes", "between 1 and 600"),
    ({"duration_minutes": "601"}, "duration_minutes", "between 1 and 600"),
    ({"topics": None}, "topics", "Choose at least one topic"),
    ({"topics": ["family-law"]}, "topics", "not a valid choice"),
    ({"format": "party"}, "format", "Not a valid choice"),
])
def test_bad_input_is_refused_next_to_its_field_and_the_input_is_kept(
        app, world, as_user, overrides, field, message, fixed_today):
    client = as_user(world.leader)
    response = client.post(f"/units/{world.mine.id}/sessions/new", headers=EN,
                           data=form(**overrides))
    assert response.status_code == 400
    page = text(response)
    assert f'id="{field}-error"' in page
    assert message.lower() in page.lower()
    assert "司法所刘所长" in page  # what was typed is still there
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(StudySession.id))) == 0


def test_errors_speak_chinese_by_default(world, as_user):
    client = as_user(world.leader)
    page = text(client.post(f"/units/{world.mine.id}/sessions/new",
                            data=form(topics=None, held_on="1999-01-01")))
    assert "请至少选择一个主题" in page
    assert "2000" in page


def test_wtforms_own_messages_follow_each_requests_language(world, as_user):
    """WTForms' catalogue is read once per language and process (lawlearn.forms): one
    reader's language must not stick to the next request."""
    client = as_user(world.leader)
    url = f"/units/{world.mine.id}/sessions/new"
    for headers, message in (({}, "不是有效的选择"), (EN, "Not a valid choice"),
                             ({}, "不是有效的选择")):
        page = text(client.post(url, headers=headers, data=form(format="party")))
        assert message in page


def test_repeat_last_session_prefills_everything_but_the_date(world, as_user, make_session):
    make_session(world.mine, held_on=days_ago(7), format="site_visit",
                 topics=["road-traffic", "anti-drug"], lecturer="交警王队", duration_minutes=45,
                 notes="路口现场")
    client = as_user(world.leader)
    plain = text(client.get(f"/units/{world.mine.id}/sessions/new"))
    assert "交警王队" not in plain and "sessions/new?repeat=1" in plain
    page = text(client.get(f"/units/{world.mine.id}/sessions/new?repeat=1"))
    assert "交警王队" in page and "路口现场" in page and 'value="45"' in page
    assert 'selected value="site_visit"' in page or 'value="site_visit" selected' in page
    assert page.count("checked") == 2
    assert f'value="{days_ago(0).isoformat()}"' in page


def test_a_retired_unit_takes_no_new_sessions(app, world, as_user):
    from lawlearn.models import StudyUnit

    with app.app_context():
        db.session.get(StudyUnit, world.mine.id).status = "retired"
        db.session.commit()
    client = as_user(world.coordinator)
    response = client.post(f"/units/{world.mine.id}/sessions/new", data=form())
    assert response.status_code == 302
    assert session_row(app, 1) is None


def test_editing_records_what_changed(app, world, as_user, make_session):
    sid = make_session(world.mine, held_on=days_ago(3))
    client = as_user(world.leader)
    page = client.get(f"/sessions/{sid}/edit")
    assert page.status_code == 200 and "checked" in text(page)
    response = client.post(f"/sessions/{sid}/edit", data=form(
        held_on=days_ago(2).isoformat(), topics=["constitution"], duration_minutes="120"))
    assert response.status_code == 302
    session = session_row(app, sid)
    assert (session.held_on, session.topics, session.duration_minutes) == (
        days_ago(2), ["constitution"], 120)
    [event] = audit(app, "update")
    assert event.changes["topics"] == [["civil-code"], ["constitution"]]
    assert event.changes["duration_minutes"] == [60, 120]
    assert event.changes["held_on"] == [days_ago(3).isoformat(), days_ago(2).isoformat()]
    assert_ledger_exact(app)


def test_deleting_asks_first_then_removes_the_session_and_its_attendance(
        app, world, as_user, make_session):
    sid = make_session(world.mine, held_on=days_ago(3))
    with app.app_context():
        db.session.add_all([Attendance(session_id=sid, person_id=pid, status="present",
                                       method="roster") for pid in world.people.values()])
        db.session.commit()
    client = as_user(world.coordinator)
    confirm = client.get(f"/sessions/{sid}/delete", headers=EN)
    assert confirm.status_code == 200 and "cannot be undone" in text(confirm)
    assert session_row(app, sid) is not None
    response = client.post(f"/sessions/{sid}/delete")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/units/{world.mine.id}#sessions")
    with app.app_context():
        assert db.session.get(StudySession, sid) is None
        assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionTopic)) == 0
    [event] = audit(app, "delete")
    assert event.changes["attendance"] == 4
    assert_ledger_exact(app)


def test_the_unit_page_shows_the_history_and_the_last_date(world, as_user, make_session):
    for n in (30, 10, 20):
        make_session(world.mine, held_on=days_ago(n), topics=["minors"])
    client = as_user(world.leader)
    page = text(client.get(f"/units/{world.mine.id}", headers=EN))
    assert f"3 sessions, the last on {days_ago(10).isoformat()}" in page
    assert page.index(days_ago(10).isoformat()) < page.index(days_ago(20).isoformat()) \
        < page.index(days_ago(30).isoformat())
    assert "Minors Protection Law" in page
    assert f"/units/{world.mine.id}/sessions/new" in page


def test_sessions_list_filters_and_counts(world, as_user, make_session):
    make_session(world.mine, held_on=days_ago(40), topics=["minors"], format="lecture")
    make_session(world.mine, held_on=days_ago(5), topics=["civil-code"], format="group_study")
    make_session(world.neighbour, held_on=days_ago(6), topics=["civil-code"], format="lecture")
    make_session(world.theirs, held_on=days_ago(5), topics=["civil-code"])
    client = as_user(world.coordinator)

    def dates(url):
        page = text(client.get(url, headers=EN))
        return page.count('<td data-label="Date">')

    assert dates("/sessions/") == 3  # 青山镇's session is not theirs to see
    assert dates("/sessions/?topic=civil-code") == 2
    assert dates("/sessions/?format=lecture") == 2
    assert dates(f"/sessions/?from={days_ago(10).isoformat()}") == 2
    assert dates(f"/sessions/?to={days_ago(10).isoformat()}") == 1
    assert dates(f"/sessions/?unit={world.mine.id}&topic=civil-code") == 1
    assert dates("/sessions/?from=nonsense") == 3  # an unreadable filter is ignored
    empty = text(client.get("/sessions/?topic=mediation", headers=EN))
    assert "No session matches these filters" in empty
    assert client.get(f"/sessions/?unit={world.theirs.id}").status_code == 404
