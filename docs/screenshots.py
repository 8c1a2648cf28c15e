"""Take the README's screenshots from a running demo site (`make run`, or any URL).

    python docs/screenshots.py [BASE_URL]

Needs Debian's Chromium (/usr/bin/chromium) and Playwright for Python.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
OUT = Path(__file__).parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]

SHOTS = [
    # (file, path, viewport width, locale)
    ("home-zh.png", "/home", 1200, "zh-CN"),
    ("areas-zh.png", "/areas/", 1200, "zh-CN"),
    ("units-zh.png", "/units/", 1200, "zh-CN"),
    ("unit-phone-zh.png", "/units/1", 390, "zh-CN"),
    ("register-household-en.png", "/units/new/household", 1200, "en-US"),
    ("import-units-zh.png", "/imports/units", 1200, "zh-CN"),
]


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path, width, locale in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": 900}, locale=locale)
            page.goto(f"{BASE}/login")
            page.fill("#username", "admin")
            page.fill("#password", "lawlearn-demo-2026")
            page.click("button[type=submit]")
            page.goto(BASE + path)
            page.screenshot(path=str(OUT / name), full_page=width < 600)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
