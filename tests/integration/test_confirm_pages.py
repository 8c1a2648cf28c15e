"""Retiring an area or a study unit and taking someone off a roster ask first, on a page that
works without JavaScript: its GET says what will happen, its button POSTs (issue 10, item 14)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lawlearn.models import Area, RosterMember, StudyUnit
from tests.conftest import login
from tests.integration.helpers import EN, count, flashes, scalar, text

MOBILE = "13912340011"


@pytest.fixture
def coordinator(client, county, make_user):
    login(client, make_user("coordinator", area=county["城关镇"]["town"]))
    return client


def confirm_form_posts_to_itself(page: str) -> bool:
    form = re.search(r'<form method="post">.*?</form>', page, re.S)
    return form is not None and 'class="btn btn-danger"' in form.group(0)


def test_retiring_a_village_asks_first_then_retires(app, coordinator, county):
    village = county["城关镇"]["community"]
    town_page = text(coordinator.get(f"/areas/{village.id}"))
    assert f'href="/areas/{village.id}/retire"' in town_page   # a link, not a one-tap POST

    asked = coordinator.get(f"/areas/{village.id}/retire", headers=EN)
    page = text(asked)
    assert asked.status_code == 200
    assert "Retire 城关镇幸福社区?" in page and "marked “Retired”" in page
    assert confirm_form_posts_to_itself(page)
    assert scalar(app, sa.select(Area.active).where(Area.id == village.id))

    done = coordinator.post(f"/areas/{village.id}/retire", headers=EN, follow_redirects=True)
    assert "Area retired." in flashes(text(done))
    assert not scalar(app, sa.select(Area.active).where(Area.id == village.id))


def test_a_village_still_in_use_says_why_and_offers_no_button(coordinator, county, make_unit):
    village = county["城关镇"]["village"]
    make_unit(village)
    page = text(coordinator.get(f"/areas/{village.id}/retire", headers=EN))
    assert "1 registered study units belong to it" in page
    assert not confirm_form_posts_to_itself(page)


def test_retiring_a_unit_asks_first_then_retires(app, coordinator, county, make_unit):
    unit = make_unit(county["城关镇"]["village"])
    assert f'href="/units/{unit.id}/retire"' in text(coordinator.get(f"/units/{unit.id}"))
    page = text(coordinator.get(f"/units/{unit.id}/retire", headers=EN))
    assert f"Retire {unit.name}?" in page and confirm_form_posts_to_itself(page)
    assert scalar(app, sa.select(StudyUnit.status).where(StudyUnit.id == unit.id)) == "active"

    coordinator.post(f"/units/{unit.id}/retire")
    assert scalar(app, sa.select(StudyUnit.status).where(StudyUnit.id == unit.id)) == "retired"


def test_removing_a_roster_member_asks_first_then_removes(app, coordinator, county, make_unit):
    unit = make_unit(county["城关镇"]["village"])
    coordinator.post(f"/units/{unit.id}/members", data={"name": "李四", "mobile": MOBILE})
    member_id = scalar(app, sa.select(RosterMember.id).where(RosterMember.unit_id == unit.id))
    url = f"/units/{unit.id}/members/{member_id}/remove"
    assert f'href="{url}"' in text(coordinator.get(f"/units/{unit.id}"))

    page = text(coordinator.get(url, headers=EN))
    assert "Remove 李四 from the roster?" in page and "Attendance already recorded is kept" in page
    assert count(app, RosterMember) == 1

    coordinator.post(url)
    assert count(app, RosterMember) == 0


@pytest.mark.parametrize("path", ["/areas/{village}/retire", "/units/{unit}/retire"])
def test_another_towns_coordinator_cannot_even_see_the_question(client, county, make_unit,
                                                                make_user, path):
    unit = make_unit(county["城关镇"]["village"])
    login(client, make_user("coordinator", area=county["青山镇"]["town"]))
    url = path.format(village=county["城关镇"]["village"].id, unit=unit.id)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("path", ["/areas/{village}/retire", "/units/{unit}/retire"])
def test_a_unit_leader_is_refused_the_question_and_a_stranger_is_sent_to_log_in(
        client, county, make_unit, make_user, path):
    unit = make_unit(county["城关镇"]["village"])
    url = path.format(village=county["城关镇"]["village"].id, unit=unit.id)
    assert "/login" in client.get(url).headers["Location"]
    login(client, make_user("leader", units=[unit]))
    assert client.get(url).status_code == 403
