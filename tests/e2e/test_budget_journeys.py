"""Budgets in a real browser: the office sets the year's budget standard and allocates money
to a town; the town's coordinator, on a phone, records a payment with a photo of its voucher;
the budget page then shows the execution rate. Screenshots land in /tmp for a person to look
at (phone width 360 and desktop)."""

from __future__ import annotations

from datetime import date

import pytest

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import PASSWORD, log_in
from tests.sessions.conftest import image_bytes

SHOTS = "/tmp/budget-{}.png"


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        create_area(code="330102", name="青山镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=town)
        for name in ("张家中心户", "李家中心户", "赵家中心户"):
            register_unit(kind="household", area=village, name=name, leader_name="王建国",
                          leader_phone="13900000011", reach=12,
                          registered_on=date(clock.today().year, 1, 5))
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=town)
        return town.id

    return seed(build)


def test_standard_allocation_payment_with_voucher_and_execution_rate(open_page, live_app,
                                                                     county, tmp_path):
    base, year = live_app.config["BASE_URL"], clock.today().year

    office = open_page()
    log_in(office, base, "office")
    office.get_by_role("link", name="预算", exact=True).click()
    office.get_by_role("link", name="示范县预算标准").click()
    for field, value in (("household", "500"), ("enterprise_group", "800"), ("building", "300"),
                         ("village_floor", "1000"), ("town_floor", "3000")):
        office.fill(f"#{field}", value)
    office.get_by_role("button", name="保存预算标准").click()
    assert f"{year} 年预算标准已保存" in office.locator(".flash, .flashes").first.inner_text()
    office.get_by_role("link", name="城关镇").click()
    assert "¥3,000.00" in office.locator(".budget-figures").inner_text()  # the town floor
    office.fill("#allocation-amount", "10,000")
    office.fill("#allocation-note", "县财政〔2026〕12号")
    office.get_by_role("button", name="拨付", exact=True).click()
    assert "¥10,000.00" in office.locator(".budget-figures").inner_text()

    voucher = tmp_path / "发票.jpg"
    voucher.write_bytes(image_bytes("JPEG"))
    phone = open_page(width=360, height=800)
    log_in(phone, base, "chengguan")
    phone.goto(f"{base}/budgets/")
    phone.get_by_role("link", name="城关镇").click()
    phone.fill("#payment-amount", "１２００")  # full-width digits: refused with a message
    phone.fill("#payment-payee", "县印刷厂")
    phone.fill("#payment-purpose", "民法典宣传册印制")
    phone.fill("#payment-activity", "民法典宣传月")
    phone.set_input_files("#payment-voucher", str(voucher))
    phone.get_by_role("button", name="登记支出").click()
    assert "半角数字" in phone.locator("#payment-amount-error").inner_text()
    assert phone.input_value("#payment-payee") == "县印刷厂"
    phone.fill("#payment-amount", "2500.50")
    phone.set_input_files("#payment-voucher", str(voucher))
    phone.get_by_role("button", name="登记支出").click()
    figures = phone.locator(".budget-figures").inner_text()
    assert "¥2,500.50" in figures and "25.0 %" in figures
    assert phone.get_by_role("link", name="发票.jpg").count() == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the phone page is {width} px wide"
    phone.screenshot(path=SHOTS.format("town-360"), full_page=True)

    office.goto(f"{base}/budgets/towns/{county}/{year}")
    assert "25.0 %" in office.locator(".budget-figures").inner_text()
    assert "民法典宣传月" in office.locator("body").inner_text()
    office.screenshot(path=SHOTS.format("town-desktop"), full_page=True)
    office.goto(f"{base}/budgets/?year={year}")
    office.screenshot(path=SHOTS.format("overview-desktop"), full_page=True)
    phone.goto(f"{base}/budgets/?year={year}")
    phone.screenshot(path=SHOTS.format("overview-360"), full_page=True)
    office.goto(f"{base}/budgets/towns/{county}/{year}?print=1")
    office.emulate_media(media="print")
    office.screenshot(path=SHOTS.format("town-print"), full_page=True)
