"""Plans and monthly returns in a real browser: the county builds a plan in the form, reads
its board, drills down and checks off (销号) a manual milestone; a town submits last month's
return after its due day and the county sees it as late. Screenshots land in /tmp."""

from __future__ import annotations

from datetime import date

import pytest  # noqa: F401 (the suite's marks)

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.extensions import db
from lawlearn.models import StudySession
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import PASSWORD, log_in

SHOTS = "/tmp/lawlearn-plan-{}.png"


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        create_area(code="330102", name="青山镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=town)
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=town)
        unit = register_unit(kind="household", area=village, name="张家中心户",
                             leader_name="王建国", leader_phone="13900000011", reach=12,
                             registered_on=date(2026, 1, 5))
        db.session.add(StudySession(code="S1", unit=unit, held_on=date(2026, 3, 10),
                                    format="group_study"))

    seed(build)


def test_the_county_builds_a_plan_reads_the_board_and_checks_off(open_page, live_app, county):
    base = live_app.config["BASE_URL"]
    page = open_page()
    log_in(page, base, "office")
    page.get_by_role("link", name="活动计划", exact=True).click()
    page.get_by_role("link", name="制定计划").first.click()
    page.fill("#code", "e2e2026")
    page.fill("#title", "集中学习月")
    page.select_option("#area_id", label="示范县（330100）")
    page.fill("#rows-0-stage", "集中宣传")
    page.fill("#rows-0-stage_from", "2026-03-01")
    page.fill("#rows-0-code", "M1")
    page.fill("#rows-0-name", "集中学习一场")
    page.fill("#rows-0-due", "2026-04-30")
    page.select_option("#rows-0-kind", "sessions")
    page.select_option("#rows-0-formats", ["group_study"])
    page.fill("#rows-1-code", "M2")
    page.fill("#rows-1-name", "总结报告")
    page.fill("#rows-1-due", "2026-06-30")
    page.select_option("#rows-1-kind", "manual")
    page.get_by_role("button", name="保存计划").click()
    assert page.locator("h1").inner_text().startswith("集中学习月")
    board = page.locator("table.plan-board tbody tr")
    assert board.count() == 2
    chengguan = board.nth(0).inner_text()
    assert "✓" in chengguan and "已完成" in chengguan and "2026-03-10" in chengguan
    assert "已逾期" in board.nth(1).inner_text()   # 青山镇 held nothing
    page.screenshot(path=SHOTS.format("board"), full_page=True)

    page.locator("table.plan-board tbody tr").nth(0).locator("a.cell-link").nth(1).click()
    page.fill("#done_on", "2026-06-25")
    page.fill("#note", "总结报告已报县普法办")
    page.get_by_role("button", name="销号", exact=True).click()
    assert "2026-06-25" in page.locator("dl.details").inner_text()
    page.get_by_role("link", name="集中学习月").click()
    assert "2026-06-25" in page.locator("table.plan-board tbody tr").nth(0).inner_text()


def test_a_town_submits_last_months_return_late(open_page, live_app, county):
    base = live_app.config["BASE_URL"]
    today = clock.today()
    last = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    page = open_page()
    log_in(page, base, "chengguan")
    page.goto(f"{base}/returns/?year={last.year}")
    page.locator("table.plan-board tbody tr").first.locator("a.cell-link").nth(
        last.month - 1).click()
    page.fill("#summary", "本月开展集中学习一场。")
    page.get_by_role("button", name="报送月报").click()
    row = page.locator("table.plan-board tbody tr").first
    cell = row.locator("td").nth(last.month - 1).inner_text()
    # Last month's due day (the 28th or the month's end) is always behind us.
    assert "▲" in cell and "逾期报送" in cell
    page.screenshot(path=SHOTS.format("returns"), full_page=True)
