"""The county office and town coordinators keep the area tree."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.models import Area, AuditEvent
from tests.conftest import login
from tests.integration.helpers import (
    EN,
    count,
    field_errors,
    flashes,
    input_value,
    location_path,
    rows,
    scalar,
    scalars,
    select_options,
    selected_value,
    table_rows,
    text,
)


def area(app, code: str) -> Area:
    return scalar(app, sa.select(Area).where(Area.code == code))


def counts_by_code(page: str) -> dict[str, list[int]]:
    """The children table: code → [households, enterprise groups, buildings, all]."""
    return {row[0]: [int(n) for n in row[3:7]] for row in table_rows(page)}


def test_county_page_counts_active_units_per_kind_for_each_town(client, county, make_unit,
                                                                make_user):
    cg, qs = county["城关镇"], county["青山镇"]
    for place in ("village", "village", "community", "enterprise"):
        make_unit(cg[place])
    make_unit(qs["village"])
    retired = make_unit(qs["village"])
    login(client, make_user("admin", area=county["county"]))
    client.post(f"/units/{retired.id}/retire")

    page = text(client.get(f"/areas/{county['county'].id}"))
    assert counts_by_code(page) == {"330101": [2, 1, 1, 4], "330102": [1, 0, 0, 1]}


def test_town_page_counts_units_for_each_village_community_and_enterprise(client, county,
                                                                           make_unit, make_user):
    cg = county["城关镇"]
    make_unit(cg["village"])
    make_unit(cg["enterprise"])
    make_unit(cg["enterprise"])
    login(client, make_user("coordinator", area=cg["town"]))
    page = text(client.get(f"/areas/{cg['town'].id}"))
    assert counts_by_code(page) == {"330101001": [1, 0, 0, 1], "330101101": [0, 0, 0, 0],
                                    "330101E01": [0, 2, 0, 2]}


def test_coordinator_adds_a_village_to_their_town(app, client, county, make_user, user_id):
    town = county["城关镇"]["town"]
    me = make_user("coordinator", area=town)
    login(client, me)
    response = client.post("/areas/new", data={"code": "330101002", "name": "城关镇西村",
                                               "level": "village", "parent_id": town.id})
    village = area(app, "330101002")
    assert location_path(response) == f"/areas/{village.id}"
    assert (village.name, village.level, village.parent_id) == ("城关镇西村", "village", town.id)
    assert village.path == "/330100/330101/330101002/"
    event = scalar(app, sa.select(AuditEvent).where(AuditEvent.object_code == "330101002"))
    assert (event.action, event.object_type, event.user_id) == ("create", "areas", user_id(me))


def test_village_under_a_county_is_refused_next_to_the_parent_field(app, client, county,
                                                                    make_user):
    login(client, make_user("admin", area=county["county"]))
    areas_before = count(app, Area)
    response = client.post("/areas/new", headers=EN, data={
        "code": "330101009", "name": "挂错的村", "level": "village",
        "parent_id": county["county"].id})
    page = text(response)
    assert response.status_code == 400
    assert field_errors(page, "parent_id") == ["The parent of a Village must be a Town."]
    assert input_value(page, "code") == "330101009"
    assert input_value(page, "name") == "挂错的村"
    assert selected_value(page, "level") == "village"
    assert count(app, Area) == areas_before


def test_an_existing_code_is_refused(app, client, county, make_user):
    login(client, make_user("admin", area=county["county"]))
    areas_before = count(app, Area)
    response = client.post("/areas/new", headers=EN, data={
        "code": "330101001", "name": "重复的村", "level": "village",
        "parent_id": county["城关镇"]["town"].id})
    assert response.status_code == 400
    assert field_errors(text(response), "code") == ["An area with this code already exists."]
    assert count(app, Area) == areas_before


def test_coordinator_cannot_add_a_town(app, client, county, make_user):
    login(client, make_user("coordinator", area=county["城关镇"]["town"]))
    areas_before = count(app, Area)
    response = client.post("/areas/new", data={"code": "330109", "name": "新镇", "level": "town",
                                               "parent_id": county["county"].id})
    assert response.status_code == 400
    assert field_errors(text(response), "level")
    assert count(app, Area) == areas_before


def test_coordinator_renames_a_village_in_their_town(app, client, county, make_user):
    cg = county["城关镇"]
    login(client, make_user("coordinator", area=cg["town"]))
    response = client.post(f"/areas/{cg['village'].id}/edit",
                           data={"name": "城关镇东风村", "parent_id": cg["town"].id})
    assert response.status_code == 302
    assert area(app, "330101001").name == "城关镇东风村"
    event = scalar(app, sa.select(AuditEvent).where(AuditEvent.object_code == "330101001",
                                                    AuditEvent.action == "update"))
    assert event.changes["name"] == ["城关镇东村", "城关镇东风村"]


def test_office_corrects_an_enterprises_employees_and_industry(app, client, county, make_user):
    enterprise = county["城关镇"]["enterprise"]
    login(client, make_user("admin", area=county["county"]))
    client.post(f"/areas/{enterprise.id}/edit", data={
        "name": enterprise.name, "parent_id": county["城关镇"]["town"].id, "employees": "95",
        "industry": "机械制造"})
    changed = area(app, enterprise.code)
    assert (changed.employees, changed.industry) == (95, "机械制造")


def test_moving_a_village_to_another_town_takes_its_units_along(app, client, county, make_unit,
                                                                make_user):
    cg, qs = county["城关镇"], county["青山镇"]
    unit = make_unit(cg["village"], name="搬家的中心户")
    login(client, make_user("admin", area=county["county"]))
    response = client.post(f"/areas/{cg['village'].id}/edit",
                           data={"name": cg["village"].name, "parent_id": qs["town"].id})
    assert response.status_code == 302
    moved = area(app, "330101001")
    assert (moved.parent_id, moved.path) == (qs["town"].id, "/330100/330102/330101001/")

    qs_coordinator = app.test_client()
    login(qs_coordinator, make_user("coordinator", area=qs["town"]))
    assert "搬家的中心户" in text(qs_coordinator.get("/units/"))
    assert qs_coordinator.get(f"/units/{unit.id}").status_code == 200
    cg_coordinator = app.test_client()
    login(cg_coordinator, make_user("coordinator", area=cg["town"]))
    assert cg_coordinator.get(f"/units/{unit.id}").status_code == 404


def test_moving_a_town_to_another_county_rewrites_the_paths_below_it(app, client, county,
                                                                     make_area, make_user):
    elsewhere = make_area("county", code="330200", name="别的县")
    login(client, make_user("admin"))  # a provincial office: no area, sees every county
    response = client.post(f"/areas/{county['城关镇']['town'].id}/edit",
                           data={"name": "城关镇", "parent_id": elsewhere.id})
    assert response.status_code == 302
    paths = dict(rows(app, sa.select(Area.code, Area.path)))
    assert paths["330101"] == "/330200/330101/"
    for code in ("330101001", "330101101", "330101E01"):
        assert paths[code] == f"/330200/330101/{code}/"
    assert paths["330102001"] == "/330100/330102/330102001/"  # the other town stays


def test_village_with_active_units_is_retired_only_after_its_units(app, client, county,
                                                                   make_unit, make_user):
    village = county["城关镇"]["village"]
    unit = make_unit(village)
    login(client, make_user("coordinator", area=county["城关镇"]["town"]))

    refused = client.post(f"/areas/{village.id}/retire", headers=EN, follow_redirects=True)
    assert any("registered study units" in f for f in flashes(text(refused)))
    assert area(app, village.code).active

    client.post(f"/units/{unit.id}/retire")
    client.post(f"/areas/{village.id}/retire")
    assert not area(app, village.code).active


def test_town_with_areas_in_use_cannot_be_retired(app, client, county, make_user):
    login(client, make_user("admin", area=county["county"]))
    town = county["青山镇"]["town"]
    response = client.post(f"/areas/{town.id}/retire", headers=EN, follow_redirects=True)
    assert any("still in use" in f for f in flashes(text(response)))
    assert area(app, town.code).active


def test_retired_village_is_hidden_then_reactivated(app, client, county, make_user):
    cg = county["城关镇"]
    login(client, make_user("coordinator", area=cg["town"]))
    client.post(f"/areas/{cg['village'].id}/retire")
    assert "城关镇东村" not in text(client.get(f"/areas/{cg['town'].id}"))
    assert "城关镇东村" in text(client.get(f"/areas/{cg['town'].id}?retired=1"))
    assert str(cg["village"].id) not in select_options(
        text(client.get("/units/new/household")), "area_id")

    client.post(f"/areas/{cg['village'].id}/reactivate")
    assert area(app, "330101001").active
    actions = scalars(app, sa.select(AuditEvent.action).where(
        AuditEvent.object_code == "330101001").order_by(AuditEvent.id))
    assert actions[-2:] == ["retire", "reactivate"]


@pytest.mark.parametrize("method, path", [
    ("GET", "/areas/{town}/edit"), ("POST", "/areas/{town}/edit"),
    ("POST", "/areas/{town}/retire"), ("POST", "/areas/{town}/reactivate"),
])
def test_coordinator_cannot_change_their_own_town(app, client, county, make_user, method, path):
    town = county["城关镇"]["town"]
    login(client, make_user("coordinator", area=town))
    url = path.format(town=town.id)
    response = client.get(url) if method == "GET" else client.post(
        url, data={"name": "改名镇", "parent_id": county["county"].id})
    assert response.status_code == 403
    assert area(app, town.code).name == "城关镇"
