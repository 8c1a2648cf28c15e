"""The coverage report in a real browser: a town coordinator opens it, drills down to a
village's units, downloads the XLSX, opens the print view. Screenshots of the report and of
the print view (print media) land in /tmp for a person to look at."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.extensions import db
from lawlearn.models import Attempt, Attendance, Person, Quiz, StudySession
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import PASSWORD, log_in

SHOTS = "/tmp/lawlearn-report-{}.png"


def _unit(area, kind, name, reach):
    return register_unit(kind=kind, area=area, name=name, leader_name="王建国",
                         leader_phone="13900000011", reach=reach,
                         registered_on=date(2026, 1, 5))


def _session(code, unit, day, people):
    session = StudySession(code=code, unit=unit, held_on=day, format="lecture")
    for person in people:
        session.attendance.append(Attendance(person=person, status="present", method="roster"))
    db.session.add(session)
    return session


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        other = create_area(code="330102", name="青山镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=town)
        community = create_area(code="330101101", name="城关镇幸福社区", level="community",
                                parent=town)
        create_area(code="330102001", name="青山镇西村", level="village", parent=other)
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=town)
        household = _unit(village, "household", "张家中心户", 12)
        building = _unit(community, "building", "幸福社区3号楼", 30)
        people = [Person(name=n) for n in ("甲", "乙", "丙")]
        first = _session("S1", household, date(2026, 3, 10), people)
        _session("S2", building, date(2026, 5, 6), people[:2])
        quiz = Quiz(slug="civil-code", title="民法典", topic="civil-code")
        db.session.add(quiz)
        db.session.flush()
        db.session.add(Attempt(quiz=quiz, person=people[0], session=first,
                               unit_id=household.id, taken_on=date(2026, 3, 10), score=80,
                               passed=True, method="paper"))

    seed(build)


def test_a_coordinator_reads_drills_down_downloads_and_prints(open_page, live_app, county):
    base = live_app.config["BASE_URL"]
    page = open_page()
    log_in(page, base, "chengguan")
    page.get_by_role("link", name="报表", exact=True).click()
    assert page.locator("h1").inner_text().startswith("覆盖率报表 · 城关镇")

    page.fill("#from", "2026-01-01")
    page.fill("#to", "2026-06-30")
    page.get_by_role("button", name="查看报表").click()
    total = page.locator("table.report-table tfoot tr td")
    assert total.nth(3).inner_text() == "2"    # registered units, all kinds
    assert total.nth(6).inner_text() == "2"    # sessions
    assert total.nth(7).inner_text() == "5"    # attendances
    assert total.nth(8).inner_text() == "3"    # participants
    assert page.locator("svg.chart[role=img]").count() == 3
    page.screenshot(path=SHOTS.format("report"), full_page=True)

    page.get_by_role("link", name="城关镇东村").click()
    assert page.locator("h1").inner_text().startswith("覆盖率报表 · 城关镇东村")
    units = page.locator("table.units-table tbody tr")
    assert units.count() == 1 and "张家中心户" in units.first.inner_text()
    crumbs = page.locator(".breadcrumbs").inner_text()
    assert "城关镇" in crumbs and "示范县" not in crumbs
    page.locator(".breadcrumbs").get_by_role("link", name="城关镇").click()
    assert "2026-06-30" in page.locator(".period-line").inner_text()  # the period came along

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel（XLSX）").click()
    download = info.value
    assert download.suggested_filename == "coverage-330101-2026-01-01-2026-06-30.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))["覆盖率报表"]  # in Chinese
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["330101001", "330101101", "330101"]
    assert rows[-1][8:11] == (2, 5, 3)  # sessions, attendances, participants

    page.get_by_role("link", name="打印版").click()
    assert page.locator("body.print-report").count() == 1
    assert page.locator("header.site-header").count() == 0
    meta = page.locator(".print-meta").inner_text()
    assert "城关镇" in meta and "2026-01-01 – 2026-06-30" in meta and "生成时间" in meta
    page.emulate_media(media="print")
    assert page.locator(".no-print").first.is_hidden()
    page.screenshot(path=SHOTS.format("print"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True)
    assert b"/MediaBox [0 0 841.9" in pdf  # A4 landscape (297 × 210 mm in points)


def test_the_report_fits_a_phone_and_its_table_scrolls_in_its_own_box(open_page, live_app,
                                                                     county):
    base = live_app.config["BASE_URL"]
    page = open_page(width=360, height=740)
    log_in(page, base, "chengguan")
    page.goto(base + "/reports/coverage?from=2026-01-01&to=2026-06-30")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    wrap = page.locator(".report-table-wrap")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside
    page.screenshot(path=SHOTS.format("phone"), full_page=True)


def test_a_coordinator_cannot_open_the_county_report(open_page, live_app, county):
    base = live_app.config["BASE_URL"]
    page = open_page()
    log_in(page, base, "chengguan")
    response = page.goto(base + "/reports/coverage?area=330102")
    # Another town's code reads exactly as an unknown one (docs/access.md).
    assert response.status == 400
