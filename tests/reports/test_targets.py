"""Targets: the bands, the admin's form, the report's achieved/target, and who may set them."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, Target
from lawlearn.reports.targets import band
from tests.conftest import login
from tests.reports.test_web_report import EN, HALF_YEAR, page_text

pytestmark = pytest.mark.usefixtures("fixed_today")  # the clock stopped at TODAY


@pytest.mark.parametrize("achieved, target, expected", [
    (5, 5, "met"), (6, 5, "met"), (0, 0, "met"),
    (4, 5, "near"),        # exactly 80%
    (99, 100, "near"),
    (79, 100, "behind"), (3, 4, "behind"), (0, 1, "behind"),
])
def test_bands(achieved, target, expected):
    assert band(achieved, target).name == expected


def test_every_band_has_a_symbol_and_words_not_only_a_colour(app):
    with app.test_request_context(headers=EN):
        seen = {(band(a, t).symbol, str(band(a, t).label)) for a, t in ((1, 1), (4, 5), (0, 5))}
    assert seen == {("✓", "Target met"), ("▲", "Close to target"), ("✗", "Behind target")}


def _area_id(code: str) -> int:
    return db.session.scalar(sa.select(Area.id).where(Area.code == code))


def _set(client, code: str, kind: str, target, year=2026):
    return client.post("/reports/targets", headers=EN, data={
        "area_id": _area_id(code), "year": year, "kind": kind, "target": target})


@pytest.fixture
def office(client, small_county, make_user):
    login(client, make_user("admin", area=small_county["county"]))
    return client


def test_the_admin_sets_a_target_and_setting_it_again_replaces_it(office):
    response = _set(office, "330101", "household", 2)
    assert response.status_code == 302 and "year=2026" in response.headers["Location"]
    assert _set(office, "330101", "household", 4).status_code == 302
    found = db.session.scalars(sa.select(Target)).all()
    assert [(t.year, t.kind, t.target) for t in found] == [(2026, "household", 4)]
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "targets").order_by(AuditEvent.id)).all()
    assert actions == ["create", "update"]
    page = page_text(office.get("/reports/targets?year=2026", headers=EN))
    assert "城关镇" in page and "Behind target" in page  # 1 household of 4 = 25%


def test_a_bad_target_is_refused_next_to_its_field_and_the_input_kept(office):
    response = _set(office, "330101", "household", "-3")
    page = page_text(response)
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="target-error">', page)
    assert re.search(r'<input[^>]*name="target"[^>]*value="-3"', page)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0


def test_the_report_shows_achieved_against_the_target_of_the_periods_end_year(office):
    _set(office, "330101", "household", 1)      # 1 of 1: met
    _set(office, "330101", "building", 2)       # 1 of 2: behind
    _set(office, "330102", "enterprise_group", 1)
    _set(office, "330100", "household", 2)      # county: 1 of 2 households by 30 June
    _set(office, "330101", "household", 9, year=2025)
    page = html.unescape(page_text(office.get(
        f"/reports/coverage?area=330100&{HALF_YEAR}", headers=EN)))
    section = re.search(r'<table class="[^"]*targets-table">(.*?)</table>', page, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Targets for 2026" in page
    assert "城关镇 ✓ 1/1 · 100% · Target met — ✗ 1/2 · 50% · Behind target" in text
    assert "青山镇 — ✓ 1/1 · 100% · Target met —" in text
    assert "示范县 ✗ 1/2 · 50% · Behind target — —" in text
    last_year = html.unescape(page_text(office.get(
        "/reports/coverage?area=330101&preset=last_year", headers=EN)))
    assert "Targets for 2025" in last_year and "0/9 · 0% · Behind target" in last_year


def test_a_report_without_targets_says_so_and_links_the_admin_to_set_them(office):
    page = page_text(office.get(f"/reports/coverage?area=330101&{HALF_YEAR}", headers=EN))
    assert "No targets are set for 2026 here yet." in page
    assert "/reports/targets?year=2026&amp;area=330101" in page


def test_the_admin_removes_a_target(office):
    _set(office, "330101", "household", 2)
    target_id = db.session.scalar(sa.select(Target.id))
    response = office.post(f"/reports/targets/{target_id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0


def test_a_coordinator_sees_their_towns_targets_but_cannot_set_them(client, small_county,
                                                                   make_user):
    admin = make_user("admin", area=small_county["county"])
    login(client, admin)
    _set(client, "330101", "household", 2)
    _set(client, "330102", "household", 3)
    target_id = db.session.scalar(sa.select(Target.id).where(Target.target == 2))
    client.post("/logout")
    login(client, make_user("coordinator", area=small_county["城关镇"]["town"]))
    page = page_text(client.get("/reports/targets", headers=EN))
    listed = re.search(r'<table class="stack targets-table">(.*?)</table>', page, re.S).group(1)
    assert "城关镇" in listed and "青山镇" not in listed
    assert "Set a target" not in page
    assert _set(client, "330101", "household", 5).status_code == 403
    assert client.post(f"/reports/targets/{target_id}/delete").status_code == 403
    assert db.session.scalar(sa.select(Target.target).where(Target.id == target_id)) == 2


# Every reports route that loads something by id (endpoint, method, URL, form data), for the
# URL-map check in tests/integration/test_scoping.py.
ROUTES = [
    ("reports.delete_target", "POST", "/reports/targets/{target}/delete", dict),
]


def test_every_reports_route_that_takes_an_id_is_listed(app):
    by_id = {rule.endpoint for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("reports.") and "<int:" in rule.rule}
    assert by_id == {endpoint for endpoint, *_ in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_an_admin_gets_404_for_another_countys_targets_and_in_for_their_own(
        client, small_county, make_user, make_area, route):
    other = make_area("county", code="440100", name="别县")
    login(client, make_user("admin", area=small_county["county"]))
    for area_id in (other.id, _area_id("330101")):
        db.session.add(Target(area_id=area_id, year=2026, kind="household", target=1))
    db.session.commit()
    theirs, mine = (db.session.scalar(sa.select(Target.id).where(Target.area_id == a))
                    for a in (other.id, _area_id("330101")))
    _endpoint, method, url, data = route
    assert method == "POST"
    assert client.post(url.format(target=theirs), data=data()).status_code == 404
    assert client.post(url.format(target=mine), data=data()).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Target.id).where(Target.id == theirs)) == theirs
