"""The audit page: the office sees every event, a coordinator their town's; filters by who,
what, area and date; pages; a formula-safe CSV; and what gets recorded (logins, exports,
imports, password resets, public check-ins with their address); `lawlearn purge`."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, StudySession, StudyUnit
from lawlearn.models.base import utcnow
from tests.conftest import login, recorded_queries
from tests.integration.helpers import EN, field_errors, rows, table_rows, text


@pytest.fixture
def towns(app, county, make_unit, make_user):
    """A unit in each town (each creation is an event of that town) and the people."""
    cg, qs = county["城关镇"], county["青山镇"]
    return {
        "own_unit": make_unit(cg["village"], name="城关镇张家中心户"),
        "their_unit": make_unit(qs["village"], name="青山镇李家中心户"),
        "office": make_user("admin", area=county["county"], username="office"),
        "coordinator": make_user("coordinator", area=cg["town"], username="cg-coord"),
        "county": county,
    }


def audit_rows(client, **args) -> list[list[str]]:
    response = client.get("/audit/", query_string=args, headers=EN)
    assert response.status_code == 200, text(response)[:1000]
    if "No events match." in text(response):
        return []
    return table_rows(text(response), "audit")


def objects(table) -> list[str]:
    return [row[3] for row in table]


def test_the_office_sees_every_town_and_a_coordinator_only_theirs(client, towns, app):
    login(client, "office")
    seen = objects(audit_rows(client))
    assert any("unit" in o.lower() and o.endswith(towns["own_unit"].code) for o in seen)
    assert any(o.endswith(towns["their_unit"].code) for o in seen)
    client.post("/logout")

    login(client, "cg-coord")
    seen = objects(audit_rows(client))
    assert any(o.endswith(towns["own_unit"].code) for o in seen)
    assert not any(o.endswith(towns["their_unit"].code) for o in seen)
    assert "cg-coord" in [row[1] for row in audit_rows(client, action="login")]


def test_a_leader_has_no_audit_page(client, towns, make_user):
    login(client, make_user("leader", units=[towns["own_unit"]]))
    assert client.get("/audit/").status_code == 403


def test_filters_by_who_what_area_and_date(client, towns, app):
    login(client, "office")
    client.post("/logout")
    client.post("/login", data={"username": "cg-coord", "password": "wrong wrong wrong"})
    login(client, "office")

    about_coordinator = audit_rows(client, who="cg-coord")
    assert {row[2] for row in about_coordinator} >= {"Failed login", "Created"}
    assert {row[2] for row in audit_rows(client, action="login")} == {"Logged in"}
    qs_code = towns["county"]["青山镇"]["town"].code
    in_qs = objects(audit_rows(client, area=qs_code))
    assert in_qs and all(o.split()[-1].startswith(qs_code) for o in in_qs)
    assert any(o.endswith(towns["their_unit"].code) for o in in_qs)
    today = utcnow().date()
    assert audit_rows(client, **{"from": (today + timedelta(days=2)).isoformat()}) == []
    assert audit_rows(client, to=(today - timedelta(days=2)).isoformat()) == []
    assert len(audit_rows(client, **{"from": (today - timedelta(days=1)).isoformat(),
                                     "to": (today + timedelta(days=1)).isoformat()})) > 3


def test_another_towns_area_code_is_answered_like_an_unknown_one(client, towns):
    login(client, "cg-coord")
    answers = []
    for code in (towns["county"]["青山镇"]["town"].code, "999999"):
        response = client.get("/audit/", query_string={"area": code}, headers=EN)
        assert response.status_code == 400
        answers.append(field_errors(text(response), "area"))
    assert answers == [[f"No area you look after has the code {code}."]
                       for code in (towns["county"]["青山镇"]["town"].code, "999999")]
    for bad in ({"from": "9999-12-31"}, {"to": "0001-01-01"}, {"from": "2026-13-01"},
                {"who": "a\x00b"}, {"area": "33\x00"}, {"action": "drop"}):
        assert client.get("/audit/", query_string=bad, headers=EN).status_code == 400, bad


def _add_events(app, n: int, area_id: int) -> None:
    with app.app_context():
        db.session.execute(sa.insert(AuditEvent), [
            {"action": "update", "object_type": "areas", "object_id": area_id,
             "object_code": f"E{i}", "area_id": area_id, "at": utcnow()} for i in range(n)])
        db.session.commit()


def test_pages_of_fifty_at_a_fixed_number_of_queries(client, towns, app):
    login(client, "office")
    area_id = towns["county"]["城关镇"]["village"].id
    _add_events(app, 5, area_id)
    client.get("/audit/")  # warm-up
    with recorded_queries(app) as few:
        assert client.get("/audit/").status_code == 200
    _add_events(app, 120, area_id)
    with recorded_queries(app) as many:
        first = client.get("/audit/", headers=EN)
    assert len(many) == len(few)
    assert len(table_rows(text(first), "audit")) == 50
    assert 'rel="next"' in text(first)
    assert len(audit_rows(client, page=3)) >= 25


def test_the_csv_export_keeps_formulas_as_text_and_is_audited(client, towns, app):
    client.post("/login", data={"username": '=HYPERLINK("http://evil.example","x")',
                                "password": "whatever whatever"})
    client.post("/login", data={"username": "+1+1", "password": "whatever whatever"})
    login(client, "office")
    response = client.get("/audit/", query_string={"action": "login_failed", "format": "csv"},
                          headers=EN)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][:3] == ["Time (Beijing)", "Account", "What"]
    codes = sorted(row[4] for row in table[1:])
    assert codes == ["'+1+1", "'=HYPERLINK(\"http://evil.example\",\"x\")"]
    assert rows(app, sa.select(AuditEvent.action, AuditEvent.object_type)
                .where(AuditEvent.action == "export")) == [("export", "audit")]


def test_a_report_export_is_recorded_with_who_and_which_report(client, towns, app, user_id):
    login(client, "cg-coord")
    town = towns["county"]["城关镇"]["town"].code
    response = client.get("/reports/coverage", query_string={
        "area": town, "from": "2026-01-01", "to": "2026-06-30", "format": "csv"})
    assert response.status_code == 200
    event = rows(app, sa.select(AuditEvent.user_id, AuditEvent.object_code, AuditEvent.changes)
                 .where(AuditEvent.action == "export"))
    assert event == [(user_id("cg-coord"), town, {"report": "coverage", "format": "csv",
                                                  "from": "2026-01-01", "to": "2026-06-30"})]


def test_an_import_is_recorded_once_with_its_file_and_counts(runner, towns, app, tmp_path):
    village = towns["county"]["城关镇"]["village"].code
    file = tmp_path / "units.csv"
    file.write_text("code,kind,name,area_code,leader_name,leader_phone,reach,registered_on\n"
                    f"U-NEW-1,household,新中心户,{village},张三,13900000002,8,2026-01-05\n",
                    encoding="utf-8")
    result = runner.invoke(args=["import", "units", str(file)])
    assert result.exit_code == 0, result.output
    assert rows(app, sa.select(AuditEvent.object_code, AuditEvent.changes)
                .where(AuditEvent.action == "import")) == [
        ("units", {"file": "units.csv", "rows": 1, "created": 1, "updated": 0, "unchanged": 0})]


def test_a_public_check_in_is_recorded_with_its_address(app, towns):
    from lawlearn import clock
    from lawlearn.sessions.operations import log_session

    with app.test_request_context():
        session = log_session(db.session.get(StudyUnit, towns["own_unit"].id),
                              held_on=clock.today(), topics=["civil-code"], format="lecture",
                              lecturer="张老师", duration_minutes=60, notes=None)
        db.session.commit()
        token = db.session.get(StudySession, session.id).checkin_token
    phone = app.test_client()
    response = phone.post(f"/s/{token}", data={"name": "孙大妈", "mobile": "13900000055"},
                          environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 302
    assert rows(app, sa.select(AuditEvent.address, AuditEvent.area_id)
                .where(AuditEvent.action == "check_in")) == [
        ("10.9.8.7", towns["county"]["城关镇"]["village"].id)]


def test_purge_deletes_events_older_than_the_retention(app, runner, towns):
    area_id = towns["county"]["城关镇"]["village"].id
    with app.app_context():
        db.session.execute(sa.insert(AuditEvent), [
            {"action": "update", "object_type": "areas", "object_code": code, "area_id": area_id,
             "at": utcnow() - timedelta(days=days)} for code, days in (("OLD", 40), ("NEW", 20))])
        db.session.commit()
    app.config["AUDIT_RETENTION_DAYS"] = 30
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    kept = rows(app, sa.select(AuditEvent.object_code).where(
        AuditEvent.object_code.in_(["OLD", "NEW"])))
    assert kept == [("NEW",)]
