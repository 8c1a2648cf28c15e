"""The period lock in a real browser: the county office locks last month for a town; the
town's coordinator's edit of a session of that month is refused with the message, and the form
keeps what they typed; the report shows the lock. Phone (360 px) and desktop screenshots."""

from __future__ import annotations

from datetime import date

import pytest

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.sessions.operations import log_session
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import PASSWORD, log_in

SHOTS = "/tmp"


def last_month() -> date:
    first = clock.today().replace(day=1)
    return (first.replace(year=first.year - 1, month=12) if first.month == 1
            else first.replace(month=first.month - 1))


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        cg = create_area(code="330101", name="城关镇", level="town", parent=county)
        create_area(code="330102", name="青山镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=cg)
        unit = register_unit(kind="household", area=village, name="张家学法中心户",
                             leader_name="张建国", leader_phone="13900000001", reach=12,
                             registered_on=date(2025, 1, 5))
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=cg)
        session = log_session(unit, held_on=last_month().replace(day=15), topics=["civil-code"],
                              format="lecture", lecturer="司法所刘所长", duration_minutes=90)
        return {"town": cg.id, "session": session.id}

    return seed(build)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_office_locks_a_month_and_the_coordinators_edit_is_refused(open_page, live_app,
                                                                       county):
    base = live_app.config["BASE_URL"]
    month = last_month()
    label = f"{month.year}年{month.month}月"
    office = open_page()
    log_in(office, base, "office")
    office.get_by_role("link", name="期间锁定").click()
    office.select_option("#area_id", label="示范县 / 城关镇（330101）")
    office.select_option("#period", value=f"{month:%Y-%m}")
    office.fill("#reason", "月报已上报")
    office.screenshot(path=f"{SHOTS}/lock-office-desktop.png", full_page=True)
    office.get_by_role("button", name="锁定", exact=True).click()
    assert f"已锁定 城关镇 的 {label}。" in office.locator(".flash").inner_text()
    assert "月报已上报" in office.locator("table.locks-table").inner_text()
    office.set_viewport_size({"width": 360, "height": 800})
    assert no_sideways_scroll(office)
    office.screenshot(path=f"{SHOTS}/lock-office-phone.png", full_page=True)

    phone = open_page(width=360, height=800)
    log_in(phone, base, "chengguan")
    phone.goto(f"{base}/sessions/{county['session']}/edit")
    phone.fill("#lecturer", "村支书")
    phone.fill("#notes", "补充说明")
    phone.get_by_role("button", name="保存").click()
    error = phone.locator("#held_on-error").inner_text()
    assert error == f"{label} 已锁定（城关镇），请联系县普法办解锁"
    assert phone.locator("#lecturer").input_value() == "村支书"   # the input is kept
    assert phone.locator("#notes").input_value() == "补充说明"
    assert no_sideways_scroll(phone)
    phone.screenshot(path=f"{SHOTS}/lock-refused-edit-phone.png", full_page=True)

    phone.goto(f"{base}/locks/")
    assert "月报已上报" in phone.locator("main").inner_text()
    assert phone.locator("#reason").count() == 0  # read only
    assert no_sideways_scroll(phone)
    phone.screenshot(path=f"{SHOTS}/lock-coordinator-phone.png", full_page=True)

    office.set_viewport_size({"width": 1200, "height": 900})
    office.goto(f"{base}/reports/coverage?area=330101&from={month:%Y-%m}-01"
                f"&to={clock.today().isoformat()}")
    assert office.locator(".locked-periods").inner_text().split() == ["已锁定：", label]
    office.screenshot(path=f"{SHOTS}/lock-report-desktop.png")
