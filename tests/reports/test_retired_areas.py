"""A retired town keeps its history in the reports, marked 已撤销, and leaves the pickers
(issue 10, item 9)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login
from tests.integration.helpers import select_options, table_rows, text

pytestmark = pytest.mark.usefixtures("fixed_today")


@pytest.fixture
def office(client, county, make_area, make_user):
    """The county office, after retiring a town that was merged away (撤并镇, 330103)."""
    town = make_area("town", parent=county["county"], code="330103", name="撤并镇")
    login(client, make_user("admin", area=county["county"]))
    assert client.post(f"/areas/{town.id}/retire").status_code == 302
    return client


def test_the_county_report_marks_the_retired_town(office):
    page = text(office.get("/reports/coverage?area=330100&preset=this_year"))
    names = [re.sub(r"<[^>]+>|\s+", " ", cell) for cell in re.findall(
        r'<th scope="row" class="area-col">(.*?)</th>', page, re.S)]
    retired = [n for n in names if "撤并镇" in n]
    assert retired and "已撤销" in retired[0]
    assert not any("已撤销" in n for n in names if "城关镇" in n)


def test_the_home_ranking_marks_the_retired_town(office):
    ranking = table_rows(text(office.get("/home")), "ranking")
    by_name = {row[1].split()[0]: row[1] for row in ranking}
    assert "已撤销" in by_name["撤并镇"]
    assert "已撤销" not in by_name["城关镇"]


def test_the_report_picker_offers_a_retired_town_only_while_it_is_shown(office):
    assert "330103" not in select_options(
        text(office.get("/reports/coverage?area=330100&preset=this_year")), "area")
    page = text(office.get("/reports/coverage?area=330103&preset=this_year"))
    assert "330103" in select_options(page, "area")
    assert re.search(r'<option[^>]*value="330103"[^>]*>[^<]*已撤销', page)


@pytest.mark.parametrize("url, name", [
    ("/areas/new?level=village", "parent_id"),       # a new village's town
    ("/reports/targets", "area_id"),                 # a target's area
    ("/accounts/new?role=coordinator", "area_id"),   # a coordinator's town
    ("/accounts/new?role=leader", "town"),           # the town a leader's units are found in
])
def test_pickers_for_new_things_leave_the_retired_town_out(office, county, url, name):
    page = text(office.get(url))
    options = select_options(page, name)
    assert str(county["城关镇"]["town"].id) in options
    assert "撤并镇" not in page
