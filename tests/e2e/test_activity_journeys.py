"""A touring exhibition (巡回展览) in a real browser, in Chinese: the county office creates it
with two stops in two villages, two participants check in by QR at each stop on a 360 px
phone, the exhibition page shows the check-ins per stop, and the coverage report counts each
stop's attendance in its own village."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import PASSWORD, image_shown, log_in

PHONE = {"width": 360, "height": 780}
SHOTS = "/tmp/tour-{}.png"
PEOPLE = [("李秀英", "13900000021"), ("王建国", "13900000022")]


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        cg = create_area(code="330101", name="城关镇", level="town", parent=county)
        for code, name, unit in (("330101001", "城关镇东村", "东村中心户"),
                                 ("330101002", "城关镇西村", "西村中心户")):
            village = create_area(code=code, name=name, level="village", parent=cg)
            register_unit(kind="household", area=village, name=unit, leader_name="张建国",
                          leader_phone="13900000001", reach=12, registered_on=date(2026, 1, 5))
        create_user(username="office", password=PASSWORD, role="admin", area=county)

    seed(build)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def add_stop(page, unit_label: str, place: str, visitors: str) -> None:
    page.get_by_role("link", name="添加站点").first.click()
    page.select_option("#unit_id", label=unit_label)
    page.fill("#place", place)
    page.get_by_text("民法典", exact=True).click()
    page.fill("#visitors", visitors)
    page.get_by_role("button", name="保存").click()
    assert "站点已添加" in page.locator(".flash").inner_text()


def test_a_touring_exhibition_with_two_stops_checked_in_by_qr(open_page, live_app, county):
    base = live_app.config["BASE_URL"]
    page = open_page()
    log_in(page, base, "office")
    page.get_by_role("link", name="全县性活动", exact=True).click()
    assert "还没有全县性活动" in page.locator("main").inner_text()
    page.get_by_role("link", name="新建活动").first.click()
    page.select_option("#kind", label="巡回展览")
    page.fill("#title", "民法典巡回展览")
    page.select_option("#area_id", label="示范县（330100）")
    page.screenshot(path=SHOTS.format("new-desktop"), full_page=True)
    page.get_by_role("button", name="创建").click()
    assert page.locator("h1").inner_text() == "民法典巡回展览"
    activity_url = page.url

    add_stop(page, "城关镇东村 · 东村中心户", "东村文化广场", "120")
    add_stop(page, "城关镇西村 · 西村中心户", "西村文化礼堂", "80")
    rows = page.locator("table.stops tbody tr")
    assert rows.count() == 2

    links = []
    for i in range(2):
        page.goto(activity_url)
        page.locator("table.stops tbody tr").nth(i).get_by_role(
            "link", name="二维码和签到表").click()
        links.append(page.locator(".checkin-link a").get_attribute("href"))
        assert image_shown(page.locator("img.qr"))

    for n, link in enumerate(links):
        for name, mobile in PEOPLE:
            phone = open_page(urlsplit(link).path, width=PHONE["width"], height=PHONE["height"])
            phone.fill("#name", name)
            phone.fill("#mobile", mobile)
            assert no_sideways_scroll(phone)
            phone.get_by_role("button", name="签到").click()
            assert "您已签到" in phone.locator(".flash").inner_text()
            if n == 0 and name == PEOPLE[0][0]:
                phone.screenshot(path=SHOTS.format("checked-in-phone"), full_page=True)
            phone.context.close()

    page.goto(activity_url)
    rows = page.locator("table.stops tbody tr")
    first, second = rows.nth(0).locator("td"), rows.nth(1).locator("td")
    assert "东村文化广场" in first.nth(1).inner_text()
    assert (first.nth(3).inner_text(), first.nth(4).inner_text()) == ("120", "2")
    assert "西村文化礼堂" in second.nth(1).inner_text()
    assert (second.nth(3).inner_text(), second.nth(4).inner_text()) == ("80", "2")
    total = page.locator("table.stops tfoot td")
    assert "200" in total.nth(2).inner_text() and "4" in total.nth(3).inner_text()
    page.screenshot(path=SHOTS.format("exhibition-desktop"), full_page=True)
    page.get_by_role("link", name="打印视图（A4）").click()
    assert page.locator("body.print-report").count() == 1
    page.emulate_media(media="print")
    page.screenshot(path=SHOTS.format("exhibition-print"), full_page=True)

    small = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(small, base, "office")
    small.goto(activity_url)
    assert no_sideways_scroll(small)
    small.screenshot(path=SHOTS.format("exhibition-phone"), full_page=True)

    today = clock.today().isoformat()
    page.emulate_media(media="screen")
    page.goto(f"{base}/reports/coverage?area=330101&from={today}&to={today}")
    for village in ("城关镇东村", "城关镇西村"):
        cells = page.locator("table.report-table tbody tr").filter(has_text=village).locator("td")
        assert cells.nth(6).inner_text() == "1"    # sessions: the stop held there
        assert cells.nth(7).inner_text() == "2"    # attendances: its two check-ins
    page.screenshot(path=SHOTS.format("coverage-desktop"), full_page=True)


def test_the_other_kinds_read_on_a_phone(open_page, live_app, county, seed):
    """A rotational training with its cohort, an on-site visit with a visiting unit and the
    lecturer pool, each on a 360 px phone without sideways scrolling."""
    from lawlearn.activities.operations import (
        add_cohort_member,
        add_lecturer,
        add_stop,
        add_visiting_unit,
        create_activity,
    )
    from lawlearn.extensions import db
    from lawlearn.models import Area, StudyUnit

    def build():
        town = db.session.scalar(db.select(Area).where(Area.code == "330101"))
        east, west = db.session.scalars(db.select(StudyUnit).order_by(StudyUnit.id)).all()
        add_lecturer(town.parent, name="陈法官", title="县人民法院", topics="民法典、反诈")
        training = create_activity(kind="rotational_training", title="村干部集中轮训",
                                   year=2026, area=town)
        for _ in range(2):
            add_stop(training, east, place="镇党校", topics=["civil-code"],
                     held_on=clock.today(), duration_minutes=90)
        for name, mobile in PEOPLE:
            add_cohort_member(training, name=name, mobile=mobile)
        visit = create_activity(kind="site_visit", title="中心户现场观摩", year=2026, area=town)
        add_stop(visit, east, place="东村中心户家中", topics=["civil-code"],
                 held_on=clock.today(), duration_minutes=60)
        add_visiting_unit(visit, west)
        return training.id, visit.id

    training, visit = seed(build)
    base = live_app.config["BASE_URL"]
    phone = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(phone, base, "office")
    for name, url in (("training", f"/activities/{training}"), ("visit", f"/activities/{visit}"),
                      ("lecturers", "/activities/lecturers/"), ("list", "/activities/"),
                      ("stop-form", f"/activities/{visit}/stops/new")):
        phone.goto(base + url)
        assert no_sideways_scroll(phone), name
        phone.screenshot(path=SHOTS.format(f"{name}-phone"), full_page=True)
    phone.goto(base + f"/activities/{training}")
    text = phone.locator("main").inner_text()
    assert "李*英" in text and "139****0021" in text and "李秀英" not in text
    assert "0%" in text                                   # nobody has come yet
