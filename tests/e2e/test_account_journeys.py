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
