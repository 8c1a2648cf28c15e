"""What an area's code may be, two areas of one name, and what a retired area still offers
(issue 10, items 9 and 10).

The county fixture numbers its towns as the county does locally (town 330101 under county
330100) and its villages with the town's code plus three digits; the national scheme gives a
county 6 digits, a town 9 and a village 12, each extending its parent's code.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lawlearn.models import Area
from tests.conftest import login
from tests.integration.helpers import EN, field_errors, flashes, location_path, scalar, text


def area(app, code: str) -> Area | None:
    return scalar(app, sa.select(Area).where(Area.code == code))


@pytest.mark.parametrize("code, level, parent, ok", [
    ("320924", "county", None, True),            # DESIGN.md's county
    ("320924101", "town", "320924", True),        # the national 9 digits
    ("320924101201", "village", "320924101", True),
    ("330101", "town", "330100", True),           # a county's own numbering, same length
    ("330101001", "village", "330101", True),
    ("330101E01", "enterprise", "330101", True),  # enterprises keep codes of their own
    ("91330100MA2B3C4D5E", "enterprise", "330101", True),
    ("T1", "town", "C1", True),                   # a county outside the national scheme
    ("abc", "town", "330100", False),             # the town
    ("330201001", "town", "330100", False),       # another county's prefix
    ("320924101201", "community", "320924102", False),
    ("3301", "town", "330100", False),            # shorter than its parent's
    ("T 1", "town", "C1", False),                 # spaces and punctuation, anywhere
    ("T/1", "town", "C1", False),
])
def test_area_codes_follow_the_national_scheme_where_the_parent_does(app, code, level, parent,
                                                                     ok):
    from lawlearn.validation import area_code_problem

    with app.test_request_context():
        assert (area_code_problem(code, level, parent) is None) == ok


def test_county_office_cannot_add_a_town_coded_abc(app, client, county, make_user):
    login(client, make_user("admin", area=county["county"]))
    response = client.post("/areas/new", headers=EN, data={
        "code": "abc", "name": "字母镇", "level": "town", "parent_id": county["county"].id})
    assert response.status_code == 400
    assert "digits only" in field_errors(text(response), "code")[0]
    assert area(app, "abc") is None

    response = client.post("/areas/new", headers=EN, data={
        "code": "330100003", "name": "新设镇", "level": "town", "parent_id": county["county"].id})
    assert response.status_code == 302
    assert area(app, "330100003").parent_id == county["county"].id


def test_a_village_code_from_another_town_is_refused_with_the_prefix_to_use(app, client, county,
                                                                             make_user):
    town = county["城关镇"]["town"]
    login(client, make_user("coordinator", area=town))
    response = client.post("/areas/new", headers=EN, data={
        "code": "330102009", "name": "城关镇北村", "level": "village", "parent_id": town.id})
    assert response.status_code == 400
    assert "starts with 330101" in field_errors(text(response), "code")[0]
    assert area(app, "330102009") is None


def test_a_second_village_of_the_same_name_asks_to_confirm_first(app, client, county, make_user):
    town = county["城关镇"]["town"]
    login(client, make_user("coordinator", area=town))
    typed = {"code": "330101007", "name": "城关镇东村", "level": "village", "parent_id": town.id}

    asked = client.post("/areas/new", headers=EN, data=typed)
    page = text(asked)
    assert asked.status_code == 400
    assert "already has an area named" in field_errors(page, "name")[0]
    assert 'name="same_name_ok"' in page and 'value="330101007"' in page
    assert area(app, "330101007") is None

    confirmed = client.post("/areas/new", headers=EN, data={**typed, "same_name_ok": "y"})
    assert confirmed.status_code == 302
    assert area(app, "330101007").name == "城关镇东村"


def test_the_same_name_box_appears_only_when_the_name_is_taken(client, county, make_user):
    town = county["城关镇"]["town"]
    login(client, make_user("coordinator", area=town))
    assert 'name="same_name_ok"' not in text(client.get(f"/areas/new?parent={town.id}"))
    response = client.post("/areas/new", headers=EN, data={
        "code": "abc", "name": "城关镇南村", "level": "village", "parent_id": town.id})
    assert 'name="same_name_ok"' not in text(response)


# --- a retired area takes nothing new (item 10) ----------------------------------------------

@pytest.fixture
def retired_town(client, county, make_area, make_user):
    town = make_area("town", parent=county["county"], code="330103", name="撤并镇")
    login(client, make_user("admin", area=county["county"]))
    assert client.post(f"/areas/{town.id}/retire").status_code == 302
    return town


def test_a_retired_town_offers_no_add_buttons(client, retired_town):
    page = text(client.get(f"/areas/{retired_town.id}", headers=EN))
    assert "/areas/new?" not in page
    assert "已撤销" in text(client.get(f"/areas/{retired_town.id}"))


def test_adding_under_a_retired_town_says_it_is_retired(app, client, retired_town):
    response = client.get(f"/areas/new?parent={retired_town.id}&level=village", headers=EN)
    assert location_path(response) == f"/areas/{retired_town.id}"
    shown = text(client.get(location_path(response), headers=EN))
    assert any("撤并镇 is retired" in f for f in flashes(shown))

    posted = client.post("/areas/new", headers=EN, data={
        "code": "330103001", "name": "撤并村", "level": "village",
        "parent_id": retired_town.id})
    assert posted.status_code == 400
    assert field_errors(text(posted), "parent_id") == [
        "撤并镇 is retired: nothing new can be added under it. Reactivate it first if it is in "
        "use again."]
    assert area(app, "330103001") is None
