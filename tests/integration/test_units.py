"""A coordinator registers the three kinds of study unit and keeps their rosters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lawlearn.models import AuditEvent, Person, RosterMember, StudyUnit
from tests.conftest import TODAY, login
from tests.integration.helpers import (
    EN,
    audit_actions,
    count,
    every_stored_value,
    field_errors,
    input_value,
    location_path,
    scalar,
    scalars,
    text,
)

pytestmark = pytest.mark.usefixtures("fixed_today")  # files and forms carry 2026 dates

MOBILE = "13912340011"  # a participant's number: must never be shown or stored in full
MASKED = "139****0011"


def unit_by_name(app, name: str) -> StudyUnit:
    return scalar(app, sa.select(StudyUnit).where(StudyUnit.name == name))


def form(area_id: int, **overrides) -> dict:
    return {"name": "张家中心户", "area_id": area_id, "leader_name": "张建国",
            "leader_phone": "13900000001", "reach": "12", "registered_on": "2026-03-01",
            "notes": "", **overrides}


@pytest.fixture
def coordinator(client, county, make_user):
    name = make_user("coordinator", area=county["城关镇"]["town"])
    login(client, name)
    return name


@pytest.mark.parametrize("kind, place, extra, code", [
    ("household", "village", {}, "330101001-H001"),
    ("building", "community", {"building": "3号楼"}, "330101101-B001"),
    ("enterprise_group", "enterprise", {"shift": "一车间早班"}, "330101E01-E001"),
])
def test_coordinator_registers_each_kind_and_gets_a_code(app, client, county, coordinator,
                                                         kind, place, extra, code):
    area = county["城关镇"][place]
    response = client.post(f"/units/new/{kind}", data=form(area.id, name=f"新{kind}", **extra))
    unit = unit_by_name(app, f"新{kind}")
    assert location_path(response) == f"/units/{unit.id}"
    assert (unit.code, unit.kind, unit.area_id, unit.status) == (code, kind, area.id, "active")
    assert (unit.leader_phone, unit.reach, unit.registered_on) == (
        "13900000001", 12, date(2026, 3, 1))
    for field, value in extra.items():
        assert getattr(unit, field) == value


def test_the_next_household_in_a_village_gets_the_next_number(app, client, county, make_unit,
                                                              coordinator):
    village = county["城关镇"]["village"]
    make_unit(village)
    client.post("/units/new/household", data=form(village.id, name="第二户"))
    assert unit_by_name(app, "第二户").code == "330101001-H002"


def test_a_code_typed_by_hand_is_kept_and_cannot_be_used_twice(app, client, county, coordinator):
    village = county["城关镇"]["village"]
    client.post("/units/new/household", data=form(village.id, code="CG-ZHANG", name="手编码"))
    assert unit_by_name(app, "手编码").code == "CG-ZHANG"
    again = client.post("/units/new/household", data=form(village.id, code="CG-ZHANG",
                                                          name="重复码"), headers=EN)
    assert again.status_code == 400
    assert field_errors(text(again), "code") == ["A study unit with this code already exists."]
    assert unit_by_name(app, "重复码") is None


def test_a_household_cannot_be_registered_in_a_community(app, client, county, coordinator):
    community = county["城关镇"]["community"]
    response = client.post("/units/new/household", data=form(community.id))
    assert response.status_code == 400
    assert field_errors(text(response), "area_id")
    assert count(app, StudyUnit) == 0
    assert count(app, AuditEvent, AuditEvent.object_type == "study_units") == 0


TOMORROW = (TODAY + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("field, bad, message", [
    ("leader_phone", "12345", "is not a mobile number (11 digits) or a landline"),
    ("registered_on", TOMORROW, "The date is in the future."),
    ("reach", "-3", "Number must be between 0 and 100000."),
    ("name", "", "This field is required."),
])
def test_a_mistake_is_shown_next_to_its_field_and_the_typing_kept(app, client, county,
                                                                  coordinator, field, bad,
                                                                  message):
    village = county["城关镇"]["village"]
    typed = form(village.id, **{field: bad}, leader_name="李秀英")
    response = client.post("/units/new/household", data=typed, headers=EN)
    page = text(response)
    assert response.status_code == 400
    errors = field_errors(page, field)
    assert errors and message in errors[0]
    assert input_value(page, field) == bad
    assert input_value(page, "leader_name") == "李秀英"
    assert count(app, StudyUnit) == 0


def test_coordinator_edits_a_unit_and_the_change_is_audited(app, client, county, make_unit,
                                                            coordinator):
    unit = make_unit(county["城关镇"]["village"], name="旧名字")
    response = client.post(f"/units/{unit.id}/edit",
                           data=form(county["城关镇"]["village"].id, name="新名字", reach="20"))
    assert location_path(response) == f"/units/{unit.id}"
    changed = unit_by_name(app, "新名字")
    assert (changed.code, changed.reach) == (unit.code, 20)
    event = scalar(app, sa.select(AuditEvent).where(AuditEvent.object_id == unit.id,
                                                    AuditEvent.action == "update"))
    assert event.changes["name"] == ["旧名字", "新名字"]
    assert event.changes["reach"] == [10, 20]


def test_edit_form_refuses_a_bad_phone_and_keeps_the_unit(app, client, county, make_unit,
                                                          coordinator):
    unit = make_unit(county["城关镇"]["village"], name="原样")
    response = client.post(f"/units/{unit.id}/edit",
                           data=form(county["城关镇"]["village"].id, leader_phone="110"))
    assert response.status_code == 400
    assert field_errors(text(response), "leader_phone")
    assert unit_by_name(app, "原样").leader_phone == "13900000001"


def test_unit_is_retired_and_reactivated(app, client, county, make_unit, coordinator):
    unit = make_unit(county["城关镇"]["village"], name="停了又开")
    client.post(f"/units/{unit.id}/retire")
    assert unit_by_name(app, "停了又开").status == "retired"
    assert "停了又开" not in text(client.get("/units/"))
    assert "停了又开" in text(client.get("/units/?status=retired"))
    client.post(f"/units/{unit.id}/reactivate")
    assert unit_by_name(app, "停了又开").status == "active"


def test_a_unit_in_a_retired_village_cannot_be_reactivated(app, client, county, make_unit,
                                                           coordinator):
    village = county["城关镇"]["village"]
    unit = make_unit(village, name="村已撤")
    client.post(f"/units/{unit.id}/retire")
    client.post(f"/areas/{village.id}/retire")
    client.post(f"/units/{unit.id}/reactivate")
    assert unit_by_name(app, "村已撤").status == "retired"


# --- rosters --------------------------------------------------------------------------------

def test_roster_shows_a_members_mobile_masked_and_never_in_full(app, client, county, make_unit,
                                                                 coordinator):
    unit = make_unit(county["城关镇"]["village"])
    added = client.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": MOBILE})
    assert added.status_code == 302
    assert MOBILE not in text(added)
    for url in (f"/units/{unit.id}", "/units/", "/home"):
        page = text(client.get(url))
        assert MOBILE not in page
    page = text(client.get(f"/units/{unit.id}"))
    assert "李四" in page and MASKED in page


def test_a_members_full_mobile_is_stored_nowhere(app, client, county, make_unit, coordinator):
    unit = make_unit(county["城关镇"]["village"])
    client.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": "139 1234 0011"})
    person = scalar(app, sa.select(Person))
    assert person.phone_masked == MASKED
    assert MOBILE not in every_stored_value(app)


def test_the_same_mobile_in_another_unit_is_the_same_person(app, client, county, make_unit,
                                                           coordinator):
    home = make_unit(county["城关镇"]["village"])
    work = make_unit(county["城关镇"]["enterprise"])
    client.post(f"/units/{home.id}/members", data={"name": "李四", "mobile": MOBILE})
    client.post(f"/units/{work.id}/members", data={"name": "李 四", "mobile": MOBILE})
    assert count(app, Person) == 1
    assert count(app, RosterMember) == 2


def test_adding_someone_already_on_the_roster_says_so(app, client, county, make_unit,
                                                      coordinator):
    unit = make_unit(county["城关镇"]["village"])
    client.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": MOBILE})
    again = client.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": MOBILE},
                        headers=EN)
    assert again.status_code == 400
    assert field_errors(text(again), "name") == ["李四 is already on the roster."]
    assert count(app, RosterMember) == 1


def test_a_bad_mobile_is_refused_for_a_member(app, client, county, make_unit, coordinator):
    unit = make_unit(county["城关镇"]["village"])
    response = client.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": "12345"})
    assert response.status_code == 400
    assert field_errors(text(response), "mobile")
    assert count(app, Person) == 0


def test_without_a_mobile_the_same_name_in_the_unit_is_the_same_person(app, client, county,
                                                                       make_unit, coordinator):
    unit = make_unit(county["城关镇"]["village"])
    client.post(f"/units/{unit.id}/members", data={"name": "王五"})
    again = client.post(f"/units/{unit.id}/members", data={"name": "王五"})
    assert again.status_code == 400
    assert count(app, Person) == 1


def test_coordinator_removes_a_member(app, client, county, make_unit, coordinator):
    unit = make_unit(county["城关镇"]["village"])
    client.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": MOBILE},
                follow_redirects=True)
    member = scalar(app, sa.select(RosterMember.id))
    response = client.post(f"/units/{unit.id}/members/{member}/remove")
    assert location_path(response) == f"/units/{unit.id}"
    assert count(app, RosterMember) == 0
    client.get(f"/units/{unit.id}")  # the page with the "removed" message
    assert "李四" not in text(client.get(f"/units/{unit.id}"))


def test_every_change_to_a_unit_is_in_the_audit_trail(app, client, county, coordinator,
                                                      user_id):
    village = county["城关镇"]["village"]
    client.post("/units/new/household", data=form(village.id, name="留痕"))
    unit = unit_by_name(app, "留痕")
    client.post(f"/units/{unit.id}/edit", data=form(village.id, name="留痕", reach="30"))
    client.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": MOBILE})
    member = scalar(app, sa.select(RosterMember.id))
    client.post(f"/units/{unit.id}/members/{member}/remove")
    client.post(f"/units/{unit.id}/retire")
    client.post(f"/units/{unit.id}/reactivate")
    assert audit_actions(app, "study_units", unit.id) == [
        "create", "update", "add_member", "remove_member", "retire", "reactivate"]
    who = scalars(app, sa.select(AuditEvent.user_id).where(
        AuditEvent.object_type == "study_units", AuditEvent.object_id == unit.id))
    assert set(who) == {user_id(coordinator)}


def _language_link(page: str) -> str:
    import html
    import re

    return html.unescape(re.search(r'href="(/lang/[^"]+)"', page).group(1))


def test_switching_language_after_a_refused_form_returns_to_a_page_not_a_405(
        app, client, county, make_unit, coordinator):
    """The roster form posts to /units/<id>/members, which answers POST only: the language
    link on its error page must lead back to the unit page, not to a 405."""
    unit = make_unit(county["城关镇"]["village"])
    refused = client.post(f"/units/{unit.id}/members", data={"name": "", "mobile": "12345"},
                          headers={"Referer": f"http://localhost/units/{unit.id}"})
    assert refused.status_code == 400
    link = _language_link(text(refused))
    assert link.endswith(f"next=/units/{unit.id}")
    switched = client.get(link)
    assert switched.headers["Location"] == f"/units/{unit.id}"
    assert client.get(switched.headers["Location"]).status_code == 200
    # No referrer (or another site's): the start page, never the POST-only address.
    for headers in ({}, {"Referer": "https://evil.example/units/1"}):
        page = text(client.post(f"/units/{unit.id}/members", data={"name": ""},
                                headers=headers))
        assert _language_link(page).endswith("next=/")
    # A form that posts to a page that also answers GET comes back to that page.
    page = text(client.post(f"/units/{unit.id}/edit", data={"name": ""}))
    assert _language_link(page).endswith(f"next=/units/{unit.id}/edit")
