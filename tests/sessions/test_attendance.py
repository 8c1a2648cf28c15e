"""Marking attendance from the roster: one post for the whole roster, walk-ins join it, and
nothing a participant did meanwhile is undone. A person's page shows their history."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attendance, AuditEvent, Person, RosterMember, StudySession
from tests.conftest import recorded_queries
from tests.sessions.conftest import assert_ledger_exact, days_ago, text

EN = {"Accept-Language": "en"}


def roster_form(page: str) -> dict[str, str]:
    """What the browser would send back untouched: the hidden fields of every entry."""
    return dict(re.findall(r'name="(marks-\d+-(?:person_id|initial))" type="hidden" '
                           r'value="([^"]*)"', page))


def entry_of(page: str, person: int) -> str:
    return re.search(rf'name="(marks-\d+)-person_id" type="hidden" value="{person}"',
                     page).group(1)


def statuses(app, session_id: int) -> dict[str, tuple[str, str]]:
    with app.app_context():
        return {name: (status, method) for name, status, method in db.session.execute(
            sa.select(Person.name, Attendance.status, Attendance.method)
            .join(Attendance.person).where(Attendance.session_id == session_id))}


def test_the_whole_roster_is_marked_in_one_post(app, client, world, as_user, make_session):
    sid = make_session(world.mine, held_on=days_ago(1))
    as_user(world.leader)
    page = text(client.get(f"/sessions/{sid}/attendance", headers=EN))
    assert page.count('type="radio"') == 3 * 4  # three on the roster, four statuses each
    data = roster_form(page)
    p = world.people
    data[entry_of(page, p["李秀英"]) + "-status"] = "present"
    data[entry_of(page, p["王大伯"]) + "-status"] = "late"
    data[entry_of(page, p["赵小红"]) + "-status"] = "excused"
    data.update({"walk_ins-0-name": "孙路过", "walk_ins-0-mobile": "139-0000-0088",
                 "walk_ins-1-name": "周无号", "walk_ins-2-name": ""})
    with recorded_queries(app) as statements:
        response = client.post(f"/sessions/{sid}/attendance", data=data)
    assert response.status_code == 302
    assert sum(s.lstrip().upper().startswith("INSERT INTO ATTENDANCE") for s in statements) == 1
    assert statuses(app, sid) == {
        "李秀英": ("present", "roster"), "王大伯": ("late", "roster"),
        "赵小红": ("excused", "roster"), "孙路过": ("present", "walk_in"),
        "周无号": ("present", "walk_in")}
    # The session page says how each came to be recorded: 到场登记 for the walk-ins.
    shown = re.findall(r'<a href="[^"]*/people/\d+">([^<]+)</a>.*?'
                       r'data-label="登记方式">([^<]+)</td>',
                       text(client.get(f"/sessions/{sid}")), re.S)
    assert ("孙路过", "到场登记") in shown and ("李秀英", "名册") in shown
    with app.app_context():
        assert db.session.get(StudySession, sid).attended_count == 4
        roster = set(db.session.scalars(sa.select(Person.name).join(
            RosterMember, RosterMember.person_id == Person.id)
            .where(RosterMember.unit_id == world.mine.id)))
        assert {"孙路过", "周无号"} <= roster
        masked = db.session.scalar(sa.select(Person.phone_masked).where(Person.name == "孙路过"))
        assert masked == "139****0088"
        [event] = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "mark_attendance")).all()
        assert event.changes == {"added": 5, "changed": 0, "walk_ins": 2}
    assert_ledger_exact(app)

    # Correcting one mark later changes that row only.
    page = text(client.get(f"/sessions/{sid}/attendance"))
    assert page.count("checked") == 5
    data = roster_form(page)
    data[entry_of(page, p["赵小红"]) + "-status"] = "present"
    for name in ("李秀英", "王大伯"):
        data[entry_of(page, p[name]) + "-status"] = {"李秀英": "present", "王大伯": "late"}[name]
    assert client.post(f"/sessions/{sid}/attendance", data=data).status_code == 302
    assert statuses(app, sid)["赵小红"] == ("present", "roster")
    with app.app_context():
        assert db.session.get(StudySession, sid).attended_count == 5
    assert_ledger_exact(app)


def test_a_qr_check_in_made_while_the_page_was_open_is_not_undone(
        app, client, world, as_user, make_session):
    sid = make_session(world.mine)
    as_user(world.leader)
    page = text(client.get(f"/sessions/{sid}/attendance"))
    with app.app_context():  # 李秀英 scans the code while the leader is still marking
        db.session.add(Attendance(session_id=sid, person_id=world.people["李秀英"],
                                  status="present", method="qr"))
        db.session.commit()
    data = roster_form(page)
    data[entry_of(page, world.people["王大伯"]) + "-status"] = "present"
    assert client.post(f"/sessions/{sid}/attendance", data=data).status_code == 302
    assert statuses(app, sid) == {"李秀英": ("present", "qr"), "王大伯": ("present", "roster")}


def test_someone_who_checked_in_appears_on_the_roster_page(app, client, world, as_user,
                                                          make_session):
    sid = make_session(world.mine)
    with app.app_context():
        stranger = Person(name="外村人")
        db.session.add(stranger)
        db.session.flush()
        db.session.add(Attendance(session_id=sid, person_id=stranger.id, status="late",
                                  method="import"))
        db.session.commit()
    as_user(world.leader)
    page = text(client.get(f"/sessions/{sid}/attendance"))
    assert "外村人" in page and page.count("checked") == 1


def test_a_tampered_person_id_changes_nothing(app, client, world, as_user, make_session):
    sid = make_session(world.mine)
    as_user(world.leader)
    page = text(client.get(f"/sessions/{sid}/attendance", headers=EN))
    data = roster_form(page)
    first = entry_of(page, world.people["李秀英"])
    data[first + "-person_id"] = str(world.people["陈青山"])  # 青山镇's villager
    data[first + "-status"] = "present"
    response = client.post(f"/sessions/{sid}/attendance", data=data, headers=EN)
    assert response.status_code == 400 and "Reload the page" in text(response)
    assert statuses(app, sid) == {}


def test_a_walk_in_needs_a_name_and_a_real_mobile(app, client, world, as_user, make_session):
    sid = make_session(world.mine)
    as_user(world.leader)
    page = text(client.get(f"/sessions/{sid}/attendance"))
    data = {**roster_form(page), "walk_ins-0-mobile": "13900000099",
            "walk_ins-1-name": "钱多多", "walk_ins-1-mobile": "12345"}
    response = client.post(f"/sessions/{sid}/attendance", data=data, headers=EN)
    assert response.status_code == 400
    page = text(response)
    assert 'id="walk_ins-0-name-error"' in page and "Enter the name too" in page
    assert 'id="walk_ins-1-mobile-error"' in page and 'value="钱多多"' in page
    assert statuses(app, sid) == {}


def test_a_walk_in_already_on_the_roster_is_not_added_twice(app, client, world, as_user,
                                                            make_session):
    sid = make_session(world.mine)
    as_user(world.leader)
    page = text(client.get(f"/sessions/{sid}/attendance"))
    data = {**roster_form(page), "walk_ins-0-name": "李秀英", "walk_ins-0-mobile": "13900000021"}
    data[entry_of(page, world.people["李秀英"]) + "-status"] = "absent"
    assert client.post(f"/sessions/{sid}/attendance", data=data).status_code == 302
    assert statuses(app, sid) == {"李秀英": ("present", "roster")}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(
            RosterMember.unit_id == world.mine.id)) == 3


def test_a_persons_page_shows_their_history_with_a_masked_mobile(
        app, client, world, as_user, make_session):
    mine = make_session(world.mine, held_on=days_ago(9), format="site_visit")
    theirs = make_session(world.theirs, held_on=days_ago(8))
    pid = world.people["李秀英"]
    with app.app_context():
        db.session.add_all([Attendance(session_id=s, person_id=pid, status=st, method="roster")
                            for s, st in ((mine, "late"), (theirs, "present"))])
        db.session.commit()
    as_user(world.leader)
    page = text(client.get(f"/people/{pid}", headers=EN))
    assert "李秀英" in page and "139****0021" in page and "13900000021" not in page
    assert days_ago(9).isoformat() in page and "Site visit" in page and "Late" in page
    assert days_ago(8).isoformat() not in page  # a session in 青山镇: not theirs to see
    as_user(world.their_coordinator)
    assert client.get(f"/people/{pid}").status_code == 200  # attended in their town
    assert days_ago(9).isoformat() not in text(client.get(f"/people/{pid}"))
    assert client.get(f"/people/{world.people['王大伯']}").status_code == 404
