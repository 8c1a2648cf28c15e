"""Creating an account in steps, without JavaScript (issue 10, item 11): the role first, then
(for a unit leader) the units, found by town and by name or code rather than picked from every
unit of the county, then only the details the role needs."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lawlearn.models import User
from tests.conftest import login
from tests.integration.helpers import EN, count, field_errors, select_options, text

PASSWORD = "a long password 1"


def checkboxes(page: str, name: str = "unit") -> dict[str, bool]:
    """value → ticked, for each checkbox of that name."""
    found = {}
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', page):
        value = re.search(r'value="([^"]*)"', tag).group(1)
        found[value] = " checked" in tag
    return found


@pytest.fixture
def office(client, county, make_user):
    login(client, make_user("admin", area=county["county"]))
    return client


@pytest.fixture
def units(county, make_unit):
    cg, qs = county["城关镇"], county["青山镇"]
    return {"张家": make_unit(cg["village"], name="张家中心户"),
            "李家": make_unit(cg["village"], name="李家中心户"),
            "楼": make_unit(cg["community"], name="幸福社区3号楼"),
            "青山张家": make_unit(qs["village"], name="张家老宅中心户")}


def test_the_office_chooses_the_role_first(office):
    page = text(office.get("/accounts/new", headers=EN))
    assert 'href="/accounts/new?role=coordinator"' in page
    assert 'href="/accounts/new?role=leader"' in page
    assert "<select" not in page and 'name="password"' not in page


def test_a_coordinator_account_asks_only_for_a_town_and_the_details(office, county):
    page = text(office.get("/accounts/new?role=coordinator", headers=EN))
    assert str(county["城关镇"]["town"].id) in select_options(page, "area_id")
    assert 'name="unit_ids"' not in page and 'name="unit"' not in page
    assert 'name="role" value="coordinator"' in page


def test_the_office_finds_units_by_town_then_by_name(office, county, units):
    before = text(office.get("/accounts/new?role=leader", headers=EN))
    assert checkboxes(before) == {}                       # nothing listed until it narrows
    town = county["城关镇"]["town"].id
    in_town = text(office.get(f"/accounts/new?role=leader&town={town}", headers=EN))
    assert set(checkboxes(in_town)) == {str(units[k].id) for k in ("张家", "李家", "楼")}
    by_name = text(office.get(f"/accounts/new?role=leader&town={town}&q=张家", headers=EN))
    assert set(checkboxes(by_name)) == {str(units["张家"].id)}
    county_wide = text(office.get("/accounts/new?role=leader&q=张家", headers=EN))
    assert set(checkboxes(county_wide)) == {str(units["张家"].id), str(units["青山张家"].id)}
    by_code = text(office.get(f"/accounts/new?role=leader&q={units['楼'].code}", headers=EN))
    assert set(checkboxes(by_code)) == {str(units["楼"].id)}


def test_ticked_units_stay_ticked_through_another_search(office, units):
    first = units["张家"].id
    page = text(office.get(f"/accounts/new?role=leader&q=幸福&unit={first}", headers=EN))
    assert checkboxes(page) == {str(first): True, str(units["楼"].id): False}


def test_going_on_without_a_unit_says_to_tick_one(office):
    response = office.get("/accounts/new?role=leader&q=张家&next=1", headers=EN)
    assert response.status_code == 400
    assert "Tick at least one study unit." in text(response)


def test_a_leader_is_created_for_the_units_ticked(app, office, units):
    ids = [units["张家"].id, units["楼"].id]
    details = text(office.get(
        f"/accounts/new?role=leader&unit={ids[0]}&unit={ids[1]}&next=1", headers=EN))
    assert "张家中心户" in details and "幸福社区3号楼" in details
    assert 'name="area_id"' not in details                 # a leader has no town to choose
    assert sorted(re.findall(r'type="hidden" name="unit_ids" value="(\d+)"', details) or
                  re.findall(r'name="unit_ids" type="hidden" value="(\d+)"', details)) == \
        sorted(str(i) for i in ids)
    response = office.post("/accounts/new", data={
        "role": "leader", "unit_ids": ids, "username": "zhang.leader",
        "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        from lawlearn.extensions import db

        user = db.session.scalar(sa.select(User).where(User.username == "zhang.leader"))
        assert sorted(u.id for u in user.units) == sorted(ids)


def test_a_mistake_on_the_details_keeps_the_units_and_what_was_typed(app, office, units):
    unit_id = units["李家"].id
    response = office.post("/accounts/new", headers=EN, data={
        "role": "leader", "unit_ids": unit_id, "username": "li.leader", "display_name": "李四",
        "password": "short", "confirm": "short"})
    page = text(response)
    assert response.status_code == 400
    assert field_errors(page, "password")
    assert "李家中心户" in page and 'value="li.leader"' in page and 'value="李四"' in page
    assert count(app, User, User.username == "li.leader") == 0


def test_a_coordinator_skips_the_role_and_sees_only_their_towns_units(client, county, units,
                                                                      make_user):
    login(client, make_user("coordinator", area=county["城关镇"]["town"]))
    page = text(client.get("/accounts/new", headers=EN))
    assert 'name="town"' not in page
    assert set(checkboxes(page)) == {str(units[k].id) for k in ("张家", "李家", "楼")}
    assert str(units["青山张家"].id) not in checkboxes(
        text(client.get("/accounts/new?role=leader&q=张家", headers=EN)))
    # A unit of another town, typed into the address, is simply not there.
    other = units["青山张家"].id
    assert "张家老宅" not in text(client.get(
        f"/accounts/new?role=leader&unit={other}&next=1", headers=EN))
