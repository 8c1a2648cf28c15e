"""The web coverage report shows exactly the figures of coverage() (the CLI's function) for the
hand-counted small county, drills down to a village's units, and downloads the same figures
as CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

from lawlearn.extensions import db
from lawlearn.models import Area, StudyUnit
from lawlearn.reports.coverage import coverage
from lawlearn.reports.exports import COLUMNS, table_rows
from lawlearn.reports.periods import Period
from tests.conftest import TODAY, login

HALF_YEAR = "from=2026-01-01&to=2026-06-30"
EN = {"Accept-Language": "en"}


pytestmark = pytest.mark.usefixtures("fixed_today")  # the clock stopped at TODAY


def area(code: str) -> Area:
    return db.session.scalar(sa.select(Area).where(Area.code == code))


def page_text(response) -> str:
    return response.get_data(as_text=True)


def cells(fragment: str, tag: str = "t[dh]") -> list[str]:
    found = re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", fragment, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in found]


def report_rows(page: str) -> list[list[str]]:
    """Every body and total row of the report table, first cell the area."""
    table = re.search(r'<table class="report-table">(.*?)</table>', page, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1) + re.search(
        r"<tfoot>(.*?)</tfoot>", table, re.S).group(1)
    return [cells(tr) for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def shown(row: dict) -> list[str]:
    """A contract row as the page prints it."""
    units = row["units"]
    rate = (f"{100 * row['active_units'] / units['total']:.0f}%" if units["total"] else "—")
    return [*(f"{units[k]:,}" for k in ("household", "enterprise_group", "building", "total")),
            f"{row['active_units']:,}", rate,
            *(f"{row[k]:,}" for k in ("sessions", "attendances", "participants",
                                      "households_reached", "workers_reached", "quiz_attempts",
                                      "quiz_participants")),
            "—" if row["mean_score"] is None else f"{row['mean_score']:.1f}",
            "—" if row["pass_rate"] is None else f"{100 * row['pass_rate']:.1f}%"]


@pytest.fixture
def office(client, small_county, make_user):
    login(client, make_user("admin", area=small_county["county"]))
    return client


def test_the_page_shows_exactly_the_report_figures(office):
    page = page_text(office.get(f"/reports/coverage?area=330100&{HALF_YEAR}"))
    expected = coverage(area("330100"), Period(date(2026, 1, 1), date(2026, 6, 30)),
                        today=TODAY)
    rows = report_rows(page)
    assert [r[1:] for r in rows] == [shown(r) for r in [*expected["rows"], expected["total"]]]
    assert rows[0][0].startswith("城关镇") and rows[1][0].startswith("青山镇")
    assert rows[2][0].startswith("合计")
    assert "2026-01-01" in page and "2026-06-30" in page


def test_the_default_is_the_users_area_this_year_to_date(office):
    page = page_text(office.get("/reports/coverage"))
    expected = coverage(area("330100"), Period(date(2026, 1, 1), TODAY), today=TODAY)
    assert [r[1:] for r in report_rows(page)][-1] == shown(expected["total"])
    assert 'value="2026-01-01"' in page and 'value="2026-11-27"' in page


def test_presets_give_the_periods_they_name(office):
    page = page_text(office.get("/reports/coverage?preset=last_year&area=330100"))
    assert "2025-01-01" in page and "2025-12-31" in page
    assert report_rows(page)[-1][7] == "1"  # S3, on 31 December 2025
    quarter = page_text(office.get("/reports/coverage?preset=this_quarter"))
    assert "2026-10-01" in quarter and "2026-11-27" in quarter


def test_the_area_may_be_named_by_id_too(office):
    by_id = page_text(office.get(f"/reports/coverage?area={small_county_id('330101')}&"
                                 f"{HALF_YEAR}"))
    assert report_rows(by_id) == report_rows(page_text(
        office.get(f"/reports/coverage?area=330101&{HALF_YEAR}")))


def small_county_id(code: str) -> int:
    return area(code).id


def test_drill_down_from_county_to_a_villages_units(office):
    county = page_text(office.get(f"/reports/coverage?area=330100&{HALF_YEAR}"))
    town_link = html.unescape(re.search(r'href="([^"]*area=330101[^"]*)">城关镇', county).group(1))
    assert "from=2026-01-01" in town_link and "to=2026-06-30" in town_link
    town = page_text(office.get(town_link))
    assert [r[0].split()[0] for r in report_rows(town)[:-1]] == [
        "城关镇东村", "城关镇幸福社区", "城关镇机械厂"]
    village_link = html.unescape(re.search(r'href="([^"]*area=330101001[^"]*)"', town).group(1))
    village = page_text(office.get(village_link))
    crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', village, re.S).group(1)
    assert cells(crumbs, "li") == ["示范县", "城关镇", "城关镇东村"]
    units = re.search(r'<table class="stack units-table">(.*?)</table>', village, re.S).group(1)
    body = re.findall(r"<tr[^>]*>(.*?)</tr>", units.split("<tbody>")[1], re.S)
    h1 = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.reach == 10))
    # H1: S1 on 10 March, 甲 present and 乙 late (丙 excused and 丁 absent don't count).
    # The retired H3 had no session: not listed.
    assert [cells(tr) for tr in body] == [
        [h1.code, h1.name, "学法中心户", "王老师", "1", "2", "2", "2026-03-10"]]
    assert f'href="/units/{h1.id}"' in village or f"unit={h1.id}" in village


def test_the_units_table_adds_up_to_the_areas_total(office):
    page = page_text(office.get(f"/reports/coverage?area=330102E01&{HALF_YEAR}"))
    total = report_rows(page)[-1]
    units = re.search(r'<table class="stack units-table">(.*?)</table>', page, re.S).group(1)
    row = cells(re.findall(r"<tr[^>]*>(.*?)</tr>", units.split("<tbody>")[1], re.S)[0])
    assert (row[4], row[5]) == (total[7], total[8])  # sessions, attendances


def _download(client, fmt: str):
    response = client.get(f"/reports/coverage?area=330100&{HALF_YEAR}&format={fmt}")
    assert response.status_code == 200
    return response


def test_csv_xlsx_and_json_downloads_carry_the_json_figures(office):
    office.get("/lang/en")  # the English file is headed with the contract's codes
    report = json.loads(_download(office, "json").data)
    assert report == coverage(area("330100"), Period(date(2026, 1, 1), date(2026, 6, 30)),
                              today=TODAY)
    with force_locale("en"):
        expected = [["" if v is None else v for v in row] for row in table_rows(report)]

    response = _download(office, "csv")
    assert "coverage-330100-2026-01-01-2026-06-30.csv" in response.headers[
        "Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [name for name, _label, _read in COLUMNS]
    assert rows[1:] == [[str(v) for v in row] for row in expected]

    response = _download(office, "xlsx")
    assert response.headers["Content-Disposition"].endswith('2026-06-30.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    read = [["" if c is None else c for c in row]
            for row in book["coverage"].iter_rows(min_row=2, values_only=True)]
    assert read == expected
    params = dict(book["parameters"].iter_rows(values_only=True))
    assert (params["area_code"], params["from"], params["to"]) == (
        "330100", "2026-01-01", "2026-06-30")


def test_the_page_links_to_the_downloads_and_the_print_view_of_the_same_report(office):
    page = html.unescape(page_text(office.get(f"/reports/coverage?area=330101&{HALF_YEAR}")))
    for link in ("format=csv", "format=xlsx", "/reports/coverage/print?"):
        url = re.search(rf'href="([^"]*{re.escape(link)}[^"]*)"', page).group(1)
        assert "area=330101" in url and "from=2026-01-01" in url and "to=2026-06-30" in url


def test_the_print_view_has_area_period_date_table_and_charts_and_no_nav(office):
    response = office.get(f"/reports/coverage/print?area=330100&{HALF_YEAR}", headers=EN)
    page = page_text(response)
    assert response.status_code == 200
    assert '<body class="print-report">' in page
    assert 'class="nav"' not in page and "site-header" not in page
    assert "示范县" in page and "2026-01-01 – 2026-06-30" in page
    assert re.search(r"Generated</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d", page)
    assert len(report_rows(page)) == 3
    assert page.count('role="img"') == 3  # coverage, months, scores
    assert "<details open>" in page  # the charts' figures are printed too


def test_charts_are_accessible_svg_with_their_figures(office):
    page = page_text(office.get(f"/reports/coverage?area=330100&{HALF_YEAR}", headers=EN))
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg and "aria-label=" in svg and "<title" in svg
    coverage_svg, months_svg, scores_svg = svgs
    assert "城关镇: 2 of 2 registered units active (100%)" in coverage_svg
    assert "2026-03 · Sessions: 1" in months_svg and "2026-06 · Attendances (person-times): 2" \
        in months_svg
    assert "Civil Code: mean score 65.0 over 2 attempts, 50.0% passed" in scores_svg
    figures = re.search(r"<summary>The figures</summary>(.*?)</table>", page, re.S).group(1)
    assert len(re.findall(r"<tr>", figures)) == 1 + 6  # header + January…June


def test_an_area_without_sessions_shows_zeros_and_empty_states(office):
    page = page_text(office.get(f"/reports/coverage?area=330102101&{HALF_YEAR}", headers=EN))
    assert report_rows(page) == [[
        "Total · 青山镇幸福社区 counted over the whole area", "0", "0", "0", "0", "0", "—", "0",
        "0", "0", "0", "0", "0", "0", "—", "—"]]
    assert "No quiz results in this period." in page
    assert "No study units were registered here by the end of the period." in page


def test_drilling_down_to_a_units_sessions_keeps_the_period(office):
    """B1 met on 31 Dec 2025 (S3) and 5 May 2026 (S5): the half-year report counts one session,
    and the unit's session list it links to must count the same one, not both."""
    b1 = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.reach == 30))
    page = page_text(office.get(f"/reports/coverage?area={b1.area.code}&{HALF_YEAR}"))
    units = re.search(r'<table class="stack units-table">(.*?)</table>', page, re.S).group(1)
    row = re.findall(r"<tr[^>]*>(.*?)</tr>", units.split("<tbody>")[1], re.S)[0]
    assert cells(row)[4] == "1"
    link = html.unescape(re.search(r'<a href="([^"]*unit=[^"]*)"', row).group(1))
    assert "from=2026-01-01" in link and "to=2026-06-30" in link
    sessions = page_text(office.get(link))
    figures = re.findall(r'<div class="figure">([^<]*)</div>', sessions)
    assert figures[0] == "1"
    assert "2026-05-05" in sessions and "2025-12-31" not in sessions
