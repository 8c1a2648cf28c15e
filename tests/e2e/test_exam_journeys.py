"""The annual exam end to end in a real browser: the county office sets an exam with a window
(Beijing time) and a roster; a villager on a phone finds it not open yet, then fails the first
attempt, passes the make-up, opens the certificate, follows its verification link and sees it
valid; a serial with one character changed is refused. Screenshots land in /tmp."""

from __future__ import annotations

from datetime import date, datetime

import pytest  # noqa: F401 (the suite's marks)
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.extensions import db
from lawlearn.models import Attempt
from lawlearn.quiz.sync import sync_bank
from lawlearn.units.operations import add_member, register_unit
from tests.e2e.conftest import PASSWORD, log_in
from tests.quiz.conftest import TINY

SHOTS = "/tmp/exam-{}.png"
PHONE = {"width": 360, "height": 780}
VILLAGER = ("张小三", "13900001234")


@pytest.fixture
def county(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town = create_area(code="330101", name="城关镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=town)
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        unit = register_unit(kind="household", area=village, name="张家中心户",
                             leader_name="王建国", leader_phone="13900000011", reach=12,
                             registered_on=date(2026, 1, 5))
        add_member(unit, name=VILLAGER[0], mobile=VILLAGER[1])
        sync_bank(TINY, source_hash=None)

    seed(build)


def _answer(page, seed, right: bool):
    """Tick every answer right (read from the attempt) or leave all blank, then hand in."""
    token = page.url.rsplit("/", 1)[-1]
    if right:
        def keys():
            attempt = db.session.scalar(sa.select(Attempt).where(Attempt.token == token))
            return [(i.position, i.kind, i.answer) for i in attempt.items]

        for position, kind, key in seed(keys):
            values = (["T" if key else "F"] if kind == "true_false"
                      else key if isinstance(key, list) else [key])
            for value in values:
                page.check(f'input[name="q{position}"][value="{value}"]')
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url("**/q/r/**")


def test_an_exam_from_window_to_verified_certificate(open_page, live_app, county, seed,
                                                     freeze_clock):
    base = live_app.config["BASE_URL"]
    freeze_clock(datetime(2026, 11, 19, 10, 0, tzinfo=clock.TZ))
    office = open_page()
    log_in(office, base, "office")
    office.goto(base + "/quizzes/")
    office.get_by_role("link", name="年度学法考试").click()
    office.get_by_role("link", name="新建考试").first.click()
    office.fill("#name", "2026年度学法考试")
    office.fill("#year", "2026")
    office.select_option("#quiz", "tiny")
    office.fill("#pass_score", "75")
    office.fill("#opens_at", "2026-11-20T08:00")
    office.fill("#closes_at", "2026-11-30T18:00")
    office.select_option("#unit_ids", index=0)  # the county's one unit: 张家中心户
    office.get_by_role("button", name="保存考试").click()
    assert office.locator("h1").inner_text() == "2026年度学法考试"
    assert "2026-11-20 08:00 – 2026-11-30 18:00" in office.locator("dl.details").inner_text()
    link = office.locator("dl.details a").first.get_attribute("href")
    office.goto(office.url.rstrip("/") + "/edit")
    office.screenshot(path=SHOTS.format("form-desktop"), full_page=True)

    phone = open_page(link, **PHONE)
    assert "考试尚未开始" in phone.locator("main").inner_text()
    phone.screenshot(path=SHOTS.format("not-yet"), full_page=True)

    freeze_clock(datetime(2026, 11, 25, 10, 0, tzinfo=clock.TZ))
    phone.reload()
    phone.fill("#name", VILLAGER[0])
    phone.fill("#mobile", VILLAGER[1])
    phone.get_by_role("button", name="开始考试").click()
    phone.wait_for_url("**/q/a/**")
    _answer(phone, seed, right=False)
    phone.screenshot(path=SHOTS.format("failed-360"))
    assert "首次考试" in phone.locator(".result-score").first.inner_text()
    assert "不合格" in phone.locator(".result-score").first.inner_text()
    phone.get_by_role("link", name="返回考试页面").click()
    phone.get_by_role("button", name="参加补考").click()
    phone.wait_for_url("**/q/a/**")
    _answer(phone, seed, right=True)
    assert "补考" in phone.locator(".result-score").first.inner_text()
    phone.get_by_role("link", name="返回考试页面").click()
    assert "参加补考" not in phone.locator("main").inner_text()
    phone.get_by_role("link", name="查看合格证书").click()

    certificate = phone.locator("article.certificate")
    text = certificate.inner_text()
    assert "张*三" in text and "张小三" not in text and "优秀" in text
    assert "2026年度学法考试" in text and "2026-11-25" in text
    assert phone.locator("article.certificate img").count() == 1
    phone.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    phone.emulate_media(media="print")
    phone.screenshot(path=SHOTS.format("certificate-a4"), full_page=True)
    phone.emulate_media(media="screen")
    phone.set_viewport_size(PHONE)
    verify_url = certificate.locator(".certificate-check .code").inner_text()
    serial = verify_url.rsplit("/", 1)[-1]

    phone.goto(verify_url)
    assert "该证书真实有效" in phone.locator("main").inner_text()
    facts = phone.locator("dl.certificate-facts").inner_text()
    assert "张*三" in facts and "优秀" in facts and serial in facts
    assert "13900001234" not in phone.content() and "100" not in facts
    phone.screenshot(path=SHOTS.format("verify-360"), full_page=True)

    forged = serial[:-1] + ("A" if serial[-1] != "A" else "B")
    response = phone.goto(verify_url.rsplit("/", 1)[0] + "/" + forged)
    assert response.status == 404
    assert "未找到该证书" in phone.locator("h1").inner_text()
    phone.screenshot(path=SHOTS.format("forged-360"), full_page=True)

    office.goto(office.url.removesuffix("/edit"))
    results = office.locator("table").first.inner_text()
    assert "100.0%" in results  # the one candidate sat and passed
    office.screenshot(path=SHOTS.format("results-desktop"), full_page=True)
    office.set_viewport_size(PHONE)
    office.screenshot(path=SHOTS.format("results-360"), full_page=True)
