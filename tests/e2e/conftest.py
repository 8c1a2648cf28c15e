"""Browser tests: the real app served on localhost in a thread, driven by Debian's Chromium
through Playwright. Chromium is required in CI (LAWLEARN_REQUIRE_ALL=1); elsewhere the suite
is skipped with a note when /usr/bin/chromium is missing."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lawlearn import create_app
from lawlearn.extensions import db, limiter
from tests.conftest import QUICK_PASSWORD_HASH

CHROMIUM = os.environ.get("LAWLEARN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
PASSWORD = "correct horse battery"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("LAWLEARN_REQUIRE_ALL") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; browser tests are required in CI")
        pytest.skip("Chromium not installed (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(sqlite_template, tmp_path):
    path = tmp_path / "e2e.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app({"TESTING": True, "SECRET_KEY": "e2e-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "PASSWORD_HASH_METHOD": QUICK_PASSWORD_HASH})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        limiter.reset()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def seed(live_app):
    """Build data with the app's own operations: seed(lambda: ...) runs in an app context and
    commits."""

    def run(fn):
        with live_app.test_request_context():
            result = fn()
            db.session.commit()
            return result

    return run


@pytest.fixture(scope="session", autouse=True)
def clicks_wait_for_the_page_they_open():
    """A click that opens a page returns once the page has loaded, as a person waits for it.

    Playwright's click waits only until the next page has started to arrive; an assertion that
    counts rows right after it (`locator.count()` does not wait) could then read a page still
    being parsed, or a photo not yet loaded — which happened when the machine was busy (the
    suite runs a worker per core). After a click that opened nothing, the current page is
    already loaded and the wait returns at once."""
    from playwright.sync_api import Locator, Page

    originals = {cls: cls.click for cls in (Locator, Page)}

    def waiting(click):
        def click_and_wait(self, *args, **kwargs):
            click(self, *args, **kwargs)
            (self if isinstance(self, Page) else self.page).wait_for_load_state()

        return click_and_wait

    for cls, click in originals.items():
        cls.click = waiting(click)
    yield
    for cls, click in originals.items():
        cls.click = click


@pytest.fixture
def open_page(browser, live_app):
    pages = []

    def open_(path: str = "/", *, locale: str = "zh-CN", width: int = 1200, height: int = 900):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(10_000)
        pages.append(context)
        page.goto(live_app.config["BASE_URL"] + path)
        return page

    yield open_
    for context in pages:
        context.close()


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/home")


def image_shown(image) -> bool:
    """Whether the image behind this locator has loaded and has pixels, waiting for it (up to
    Playwright's timeout): a page's load event may come before a thumbnail's bytes on a busy
    machine, so checking `complete` at once failed now and then."""
    image.wait_for()
    handle = image.element_handle()
    handle.owner_frame().wait_for_function("img => img.complete && img.naturalWidth > 0",
                                           arg=handle)
    return True
