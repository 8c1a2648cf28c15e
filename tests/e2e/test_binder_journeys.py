"""The evidence binder in a real browser, built by the web process's own background thread
(BINDER_RUNNER's default): a coordinator asks for a quarter's binder, watches its progress page,
downloads the ZIP and opens the A4 summary. Screenshots land in /tmp."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest  # noqa: F401 (the suite's marks)

from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.extensions import db
from lawlearn.sessions import photos
from lawlearn.sessions.operations import log_session, mark_roster
from lawlearn.units.operations import add_member, register_unit
from tests.e2e.conftest import log_in

SHOTS = "/tmp/binder-{}.png"


@pytest.fixture
def town(seed):
    def build():
        from PIL import Image

        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=town)
        create_user(username="chengguan", password="correct horse battery",
                    role="coordinator", area=town)
        unit = register_unit(kind="household", area=village, name="张家中心户",
                             leader_name="王建国", leader_phone="13900000011", reach=12,
                             registered_on=date(2026, 1, 5))
        person = add_member(unit, name="李秀英", mobile="13900000021")
        picture = io.BytesIO()
        Image.new("RGB", (640, 480), "green").save(picture, "JPEG")
        picture.seek(0)
        session = log_session(unit, held_on=date(2026, 3, 10), code="ZJ-0310",
                              topics=["civil-code"], format="group_study", lecturer="张老师",
                              duration_minutes=60, notes=None,
                              prepared_photos=[photos.prepare(picture)])
        db.session.flush()
        mark_roster(session, [(person.id, None, "present")], [])

    seed(build)


def test_a_coordinator_asks_for_a_binder_sees_it_built_and_downloads_it(
        open_page, live_app, town):
    base = live_app.config["BASE_URL"]
    page = open_page()
    log_in(page, base, "chengguan")
    page.get_by_role("link", name="台账", exact=True).click()
    page.screenshot(path=SHOTS.format("index-desktop"), full_page=True)
    page.fill("#start", "2026-01")
    page.fill("#end", "2026-03")
    page.get_by_role("button", name="生成台账").click()
    page.wait_for_url("**/binders/*")
    assert page.get_by_text("台账正在生成，本页显示进度。").is_visible()
    page.screenshot(path=SHOTS.format("progress-desktop"), full_page=True)
    for _ in range(50):   # the reload link, as a person presses it
        if page.get_by_role("link", name="下载台账（ZIP）").count():
            break
        page.get_by_role("link", name="刷新").click()
        page.wait_for_timeout(200)
    page.screenshot(path=SHOTS.format("ready-desktop"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载台账（ZIP）").click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert "索引.xlsx" in names and "汇总.html" in names
    assert any(n.startswith("2026-03/") and n.endswith("ZJ-0310 签到表.html") for n in names)
    page.get_by_role("link", name="打印汇总（A4）").click()
    assert page.get_by_role("heading", name="台账 · 城关镇").is_visible()
    page.screenshot(path=SHOTS.format("print-desktop"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=SHOTS.format("print-paper"), full_page=True)

    phone = open_page(width=360, height=740)
    log_in(phone, base, "chengguan")
    phone.goto(base + "/binders/")
    phone.screenshot(path=SHOTS.format("index-phone"), full_page=True)
    phone.get_by_role("link", name="城关镇").first.click()
    phone.screenshot(path=SHOTS.format("ready-phone"), full_page=True)
