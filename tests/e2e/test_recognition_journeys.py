"""A recognised unit in a real browser: 城关镇's coordinator nominates 张家中心户, the county
office approves it, the plaque shows a QR code that carries the printed verification address,
that address (opened with no account) says "valid"; the office revokes it and the same address
says "revoked". Screenshots at 360 px and desktop land in /tmp."""

from __future__ import annotations

from datetime import date

import pytest  # noqa: F401 (the suite's marks)

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import PASSWORD, log_in

SHOTS = "/tmp/recog-{}.png"


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=town)
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=town)
        unit = register_unit(kind="household", area=village, name="张家中心户",
                             leader_name="王建国", leader_phone="13900000011", reach=12,
                             registered_on=date(2026, 1, 5))
        return unit.id

    return seed(build)


def shots(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(f"{name}-desktop"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=SHOTS.format(f"{name}-phone"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}: the page is {width}px wide on a phone"
    page.set_viewport_size({"width": 1200, "height": 900})


def qr_of(url: str) -> bytes:
    """The QR code segno draws for `url`, as the app draws it: equal bytes mean the plaque's
    code carries exactly the printed address."""
    from lawlearn.sessions.checkin import qr_svg

    return qr_svg(url)


def test_nominate_approve_plaque_verify_revoke(open_page, live_app, county):
    base, year = live_app.config["BASE_URL"], clock.today().year
    town = open_page()
    log_in(town, base, "chengguan")
    town.goto(f"{base}/units/{county}")
    town.get_by_role("link", name="推荐示范认定").first.click()
    town.select_option("#year", str(year))
    town.fill("#statement", "每月集中学法，带动邻里十余户。")
    shots(town, "nominate")
    town.get_by_role("button", name="推荐", exact=True).click()
    assert "镇（街道）已审核" in town.content()

    office = open_page()
    log_in(office, base, "office")
    office.get_by_role("link", name="示范认定", exact=True).first.click()
    shots(office, "list")
    office.get_by_role("link", name="张家中心户").click()
    shots(office, "show")
    office.get_by_role("button", name=f"批准为 {year} 年度示范").click()
    assert "已批准" in office.content()
    office.get_by_role("link", name="打印牌匾").click()
    assert "学法示范户" in office.content() and "张家中心户" in office.content()
    office.wait_for_load_state("load")  # the load event waits for the images
    assert office.evaluate("document.querySelector('.plaque-qr img').getBoundingClientRect()"
                           ".width") > 100, "the QR image is not drawn"
    url = office.locator(".plaque-url a").inner_text()
    assert url.startswith(base + "/verify/recognition/")
    qr_src = office.locator(".plaque-qr img").get_attribute("src")
    response = office.request.get(base + qr_src)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    served = response.body()
    with live_app.test_request_context():
        assert served == qr_of(url), "the QR code does not carry the printed address"
    shots(office, "plaque")
    office.emulate_media(media="print")
    office.screenshot(path=SHOTS.format("plaque-print"), full_page=True)
    office.emulate_media(media="screen")

    visitor = open_page()
    visitor.goto(url)
    text = visitor.content()
    assert "有效" in text and "张家中心户" in text
    assert "王建国" not in text and "13900000011" not in text
    shots(visitor, "verify-valid")

    office.goto(f"{base}/reports/coverage?area=330100&preset=this_year")
    panel = office.locator("#recognised + .table-wrap")
    assert "城关镇" in panel.inner_text() and "1" in panel.inner_text()
    office.locator("#recognised").scroll_into_view_if_needed()
    office.screenshot(path=SHOTS.format("report-panel"))

    office.goto(base + qr_src.replace("/qr.svg", ""))
    office.fill("#reason", "连续半年未开展活动")
    office.get_by_role("button", name="撤销认定").click()
    assert "已撤销" in office.content()
    visitor.goto(url)
    text = visitor.content()
    assert "已撤销" in text and clock.today().isoformat() in text
    shots(visitor, "verify-revoked")
    visitor.goto(url[:-2] + "xx")
    assert "未找到该认定" in visitor.content()
    shots(visitor, "not-found")
