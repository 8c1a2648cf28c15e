"""Passwords and the audit log in a real browser, on a 360-px phone, with no JavaScript."""

from __future__ import annotations

import pytest

from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from tests.e2e.conftest import PASSWORD, log_in

NEW = "plum river lantern"


@pytest.fixture
def office_and_town(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=town)

    seed(build)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_office_resets_a_password_on_a_phone_and_the_holder_chooses_their_own(
        browser, open_page, live_app, office_and_town):
    base = live_app.config["BASE_URL"]
    office = open_page(width=360, height=740, locale="zh-CN")
    log_in(office, base, "office")
    office.goto(base + "/accounts/")
    office.get_by_role("link", name="重置密码").click()
    office.wait_for_url("**/reset-password")  # not measured mid-navigation
    assert fits(office)
    office.get_by_role("button", name="重置密码").click()
    one_time = office.locator("#one-time-password").inner_text()
    assert len(one_time) == 19
    assert fits(office)

    holder = open_page("/login", width=360, height=740, locale="zh-CN")
    holder.fill("#username", "chengguan")
    holder.fill("#password", one_time)
    holder.click("form.form button[type=submit]")
    holder.wait_for_url("**/password")
    assert fits(holder)
    holder.goto(base + "/units/")  # any page leads back to the form
    holder.wait_for_url("**/password")
    holder.fill("#current", one_time)
    holder.fill("#password", NEW)
    holder.fill("#confirm", NEW)
    holder.click("form.form button[type=submit]")
    holder.wait_for_url("**/home")

    office.goto(base + "/audit/")
    assert fits(office)
    rows = office.locator("table.audit tbody tr")
    assert rows.count() >= 3
    assert "修改了自己的密码" in rows.first.inner_text()


def test_the_audit_log_filters_in_english(open_page, live_app, office_and_town):
    base = live_app.config["BASE_URL"]
    page = open_page(locale="en-US", width=360, height=740)
    log_in(page, base, "office")
    page.goto(base + "/audit/")
    page.select_option("#action", "login")
    page.get_by_role("button", name="Filter").click()
    cells = page.locator("table.audit tbody tr td:nth-child(3)").all_inner_texts()
    assert cells and set(cells) == {"Logged in"}
    assert fits(page)


@pytest.fixture
def town_with_units(seed):
    """The office's county with one town of 40 households: more than one screen of units."""
    from datetime import date

    from lawlearn.units.operations import register_unit

    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        village = create_area(code="330101001", name="东风村", level="village", parent=town)
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        for i in range(40):
            register_unit(kind="household", area=village, code=f"330101001-H{i:03d}",
                          name=f"{'张李王赵'[i % 4]}家中心户{i}", leader_name="王老师",
                          leader_phone="13900000001", reach=10, registered_on=date(2026, 1, 5))

    seed(build)


@pytest.mark.parametrize("locale, words", [
    ("zh-CN", {"leader": "学习单元负责人", "search": "搜索", "next": "下一步", "create": "创建"}),
    ("en-US", {"leader": "Unit leader", "search": "Search", "next": "Next step", "create": "Create"}),
])
def test_the_office_creates_a_leader_on_a_phone_by_searching_the_units(
        open_page, live_app, town_with_units, locale, words):
    """Issue 10.11: role first, then the town and a name, tick, details, done: no Ctrl-click
    list of every unit, nothing wider than a 360-px phone, no JavaScript needed."""
    base = live_app.config["BASE_URL"]
    page = open_page(width=360, height=740, locale=locale)
    log_in(page, base, "office")
    page.goto(base + "/accounts/new")
    assert fits(page)
    page.get_by_role("link", name=words["leader"]).click()
    assert page.locator("select[multiple]").count() == 0
    page.select_option("#town", label="示范县 / 城关镇（330101）")
    page.fill("#q", "张家")
    page.get_by_role("button", name=words["search"]).click()
    assert page.locator("input[name=unit]").count() == 10      # 张家中心户0, 4, 8 … 36
    assert fits(page)
    page.get_by_label("张家中心户4（330101001-H004）· 东风村").check()
    page.fill("#q", "李家中心户5")
    page.press("#q", "Enter")                                     # Enter searches
    assert page.locator("input[name=unit]:checked").count() == 1  # the tick stays
    page.get_by_label("李家中心户5（330101001-H005）· 东风村").check()
    page.get_by_role("button", name=words["next"]).click()
    assert fits(page)
    assert page.locator("#area_id").count() == 0
    page.fill("#username", "zhang.si")
    page.fill("#password", "plum river lantern")
    page.fill("#confirm", "plum river lantern")
    page.get_by_role("button", name=words["create"], exact=True).click()
    page.wait_for_url("**/accounts/")
    row = page.locator("tr", has_text="zhang.si")
    assert "张家中心户4" in row.inner_text() and "李家中心户5" in row.inner_text()
    assert fits(page)
