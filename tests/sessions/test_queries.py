"""Pages cost the same number of queries for a few rows as for many (no N+1): a unit with
500 sessions, a session with 300 attendees, the lists."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Attendance, Person, RosterMember, SessionTopic, StudySession, StudyUnit
from tests.sessions.conftest import queries_for


def add_sessions(app, unit_id: int, n: int) -> list[int]:
    """Sessions with two topics each, written in bulk (the ledger is not under test here)."""
    with app.app_context():
        start = db.session.scalar(sa.select(sa.func.count(StudySession.id)))
        rows = [{"code": f"Q-{start + i}", "unit_id": unit_id, "format": "lecture",
                 "held_on": clock.today() - timedelta(days=(start + i) % 900),
                 "duration_minutes": 60, "attended_count": i % 7} for i in range(n)]
        db.session.execute(StudySession.__table__.insert(), rows)
        ids = list(db.session.scalars(sa.select(StudySession.id).where(
            StudySession.code.in_([r["code"] for r in rows]))))
        db.session.execute(SessionTopic.__table__.insert(), [
            {"session_id": sid, "topic": t} for sid in ids for t in ("civil-code", "minors")])
        db.session.commit()
        return ids


def add_people(app, unit_id: int, n: int, session_id: int | None = None) -> None:
    with app.app_context():
        start = db.session.scalar(sa.select(sa.func.count(Person.id)))
        ids = [db.session.execute(Person.__table__.insert().values(
            name=f"村民{start + i}", phone_masked="139****0000")).inserted_primary_key[0]
            for i in range(n)]
        db.session.execute(RosterMember.__table__.insert(), [
            {"unit_id": unit_id, "person_id": pid} for pid in ids])
        if session_id:
            db.session.execute(Attendance.__table__.insert(), [
                {"session_id": session_id, "person_id": pid, "status": "present",
                 "method": "roster"} for pid in ids])
        db.session.commit()


def test_a_unit_page_costs_the_same_with_5_sessions_as_with_500(app, client, world, as_user):
    as_user(world.coordinator)
    url = f"/units/{world.mine.id}"
    add_sessions(app, world.mine.id, 5)
    few = queries_for(app, client, url)
    add_sessions(app, world.mine.id, 495)
    assert queries_for(app, client, url) == few
    assert "500" in client.get(url).get_data(as_text=True)


def test_a_session_page_costs_the_same_with_3_attendees_as_with_300(app, client, world,
                                                                   as_user):
    as_user(world.coordinator)
    [sid] = add_sessions(app, world.mine.id, 1)
    add_people(app, world.mine.id, 3, sid)
    pages = [f"/sessions/{sid}", f"/sessions/{sid}/attendance", f"/sessions/{sid}/sheet"]
    few = [queries_for(app, client, url) for url in pages]
    add_people(app, world.mine.id, 297, sid)
    assert [queries_for(app, client, url) for url in pages] == few
    assert [queries_for(app, client, url + "?page=2") for url in pages[:1]] == few[:1]


def test_the_lists_cost_the_same_for_few_rows_as_for_many(app, client, world, as_user):
    as_user(world.admin)
    add_sessions(app, world.mine.id, 3)
    add_sessions(app, world.theirs.id, 2)
    person = world.people["李秀英"]
    with app.app_context():
        for sid in db.session.scalars(sa.select(StudySession.id)):
            db.session.add(Attendance(session_id=sid, person_id=person, status="present",
                                      method="import"))
        db.session.commit()
    urls = ["/sessions/", "/sessions/?topic=minors", f"/people/{person}", "/sessions/dormant?days=1"]
    few = [queries_for(app, client, url) for url in urls]
    ids = add_sessions(app, world.theirs.id, 60)
    with app.app_context():
        db.session.execute(Attendance.__table__.insert(), [
            {"session_id": sid, "person_id": person, "status": "late", "method": "import"}
            for sid in ids])
        db.session.add_all(StudyUnit(code=f"D{i}", kind="household", name=f"闲置{i}",
                                     area_id=world.county["青山镇"]["village"].id,
                                     leader_name="王", leader_phone="13900000001", reach=1,
                                     registered_on=clock.today()) for i in range(60))
        db.session.commit()
    assert [queries_for(app, client, url) for url in urls] == few
