"""The sessions journeys in a real browser, on a phone-sized screen, in Chinese."""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.extensions import db
from lawlearn.models import Attendance, StudySession
from lawlearn.sessions.operations import log_session
from lawlearn.units.operations import add_member, register_unit
from tests.e2e.conftest import PASSWORD, image_shown, log_in

PHONE = {"width": 390, "height": 844}
SHOTS = "/tmp"


@pytest.fixture
def town(seed):
    """城关镇 with one household and its roster, its leader and coordinator; 青山镇 beside it."""
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        cg = create_area(code="330101", name="城关镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=cg)
        unit = register_unit(kind="household", area=village, name="张家学法中心户",
                             leader_name="张建国", leader_phone="13900000001", reach=12,
                             registered_on=date(2026, 1, 5))
        for name, mobile in [("李秀英", "13900000021"), ("王大伯", None), ("赵小红", "13900000023")]:
            add_member(unit, name=name, mobile=mobile)
        create_user(username="zhang", password=PASSWORD, role="leader", units=[unit])
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=cg)
        session = log_session(unit, held_on=clock.today(), topics=["civil-code", "anti-fraud"],
                              format="case_based", lecturer="司法所刘所长", duration_minutes=90)
        return {"unit": unit.id, "session": session.id, "token": session.checkin_token,
                "code": session.code}

    return seed(build)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def photo_file(tmp_path) -> str:
    from PIL import Image

    path = tmp_path / "meeting.jpg"
    image = Image.new("RGB", (1200, 900), (200, 60, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (30.0, 15.0, 1.0)  # a GPS latitude, which must not survive
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return str(path)


def test_a_leader_logs_a_session_with_a_photo_and_marks_attendance(open_page, live_app, town,
                                                                   tmp_path):
    base = live_app.config["BASE_URL"]
    page = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(page, base, "zhang")
    page.goto(f"{base}/units/{town['unit']}")
    page.locator("#sessions").scroll_into_view_if_needed()
    page.get_by_role("link", name="登记学习活动").first.click()
    page.get_by_role("link", name="沿用上次活动").click()  # today's session is the last one
    assert page.locator("#lecturer").input_value() == "司法所刘所长"
    page.select_option("#format", label="集中学习")
    page.get_by_text("民法典", exact=True).click()         # untick one of the two
    page.get_by_text("宪法", exact=True).click()
    page.fill("#lecturer", "村支书")
    page.set_input_files("#photo_files", photo_file(tmp_path))
    assert no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/sessions-log-phone.png", full_page=True)
    page.get_by_role("button", name="保存").click()

    assert "现在请标记到场人员" in page.locator(".flash").inner_text()
    assert page.locator("h1").inner_text() == "标记签到"
    rows = page.locator("fieldset.mark")
    assert rows.count() == 3
    rows.filter(has_text="李秀英").get_by_text("出席").click()
    rows.filter(has_text="王大伯").get_by_text("迟到").click()
    page.fill("#walk_ins-0-name", "孙路过")
    page.fill("#walk_ins-0-mobile", "13900000088")
    assert no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/sessions-roster-phone.png", full_page=True)
    page.get_by_role("button", name="保存签到").click()

    assert "新增 3 人" in page.locator(".flash").inner_text()
    assert "出席 2 · 迟到 1" in page.locator("main").inner_text()
    assert page.locator("table.attendance tbody tr").count() == 3
    photo = page.locator(".photo-grid img").first
    assert image_shown(photo)
    assert no_sideways_scroll(page)
    with live_app.app_context():
        session = db.session.scalars(sa.select(StudySession).order_by(StudySession.id.desc())
                                     ).first()
        assert session.topics == ["anti-fraud", "constitution"] and session.attended_count == 3


def test_a_participant_checks_in_through_the_qr_link(open_page, live_app, town):
    base = live_app.config["BASE_URL"]
    staff = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(staff, base, "zhang")
    staff.goto(f"{base}/sessions/{town['session']}")
    link = staff.locator(".checkin-link a").get_attribute("href")
    assert link.endswith(f"/s/{town['token']}")
    assert image_shown(staff.locator("img.qr"))

    phone = open_page(urlsplit(link).path, width=PHONE["width"], height=PHONE["height"])
    assert "张家学法中心户" in phone.locator("main").inner_text()
    assert phone.locator("body.participant").count() == 1
    phone.fill("#name", "李秀英")
    phone.fill("#mobile", "139 0000 0021")
    assert no_sideways_scroll(phone)
    phone.get_by_role("button", name="签到").click()
    assert "您已签到" in phone.locator(".flash").inner_text()
    if "quiz_public.start" in live_app.view_functions:
        assert phone.get_by_role("link", name="测验：民法典").count() == 1
    phone.screenshot(path=f"{SHOTS}/sessions-checked-in-phone.png", full_page=True)
    phone.go_back()
    phone.fill("#name", "李秀英")
    phone.fill("#mobile", "13900000021")
    phone.get_by_role("button", name="签到").click()  # twice: nothing changes
    with live_app.app_context():
        rows = db.session.execute(sa.select(Attendance.status, Attendance.method)).all()
        assert [tuple(r) for r in rows] == [("present", "qr")]


def test_a_coordinator_prints_the_sign_in_sheet(open_page, live_app, town):
    base = live_app.config["BASE_URL"]
    page = open_page(width=1200, height=900)
    log_in(page, base, "chengguan")
    page.goto(f"{base}/sessions/{town['session']}")
    page.get_by_role("link", name="签到表").click()
    assert page.locator("h1").inner_text() == "签到表"
    assert page.locator(".sheet-table tbody tr").count() == 20
    assert "139****0021" in page.locator(".sheet-table").inner_text()
    assert image_shown(page.locator(".sheet-qr img"))
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("[data-print]").is_visible()
    page.screenshot(path=f"{SHOTS}/sessions-sign-in-sheet-print.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 sheet
    with open(f"{SHOTS}/sessions-sign-in-sheet.pdf", "wb") as out:
        out.write(pdf)
    phone = open_page(width=360, height=800)
    log_in(phone, base, "chengguan")
    phone.goto(f"{base}/sessions/{town['session']}/sheet")
    assert no_sideways_scroll(phone)


def test_a_bad_attendance_file_shows_its_row_errors_and_writes_nothing(open_page, live_app,
                                                                       town, tmp_path):
    sheet = tmp_path / "签到表.csv"
    sheet.write_text("活动编码,姓名,手机号,状态\n"
                     f"{town['code']},李秀英,13900000021,出席\n"
                     "NO-SUCH-SESSION,王大伯,,出席\n"
                     f"{town['code']},孙路过,12345,出席\n"
                     f"{town['code']},赵小红,,来了\n", encoding="utf-8-sig")
    page = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(page, live_app.config["BASE_URL"], "chengguan")
    page.get_by_text("菜单", exact=True).click()  # on a phone the menu is folded
    page.get_by_role("link", name="导入", exact=True).click()
    page.locator("a[href$='/imports/attendance']").first.click()
    page.set_input_files("#file", str(sheet))
    page.get_by_role("button", name="检查文件").click()
    errors = page.locator("table.import-errors tbody tr")
    assert errors.count() == 3
    cells = [errors.nth(i).locator("td").all_inner_texts()[:2] for i in range(3)]
    assert cells == [["3", "活动编码"], ["4", "手机号"], ["5", "状态"]]
    assert "NO-SUCH-SESSION" in errors.nth(0).inner_text()
    page.screenshot(path=f"{SHOTS}/sessions-import-errors-phone.png", full_page=True)
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0


@pytest.mark.parametrize("path", [
    "/sessions/", "/sessions/new", "/units/{unit}/sessions/new", "/sessions/{session}",
    "/sessions/{session}/attendance", "/sessions/{session}/edit", "/sessions/dormant",
    "/units/{unit}", "/sessions/{session}/sheet", "/units/{unit}/sheet",
])
def test_every_page_fits_a_360px_phone(open_page, live_app, town, path):
    base = live_app.config["BASE_URL"]
    page = open_page(width=360, height=740)
    log_in(page, base, "chengguan")
    page.goto(base + path.format(**town))
    assert no_sideways_scroll(page), path
    name = re.sub(r"[^a-z]+", "-", path.replace("{", "").replace("}", "")).strip("-")
    page.screenshot(path=f"{SHOTS}/sessions-360-{name or 'index'}.png", full_page=True)


def test_the_check_in_page_speaks_english_on_request(open_page, live_app, town):
    page = open_page(f"/s/{town['token']}", locale="en-US", width=360, height=740)
    assert page.locator("h1").inner_text() == "Check in"
    assert "Civil Code" in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
