"""Who may open which report, what bad input gets (400, the form kept, a clear message), and
what a report costs in queries (the same for 5 areas as for 40)."""

from __future__ import annotations

import html
import re
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from lawlearn.extensions import db
from lawlearn.models import Area, StudySession, StudyUnit
from tests.conftest import login
from tests.reports.test_web_report import EN, HALF_YEAR, page_text, report_rows

pytestmark = pytest.mark.usefixtures("fixed_today")  # the clock stopped at TODAY


@pytest.fixture
def coordinator(client, small_county, make_user):
    login(client, make_user("coordinator", area=small_county["城关镇"]["town"]))
    return client


# --- scoping ---------------------------------------------------------------------------------

def test_a_coordinator_starts_at_their_town(coordinator):
    page = page_text(coordinator.get("/reports/coverage"))
    assert "<h1>覆盖率报表 · 城关镇" in page
    assert [r[0].split()[0] for r in report_rows(page)[:-1]] == [
        "城关镇东村", "城关镇幸福社区", "城关镇机械厂"]
    options = re.findall(r'<option[^>]*value="([^"]*)"', page)
    assert options == ["330101"]  # their town only: no county, no other town


@pytest.mark.parametrize("url", [
    "/reports/coverage?area=330100",            # the county above them
    "/reports/coverage?area=330102",            # the other town
    "/reports/coverage?area=330102001",         # a village of the other town (its unit list)
    "/reports/coverage?area=330102&format=csv",
    "/reports/coverage?area=330102&format=xlsx",
    "/reports/coverage/print?area=330102",
])
def test_a_coordinator_cannot_leave_their_town(coordinator, url):
    """Another town's area is answered exactly as a code that does not exist: the same status
    and the same words, so the answer never tells that it exists."""
    code = re.search(r"area=(\d+)", url).group(1)
    theirs = coordinator.get(url, headers={"Accept-Language": "en"})
    unknown = coordinator.get(url.replace(code, "999999"), headers={"Accept-Language": "en"})
    assert theirs.status_code == unknown.status_code == 400
    assert f"No area has the code {code}." in page_text(theirs)
    assert page_text(theirs).replace(code, "X") == page_text(unknown).replace("999999", "X")


def test_a_coordinators_breadcrumbs_start_at_their_town(coordinator):
    page = page_text(coordinator.get(f"/reports/coverage?area=330101001&{HALF_YEAR}"))
    crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', page, re.S).group(1)
    assert "示范县" not in crumbs and "城关镇" in crumbs


@pytest.mark.parametrize("url", ["/reports/coverage", "/reports/coverage/print",
                                 "/reports/coverage?format=csv", "/reports/targets"])
def test_leaders_get_403(client, small_county, make_user, url):
    unit = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.reach == 10))
    login(client, make_user("leader", units=[unit]))
    assert client.get(url).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client, small_county):
    response = client.get("/reports/coverage")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- bad input -------------------------------------------------------------------------------

def _field_error(page: str, field: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(
        rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)]


def _input(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return html.unescape(re.search(r'value="([^"]*)"', tag).group(1))


@pytest.mark.parametrize("query, field, message", [
    ("area=999999", "area", "No area has the code 999999."),
    ("from=2026-06-01&to=2026-01-01", "to",
     "The start date 2026-06-01 is after the end date 2026-01-01."),
    ("from=2026-13-01", "from", "“2026-13-01” is not a date. Write it as 2026-03-15."),
    ("to=tomorrow", "to", "“tomorrow” is not a date. Write it as 2026-03-15."),
    ("preset=next_year", "preset", "Unknown period: next_year."),
    ("format=pdf", "format", "Unknown format: pdf. Choose CSV or XLSX."),
])
def test_bad_input_is_a_400_with_the_form_kept_and_a_message(coordinator, query, field,
                                                             message):
    for path in ("/reports/coverage", "/reports/coverage/print"):
        response = coordinator.get(f"{path}?{query}", headers=EN)
        page = page_text(response)
        assert response.status_code == 400
        assert message in html.unescape(page)
        assert '<form class="filters report-filters"' in page
        assert 'class="report-table"' not in page
        if field in ("from", "to"):
            assert _field_error(page, field) == [message]
            for name, value in re.findall(r"(from|to)=([^&]*)", query):
                assert _input(page, name) == value  # what they typed, kept
        if field == "area":
            assert re.search(r'<option selected value="999999">', page)


@pytest.mark.parametrize("query", ["area=%00", "area=" + "9" * 300, "from=%00",
                                   "from=2026-02-30", "preset=", "area=&from=&to="])
def test_odd_input_never_raises(coordinator, query):
    assert coordinator.get(f"/reports/coverage?{query}").status_code in (200, 400)


def test_bad_input_messages_speak_chinese_by_default(coordinator):
    page = html.unescape(page_text(coordinator.get("/reports/coverage?from=2026-13-01")))
    assert "“2026-13-01”不是日期" in page


# --- query counts ----------------------------------------------------------------------------

@contextmanager
def recorded_queries(app):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def queries_for(app, client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm up
    with recorded_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def add_towns(county_code: str, n: int) -> None:
    """`n` more towns, each with a village, a unit and a session, straight into the tables."""
    county = db.session.scalar(sa.select(Area).where(Area.code == county_code))
    start = db.session.scalar(sa.select(sa.func.count()).where(Area.parent_id == county.id))
    for i in range(start, start + n):
        town = Area(code=f"{county_code}T{i:03d}", name=f"镇{i}", level="town", parent=county,
                    path=f"{county.path}{county_code}T{i:03d}/")
        village = Area(code=f"{county_code}T{i:03d}V", name=f"村{i}", level="village",
                       parent=town, path=f"{town.path}{county_code}T{i:03d}V/")
        unit = StudyUnit(code=f"U{county_code}{i:03d}", kind="household", name=f"户{i}",
                         area=village, leader_name="王", leader_phone="13900000001",
                         reach=3, registered_on=date(2026, 1, 2))
        db.session.add_all([town, village, unit, StudySession(
            code=f"S{county_code}{i:03d}", unit=unit, held_on=date(2026, 2, 3),
            format="lecture")])
    db.session.commit()


@pytest.mark.parametrize("period", [HALF_YEAR, "from=2026-03-10&to=2026-06-29",
                                    "preset=this_year"])
def test_the_report_costs_the_same_queries_for_5_towns_as_for_40(app, client, small_county,
                                                                 make_user, period):
    login(client, make_user("admin", area=small_county["county"]))
    add_towns("330100", 3)
    pages = [f"/reports/coverage?area=330100&{period}",
             f"/reports/coverage/print?area=330100&{period}", "/home"]
    few = [queries_for(app, client, url) for url in pages]
    add_towns("330100", 35)
    assert [queries_for(app, client, url) for url in pages] == few
    assert len(report_rows(page_text(client.get(pages[0])))) == 40 + 1


def test_a_leaf_areas_unit_list_costs_the_same_for_2_units_as_for_30(app, client,
                                                                     small_county, make_user):
    login(client, make_user("admin", area=small_county["county"]))
    village = db.session.scalar(sa.select(Area).where(Area.code == "330101001"))
    url = f"/reports/coverage?area=330101001&{HALF_YEAR}"
    few = queries_for(app, client, url)
    db.session.add_all(StudyUnit(code=f"V{i:03d}", kind="household", name=f"户{i}",
                                 area_id=village.id, leader_name="王", reach=2,
                                 leader_phone="13900000001", registered_on=date(2026, 1, 2))
                       for i in range(28))
    db.session.commit()
    assert queries_for(app, client, url) == few
