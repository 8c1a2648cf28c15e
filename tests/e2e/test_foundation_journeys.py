"""The foundation journeys, in a real browser."""

from __future__ import annotations

from datetime import date

import pytest

from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import PASSWORD, log_in


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        out = {"county": county}
        for i, name in enumerate(["城关镇", "青山镇"], start=1):
            town = create_area(code=f"33010{i}", name=name, level="town", parent=county)
            out[name] = {
                "town": town,
                "village": create_area(code=f"33010{i}001", name=f"{name}东村", level="village",
                                       parent=town),
                "community": create_area(code=f"33010{i}101", name=f"{name}幸福社区",
                                         level="community", parent=town),
                "enterprise": create_area(code=f"33010{i}E01", name=f"{name}机械厂",
                                          level="enterprise", parent=town),
            }
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        create_user(username="chengguan", password=PASSWORD, role="coordinator",
                    area=out["城关镇"]["town"])
        other = register_unit(kind="household", area=out["青山镇"]["village"], name="青山李家中心户",
                              leader_name="李四", leader_phone="13900000002", reach=9,
                              registered_on=date(2026, 2, 1))
        return {"other_unit_id": other.id}

    return seed(build)


def test_login_speaks_chinese_by_default_and_english_on_request(open_page, live_app, county):
    base = live_app.config["BASE_URL"]
    page = open_page("/login", locale="zh-CN")
    assert page.locator("h1").inner_text() == "登录"
    log_in(page, base, "office")
    assert page.get_by_role("link", name="学习单元", exact=True).is_visible()

    page = open_page("/login", locale="en-US")
    assert page.locator("h1").inner_text() == "Log in"
    log_in(page, base, "office")
    assert page.get_by_role("link", name="Study units", exact=True).is_visible()
    page.get_by_role("link", name="中文").click()
    assert page.get_by_role("link", name="学习单元", exact=True).is_visible()


@pytest.mark.parametrize("kind, area_label, name, extra", [
    ("household", "城关镇 / 城关镇东村（330101001）", "张家中心户", {}),
    ("building", "城关镇 / 城关镇幸福社区（330101101）", "幸福社区3号楼", {"#building": "3号楼"}),
    ("enterprise_group", "城关镇 / 城关镇机械厂（330101E01）", "一车间学法班组", {"#shift": "一车间"}),
])
def test_coordinator_registers_a_unit_of_each_kind(open_page, live_app, county, kind, area_label,
                                                   name, extra):
    page = open_page()
    log_in(page, live_app.config["BASE_URL"], "chengguan")
    page.get_by_role("link", name="学习单元", exact=True).click()
    page.get_by_role("link", name="登记学习单元").first.click()
    page.locator(f"a[href$='/units/new/{kind}']").click()
    page.fill("#name", name)
    page.select_option("#area_id", label=area_label)
    for selector, value in extra.items():
        page.fill(selector, value)
    page.fill("#leader_name", "王建国")
    page.fill("#leader_phone", "139 0000 0011")
    page.fill("#reach", "12")
    page.get_by_role("button", name="保存").click()
    assert "已登记学习单元" in page.locator(".flash").inner_text()
    assert page.locator("h1").inner_text().startswith(name)
    assert "13900000011" in page.locator(".details").inner_text()


def test_bad_areas_file_shows_its_row_errors_and_writes_nothing(open_page, live_app, county,
                                                                tmp_path):
    csv_file = tmp_path / "areas.csv"
    csv_file.write_text("编码,名称,级别,上级编码\n"
                        "330101002,西村,村,330101\n"
                        "330101003,北村,村庄,330101\n"
                        "330101004,南村,村,999999\n", encoding="utf-8-sig")
    page = open_page()
    log_in(page, live_app.config["BASE_URL"], "office")
    page.get_by_role("link", name="导入", exact=True).click()
    page.locator("a[href$='/imports/areas']").click()
    page.set_input_files("#file", str(csv_file))
    page.get_by_role("button", name="检查文件").click()
    errors = page.locator("table.import-errors tbody tr")
    assert errors.count() == 2
    assert errors.nth(0).inner_text().split("\t")[:2] == ["3", "级别"]
    assert errors.nth(1).inner_text().split("\t")[:2] == ["4", "上级编码"]
    assert "999999" in errors.nth(1).inner_text()
    page.goto(live_app.config["BASE_URL"] + "/areas/?q=西村")
    assert "西村" not in page.locator("main").inner_text()


def test_coordinator_cannot_open_another_towns_unit(open_page, live_app, county):
    page = open_page()
    log_in(page, live_app.config["BASE_URL"], "chengguan")
    response = page.goto(f"{live_app.config['BASE_URL']}/units/{county['other_unit_id']}")
    assert response.status == 404
    assert "青山李家中心户" not in page.content()
    page.goto(live_app.config["BASE_URL"] + "/units/?status=all")
    assert "青山李家中心户" not in page.locator("main").inner_text()
