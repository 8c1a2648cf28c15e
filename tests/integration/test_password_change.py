"""Changing one's own password, and a reset by the office or a coordinator that issues a
one-time password which must be replaced at the next login."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lawlearn.models import AuditEvent, User
from tests.conftest import PASSWORD, login
from tests.integration.helpers import EN, field_errors, location_path, rows, scalar, text

NEW = "plum river lantern"


def change(client, current, new, confirm=None):
    return client.post("/password", headers=EN, data={
        "current": current, "password": new, "confirm": confirm or new})


def try_login(app, name, password):
    return app.test_client().post("/login", data={"username": name, "password": password})


def test_anyone_changes_their_password_with_the_current_one(app, client, make_user, county,
                                                            make_unit, user_id):
    leader = make_user("leader", units=[make_unit(county["城关镇"]["village"])])
    login(client, leader)
    other_phone = app.test_client()
    login(other_phone, leader)
    assert "My password" in text(client.get("/home", headers=EN))

    wrong = change(client, "not my password", NEW)
    assert field_errors(text(wrong), "current") == ["The current password is wrong."]
    weak = change(client, PASSWORD, "aaaaaaaaaaaa")
    assert field_errors(text(weak), "password")[0].startswith("This password is one of the first")
    differs = change(client, PASSWORD, NEW, confirm="plum river lanterns")
    assert field_errors(text(differs), "confirm") == ["The two passwords differ."]

    assert location_path(change(client, PASSWORD, NEW)) == "/home"
    assert client.get("/home").status_code == 200  # this login goes on
    assert location_path(other_phone.get("/home")) == "/login"  # the other one has ended
    assert try_login(app, leader, PASSWORD).status_code == 200  # refused
    assert location_path(try_login(app, leader, NEW)) == "/home"
    assert rows(app, sa.select(AuditEvent.action, AuditEvent.user_id, AuditEvent.object_id)
                .where(AuditEvent.action == "change_password")) == [
        ("change_password", user_id(leader), user_id(leader))]


def one_time_password(page: str) -> str:
    match = re.search(r'<code id="one-time-password">([^<]+)</code>', page)
    assert match, page[:2000]
    return match.group(1)


def test_the_office_resets_a_password_and_the_holder_must_replace_it(app, client, make_user,
                                                                     county, user_id):
    office = make_user("admin", area=county["county"])
    coordinator = make_user("coordinator", area=county["城关镇"]["town"])
    holder = app.test_client()
    login(holder, coordinator)
    login(client, office)

    listing = text(client.get("/accounts/", headers=EN))
    assert f'/accounts/{user_id(coordinator)}/reset-password' in listing
    assert "Reset password" in text(client.get(f"/accounts/{user_id(coordinator)}/reset-password",
                                               headers=EN))
    done = client.post(f"/accounts/{user_id(coordinator)}/reset-password", headers=EN)
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    once = one_time_password(text(done))
    assert len(once) == 19

    assert location_path(holder.get("/home")) == "/login"  # their logins ended
    assert try_login(app, coordinator, PASSWORD).status_code == 200  # the old one is refused
    assert location_path(login(holder, coordinator, once)) == "/password"
    for page in ("/home", "/units/", "/reports/coverage"):  # every page leads to the form
        assert location_path(holder.get(page)) == "/password"
    # but the participants' pages, which have nothing to do with the staff account
    # (lawlearn.public.PARTICIPANT_BLUEPRINTS): the quiz list opens as for anyone.
    assert holder.get("/q/").status_code == 200
    assert holder.get("/password").status_code == 200
    assert field_errors(text(change(holder, once, once)), "password") == [
        "The new password must differ from the current one."]
    assert location_path(change(holder, once, NEW)) == "/home"
    assert holder.get("/units/").status_code == 200
    assert try_login(app, coordinator, once).status_code == 200  # used once, then gone

    events = rows(app, sa.select(AuditEvent.action, AuditEvent.user_id, AuditEvent.object_id)
                  .where(AuditEvent.action.in_(["reset_password", "change_password"]))
                  .order_by(AuditEvent.id))
    assert events == [("reset_password", user_id(office), user_id(coordinator)),
                      ("change_password", user_id(coordinator), user_id(coordinator))]
    assert not scalar(app, sa.select(User.must_change_password)
                      .where(User.username == coordinator))


def test_a_coordinator_resets_only_their_towns_leaders(app, client, make_user, county,
                                                      make_unit, user_id):
    coordinator = make_user("coordinator", area=county["城关镇"]["town"])
    own_leader = make_user("leader", units=[make_unit(county["城关镇"]["village"])])
    other_leader = make_user("leader", units=[make_unit(county["青山镇"]["village"])])
    fellow = make_user("coordinator", area=county["城关镇"]["town"])
    office = make_user("admin", area=county["county"])
    login(client, coordinator)

    done = client.post(f"/accounts/{user_id(own_leader)}/reset-password")
    assert done.status_code == 200 and one_time_password(text(done))
    assert client.post(f"/accounts/{user_id(fellow)}/reset-password").status_code == 403
    assert client.post(f"/accounts/{user_id(office)}/reset-password").status_code in (403, 404)
    assert client.post(f"/accounts/{user_id(other_leader)}/reset-password").status_code == 404
    assert client.post(f"/accounts/{user_id(coordinator)}/reset-password").status_code == 403
    listing = text(client.get("/accounts/"))
    assert f"/accounts/{user_id(own_leader)}/reset-password" in listing
    assert f"/accounts/{user_id(fellow)}/reset-password" not in listing
    for name in (fellow, office, other_leader, coordinator):
        assert not scalar(app, sa.select(User.must_change_password).where(User.username == name))


def test_a_leader_resets_nobody(client, make_user, county, make_unit, user_id):
    unit = make_unit(county["城关镇"]["village"])
    leader, colleague = make_user("leader", units=[unit]), make_user("leader", units=[unit])
    login(client, leader)
    assert client.post(f"/accounts/{user_id(colleague)}/reset-password").status_code == 403
