"""Malformed input gets a 4xx with a clear message and changes nothing; never a 500.

Each case here answered 500 before (on PostgreSQL, SQLite or both): NUL characters, integers
no database column holds, dates at the ends of the calendar, fields of spaces.
"""

from __future__ import annotations

import pytest

from lawlearn.models import Area, Attendance, StudyUnit
from tests.conftest import login
from tests.integration.helpers import EN, count, field_errors, text

NUL_PATHS = ["/s/%00", "/q/%00", "/q/a/%00", "/q/r/%00", "/s/%00/done", "/imports/%00",
             "/quizzes/banks/%00"]


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_in_an_address_is_a_clear_400_without_signing_in(client, path):
    response = client.get(path, headers=EN)
    assert response.status_code == 400
    assert "NUL character" in text(response)


def test_a_nul_in_the_login_form_is_a_clear_400(client, make_user):
    name = make_user("admin")
    response = client.post("/login", headers=EN, data={"username": name + "\x00",
                                                       "password": "x\x00"})
    assert response.status_code == 400
    assert "NUL character" in text(response)
    assert client.get("/home").status_code == 302  # not signed in


def test_a_nul_in_a_query_parameter_or_its_name_is_a_clear_400(office):
    for query in ({"q": "东\x00村"}, {"q\x00": "x"}):
        response = office.get("/units/", query_string=query, headers=EN)
        assert response.status_code == 400
        assert "NUL character" in text(response)


def test_a_nul_in_a_form_field_stores_nothing(office, app, county):
    response = office.post("/areas/new", headers=EN, data={
        "code": "330101009", "name": "东\x00村", "level": "village",
        "parent_id": county["城关镇"]["town"].id})
    assert response.status_code == 400
    assert count(app, Area, Area.code == "330101009") == 0


HUGE = "9" * 25


@pytest.mark.parametrize("path", [f"/areas/{HUGE}", f"/units/{HUGE}", f"/sessions/{HUGE}",
                                  f"/people/{HUGE}", f"/areas/{2**31}/edit",
                                  f"/sessions/1/photos/{HUGE}"])
def test_an_id_beyond_any_database_id_is_not_found(office, path):
    assert office.get(path).status_code == 404


@pytest.mark.parametrize("value", [HUGE, "-1", "１", "-" + HUGE, "1e3"])
@pytest.mark.parametrize("path,parameter", [("/units/", "area"), ("/sessions/", "area"),
                                            ("/sessions/", "unit"), ("/sessions/dormant", "area"),
                                            ("/units/new/household", "area"),
                                            ("/areas/new", "parent"), ("/units/", "page"),
                                            ("/sessions/dormant", "page")])
def test_an_unreadable_id_in_the_query_string_is_ignored(office, path, parameter, value):
    assert office.get(path, query_string={parameter: value}).status_code == 200


@pytest.mark.parametrize("field", ["parent_id", "employees"])
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, str(2**63)])
def test_a_huge_number_in_the_area_form_is_a_field_error(office, app, county, field, value):
    data = {"code": "330101E09", "name": "新厂", "level": "enterprise",
            "parent_id": county["城关镇"]["town"].id, "employees": "10", field: value}
    response = office.post("/areas/new", headers=EN, data=data)
    assert response.status_code == 400
    assert field_errors(text(response), field)
    assert count(app, Area, Area.code == "330101E09") == 0


@pytest.mark.parametrize("path", ["/reports/coverage", "/reports/coverage/print"])
@pytest.mark.parametrize("query", [{"to": "9999-12-31"}, {"from": "0001-01-01"},
                                   {"from": "0001-01-01", "to": "9999-12-31"}])
def test_a_report_date_at_the_ends_of_the_calendar_is_a_clear_400(office, county, path, query):
    response = office.get(path, query_string={"area": "330100", **query}, headers=EN)
    assert response.status_code == 400
    assert "outside the years a report covers" in text(response)


@pytest.mark.parametrize("path", ["/sessions/", "/quizzes/gaps"])
def test_list_date_filters_at_the_ends_of_the_calendar_are_ignored(office, county, path):
    for query in ({"to": "9999-12-31"}, {"from": "0001-01-01"}, {"to": "99991231"}):
        assert office.get(path, query_string=query).status_code == 200


def test_a_unit_code_of_spaces_means_no_code(office, app, county):
    response = office.post("/units/new/household", headers=EN, data={
        "code": "   ", "area_id": county["城关镇"]["village"].id, "name": "张家中心户",
        "leader_name": "张建国", "leader_phone": "13900000011", "reach": "12",
        "registered_on": "2026-03-01"})
    assert response.status_code == 302
    codes = [u.strip() for u in _unit_codes(app)]
    assert codes and all(codes)  # numbered automatically, not "   "


def _unit_codes(app):
    import sqlalchemy as sa

    from lawlearn.extensions import db

    with app.app_context():
        return list(db.session.scalars(sa.select(StudyUnit.code)))


def test_an_attendance_status_of_spaces_is_refused(client, app, county, make_unit, make_user):
    from datetime import date

    from lawlearn.extensions import db
    from lawlearn.sessions.operations import log_session
    from lawlearn.units.operations import add_member

    unit = make_unit(county["城关镇"]["village"])
    leader = make_user("leader", units=[unit])
    with app.test_request_context():
        db_unit = db.session.get(StudyUnit, unit.id)
        person = add_member(db_unit, name="李秀英", mobile="13900000021")
        session = log_session(db_unit, held_on=date.today(), topics=["civil-code"],
                              format="lecture", lecturer="张老师", duration_minutes=60, notes=None)
        db.session.commit()
        person_id, session_id = person.id, session.id
    login(client, leader)
    response = client.post(f"/sessions/{session_id}/attendance", headers=EN, data={
        "marks-0-person_id": str(person_id), "marks-0-initial": "", "marks-0-status": "   "})
    assert response.status_code in (200, 400)
    assert count(app, Attendance) == 0
