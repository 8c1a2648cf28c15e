"""The assessment in a real browser: the office uploads the year's scheme, a town's
coordinator self-assesses a bonus with an evidence file, the office accepts it and publishes,
then prints the town's scoring sheet (考核评分表); the office edits a scheme in the form
editor; a town graded 不合格 reports its rectification (整改) and the office accepts it.
Screenshots land in /tmp for a person to look at."""

from __future__ import annotations

from datetime import date

import pytest

from lawlearn.areas.operations import create_area
from lawlearn.assessment.operations import load_scheme
from lawlearn.assessment.scheme import parse_yaml
from lawlearn.auth.operations import create_user
from lawlearn.units.operations import register_unit
from tests.assessment.helpers import SCHEME
from tests.e2e.conftest import PASSWORD, log_in

SHOTS = "/tmp/lawlearn-assessment-{}.png"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        create_area(code="330102", name="青山镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=town)
        register_unit(kind="household", area=village, name="张家中心户", leader_name="王建国",
                      leader_phone="13900000011", reach=12, registered_on=date(2026, 1, 5))
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=town)
        return town.id

    return seed(build)


def test_scheme_upload_self_assessment_review_publish_print(open_page, live_app, county,
                                                           tmp_path):
    base = live_app.config["BASE_URL"]
    scheme_file = tmp_path / "scheme.yaml"
    scheme_file.write_text(SCHEME, encoding="utf-8")

    office = open_page()
    log_in(office, base, "office")
    office.get_by_role("link", name="考核", exact=True).click()
    office.get_by_role("link", name="上传考核细则").first.click()
    office.set_input_files("#file", str(scheme_file))
    office.get_by_role("button", name="导入考核细则").click()
    assert office.locator("h1").inner_text() == "2026年度普法工作定量考核细则"
    assert office.locator("table.scheme-table tbody tr").count() == 9

    town = open_page()
    log_in(town, base, "chengguan")
    town.goto(f"{base}/assessment/2026/")
    assert town.locator("h1").inner_text() == "城关镇 · 2026"
    bonus = town.locator("#item-E1")
    bonus.locator("input[name=E1-value]").fill("4")
    bonus.locator("textarea[name=E1-note]").fill("获市级表彰，文件已报县普法办")
    bonus.get_by_role("button", name="保存自评").click()
    assert "待审核" in town.locator("#item-E1").inner_text()
    evidence_file = tmp_path / "市级表彰文件.pdf"
    evidence_file.write_bytes(PDF)
    town.locator("#item-E1 input[type=file]").set_input_files(str(evidence_file))
    town.locator("#item-E1").get_by_role("button", name="添加佐证材料").click()
    assert "市级表彰文件.pdf" in town.locator("#item-E1 .evidence-list").inner_text()
    town.screenshot(path=SHOTS.format("self-assessment"), full_page=True)

    office.goto(f"{base}/assessment/2026/towns/{county}")
    office.locator("#item-E1").get_by_role("button", name="认可或调整").click()
    assert "已认可" in office.locator("#item-E1").inner_text()
    office.goto(f"{base}/assessment/2026/")
    office.get_by_role("button", name="公布考核结果").click()
    assert "已公布" in office.locator("main").inner_text()
    office.screenshot(path=SHOTS.format("results"), full_page=True)

    office.goto(f"{base}/assessment/2026/towns/{county}")
    office.get_by_role("link", name="考核评分表（打印）").click()
    assert office.locator("body.print-report").count() == 1
    assert "获市级表彰" not in office.locator("table.scoring-sheet").inner_text()
    row = office.locator("table.scoring-sheet tbody tr", has_text="表彰奖励")
    assert row.locator("td").nth(5).inner_text() == "4" and row.locator("td").nth(6).inner_text() == "4"
    office.emulate_media(media="print")
    pdf = office.pdf(prefer_css_page_size=True)
    assert b"/MediaBox [0 0 841.9" in pdf


def test_the_office_edits_the_scheme_in_the_browser(open_page, live_app, county, seed):
    base = live_app.config["BASE_URL"]
    seed(lambda: load_scheme(parse_yaml(SCHEME.encode())))
    office = open_page()
    log_in(office, base, "office")
    office.goto(f"{base}/assessment/2026/scheme")
    office.get_by_role("link", name="编辑考核细则").click()
    items = office.locator("details.scheme-item-fold")
    assert items.nth(0).get_attribute("open") is None  # folded: a phone lists the items
    items.nth(0).locator("summary").click()
    items.nth(0).locator("input[name$=-points]").fill("16")
    items.nth(0).locator("input[name$=-group]").fill("阵地建设")
    office.get_by_role("button", name="保存考核细则").click()
    assert "A1 16" in office.locator("[role=alert]").inner_text()
    items.nth(0).locator("summary").click()
    assert items.nth(0).locator("input[name$=-group]").input_value() == "阵地建设"
    office.set_viewport_size({"width": 360, "height": 800})
    office.screenshot(path=SHOTS.format("editor-refused-360"), full_page=True)
    items.nth(0).screenshot(path=SHOTS.format("editor-item-360"))
    office.set_viewport_size({"width": 1200, "height": 900})
    items.nth(0).screenshot(path=SHOTS.format("editor-item"))
    items.nth(1).locator("summary").click()
    items.nth(1).locator("input[name$=-points]").fill("9")
    office.get_by_role("button", name="保存考核细则").click()
    assert office.locator("h1").inner_text() == "2026年度普法工作定量考核细则"
    assert "阵地建设" in office.locator("table.scheme-table").inner_text()
    office.screenshot(path=SHOTS.format("edited-scheme"), full_page=True)


def test_a_town_graded_lowest_reports_its_rectification(open_page, live_app, county, seed,
                                                        tmp_path):
    """No units, so 城关镇 and 青山镇 score only the untouched deduction: both 不合格."""
    base = live_app.config["BASE_URL"]
    seed(lambda: load_scheme(parse_yaml(SCHEME.encode())))
    office = open_page()
    log_in(office, base, "office")
    office.goto(f"{base}/assessment/2026/")
    office.get_by_role("button", name="公布考核结果").click()
    office.locator(".rectification-list a", has_text="城关镇").click()
    assert "待整改" in office.locator("main").inner_text()
    office.fill("#due-due", "2027-01-15")
    office.get_by_role("button", name="保存整改期限").click()
    assert "2027-01-15" in office.locator("main").inner_text()

    town = open_page(width=360, height=800)
    log_in(town, base, "chengguan")
    town.locator(".rectifications a", has_text="城关镇").click()
    report = tmp_path / "整改报告.pdf"
    report.write_bytes(PDF)
    town.set_input_files("#report-file", str(report))
    town.fill("#report-note", "已补齐学法台账")
    town.get_by_role("button", name="提交报告").click()
    assert "已提交报告" in town.locator("main").inner_text()
    town.screenshot(path=SHOTS.format("rectification-360"), full_page=True)

    office.reload()
    assert "整改报告.pdf" in office.locator("main").inner_text()
    office.get_by_label("通过整改").check()
    office.get_by_role("button", name="保存审核结论").click()
    assert "已认可" in office.locator("main").inner_text()
    office.screenshot(path=SHOTS.format("rectification-accepted"), full_page=True)
    town.goto(f"{base}/home")
    assert town.locator(".rectifications").count() == 0
