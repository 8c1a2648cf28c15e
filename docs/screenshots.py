"""Take the README's screenshots from a running demo site (`make run`), in Chinese and English,
on a desktop and on a phone.

    python docs/screenshots.py [BASE_URL]

Needs Debian's Chromium (/usr/bin/chromium) and Playwright for Python. It logs one session for
today as leader1 (so the check-in link is open) and takes one quiz, through the UI, like a user.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
OUT = Path(__file__).parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
PASSWORD = "lawlearn-demo-2026"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 360, "height": 740}


def page_for(browser, user: str | None, viewport: dict, locale: str = "zh-CN"):
    page = browser.new_context(viewport=viewport, locale=locale).new_page()
    if user:
        page.goto(f"{BASE}/login")
        page.fill("#username", user)
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url("**/home")
    return page


def shot(page, name: str, path: str | None = None, full: bool = True, print_media=False):
    if path:
        page.goto(BASE + path)
    if print_media:
        page.emulate_media(media="print")
    page.screenshot(path=str(OUT / name), full_page=full)
    print("wrote", name)


def staff_pages(browser) -> None:
    admin = page_for(browser, "admin", DESKTOP)
    shot(admin, "home-zh.png", "/home")
    shot(admin, "areas-zh.png", "/areas/", full=False)
    shot(admin, "units-zh.png", "/units/", full=False)
    shot(admin, "report-zh.png", "/reports/coverage")
    shot(admin, "quiz-banks-zh.png", "/quizzes/", full=False)
    shot(admin, "import-units-zh.png", "/imports/units", full=False)
    admin.set_viewport_size({"width": 1123, "height": 794})
    shot(admin, "report-print.png", "/reports/coverage/print", print_media=True)
    english = page_for(browser, "coordinator1", DESKTOP, locale="en-US")
    shot(english, "register-household-en.png", "/units/new/household", full=False)
    english = page_for(browser, "admin", DESKTOP, locale="en-US")
    shot(english, "report-en.png", "/reports/coverage", full=False)
    phone = page_for(browser, "admin", PHONE)
    phone.goto(BASE + "/reports/coverage")
    phone.set_viewport_size({"width": 360, "height": 1480})  # key figures, cards, the table
    shot(phone, "report-phone-zh.png", full=False)


def session_journey(browser) -> None:
    leader = page_for(browser, "leader1", PHONE)
    leader.goto(f"{BASE}/sessions/new")
    shot(leader, "session-log-phone-zh.png")
    leader.locator("input[name=topics]").first.check()
    leader.locator("form button[type=submit]").last.click()
    leader.wait_for_url(re.compile(r".*/sessions/\d+/attendance"))
    shot(leader, "attendance-phone-zh.png")
    session_url = leader.url.rsplit("/attendance", 1)[0]
    leader.goto(session_url)
    checkin = leader.locator("a[href*='/s/']").first.get_attribute("href")
    sheet = leader.locator("a[href$='/sheet']").first.get_attribute("href")
    leader.set_viewport_size({"width": 794, "height": 1123})
    shot(leader, "sign-in-sheet-print.png", sheet, print_media=True)

    villager = page_for(browser, None, PHONE)
    villager.goto(checkin if checkin.startswith("http") else BASE + checkin)
    shot(villager, "checkin-phone-zh.png")
    villager.fill("input[name=name]", "王秀兰")
    villager.fill("input[name=mobile]", "13900009999")
    villager.locator("form button[type=submit]").last.click()
    shot(villager, "checked-in-phone-zh.png")
    quiz_links = villager.locator("a[href*='/q/']")
    if quiz_links.count():
        quiz_links.first.click()
        if villager.locator("input[name=name]").count():
            villager.fill("input[name=name]", "王秀兰")
            villager.fill("input[name=mobile]", "13900009999")
            villager.locator("form button[type=submit]").last.click()
        elif villager.locator("form button[type=submit]").count() and "/q/a/" not in villager.url:
            villager.locator("form button[type=submit]").first.click()
        shot(villager, "quiz-phone-zh.png", full=False)
        for fieldset in villager.locator("fieldset").all():
            fieldset.locator("input").first.check()
        villager.locator("form button[type=submit]").last.click()
        shot(villager, "quiz-result-phone-zh.png", full=False)


def unit_page(browser) -> None:
    """A leader's unit on a phone: its sessions and the roster (姓名, masked mobiles)."""
    leader = page_for(browser, "leader1", PHONE)
    leader.goto(f"{BASE}/units/")
    leader.locator("main table a[href*='/units/']").first.click()
    shot(leader, "unit-phone-zh.png")


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        staff_pages(browser)
        session_journey(browser)
        unit_page(browser)
        browser.close()


if __name__ == "__main__":
    main()
