"""Issue 14's whole story in one browser walk, in Chinese: a leader logs last month's session on
a phone → the town's coordinator returns it with a reason → the leader fixes and resubmits →
the coordinator approves → the county office locks that month → the coordinator's edit is
refused and keeps what was typed → the coordinator's evidence binder for the month holds the
session's sign-in sheet."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.extensions import db
from lawlearn.models import StudySession
from lawlearn.units.operations import add_member, register_unit
from tests.e2e.conftest import PASSWORD, log_in

PHONE = {"width": 360, "height": 780}


def last_month() -> date:
    first = clock.today().replace(day=1)
    return (first.replace(year=first.year - 1, month=12) if first.month == 1
            else first.replace(month=first.month - 1))


@pytest.fixture
def town(seed):
    def build():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        cg = create_area(code="330101", name="城关镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village", parent=cg)
        unit = register_unit(kind="household", area=village, name="张家学法中心户",
                             leader_name="张建国", leader_phone="13900000001", reach=12,
                             registered_on=date(2025, 1, 5))
        add_member(unit, name="李秀英", mobile="13900000021")
        create_user(username="zhang", password=PASSWORD, role="leader", units=[unit])
        create_user(username="chengguan", password=PASSWORD, role="coordinator", area=cg)
        create_user(username="office", password=PASSWORD, role="admin", area=county)
        return {"unit": unit.id}

    return seed(build)


def state_of(live_app, session_id: int) -> str:
    with live_app.app_context():
        return db.session.get(StudySession, session_id).review_state


def test_submit_return_resubmit_approve_lock_refused_edit_binder(open_page, live_app, town):
    base = live_app.config["BASE_URL"]
    month = last_month()
    held_on = month.replace(day=12)
    label = f"{month.year}年{month.month}月"

    # The leader logs last month's meeting: it waits for the town.
    leader = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(leader, base, "zhang")
    leader.goto(f"{base}/units/{town['unit']}/sessions/new")
    leader.fill("#held_on", held_on.isoformat())
    leader.select_option("#format", label="专题讲座")
    leader.get_by_text("宪法", exact=True).click()
    leader.fill("#lecturer", "村支书")
    leader.get_by_role("button", name="保存").click()
    with live_app.app_context():
        session_id = db.session.scalars(
            sa.select(StudySession.id).order_by(StudySession.id.desc())).first()
    assert state_of(live_app, session_id) == "submitted"

    # The coordinator returns it with a reason.
    coordinator = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(coordinator, base, "chengguan")
    coordinator.goto(f"{base}/review/")
    card = coordinator.locator(".review-card").filter(has_text="张家学法中心户")
    card.get_by_role("link", name="退回").click()
    coordinator.fill("#reason", "请补充主讲人全名")
    coordinator.get_by_role("button", name="退回负责人").click()
    assert state_of(live_app, session_id) == "returned"

    # The leader sees the reason, fixes the session and sends it back.
    leader.goto(f"{base}/home")
    returned = leader.locator(".returned-sessions")
    assert "请补充主讲人全名" in returned.inner_text()
    returned.get_by_role("link").first.click()
    leader.fill("#lecturer", "村支书王建华")
    leader.get_by_role("button", name="保存").click()
    assert state_of(live_app, session_id) == "submitted"

    # The coordinator approves it.
    coordinator.goto(f"{base}/review/")
    coordinator.get_by_role("button", name="审核通过已勾选的").click()
    assert "已审核通过 1 场学习活动" in coordinator.locator(".flash").inner_text()
    assert state_of(live_app, session_id) == "approved"

    # The county office locks the month for the town.
    office = open_page()
    log_in(office, base, "office")
    office.goto(f"{base}/locks/")
    office.select_option("#area_id", label="示范县 / 城关镇（330101）")
    office.select_option("#period", value=f"{month:%Y-%m}")
    office.fill("#reason", "季度台账已上报")
    office.get_by_role("button", name="锁定", exact=True).click()
    assert f"已锁定 城关镇 的 {label}。" in office.locator(".flash").inner_text()

    # The coordinator's edit of the locked month is refused; what they typed stays.
    coordinator.goto(f"{base}/sessions/{session_id}/edit")
    coordinator.fill("#notes", "补记")
    coordinator.get_by_role("button", name="保存").click()
    assert coordinator.locator("#held_on-error").inner_text() == (
        f"{label} 已锁定（城关镇），请联系县普法办解锁")
    assert coordinator.locator("#notes").input_value() == "补记"
    with live_app.app_context():
        assert db.session.get(StudySession, session_id).notes in (None, "")

    # The month's evidence binder holds the approved session's sign-in sheet.
    desk = open_page()
    log_in(desk, base, "chengguan")
    desk.get_by_role("link", name="台账", exact=True).click()
    desk.fill("#start", f"{month:%Y-%m}")
    desk.fill("#end", f"{month:%Y-%m}")
    desk.get_by_role("button", name="生成台账").click()
    desk.wait_for_url("**/binders/*")
    for _ in range(50):
        if desk.get_by_role("link", name="下载台账（ZIP）").count():
            break
        desk.get_by_role("link", name="刷新").click()
        desk.wait_for_timeout(200)
    with desk.expect_download() as download:
        desk.get_by_role("link", name="下载台账（ZIP）").click()
    with live_app.app_context():
        code = db.session.get(StudySession, session_id).code
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert "索引.xlsx" in names
    assert any(n.startswith(f"{month:%Y-%m}/") and n.endswith(f"{code} 签到表.html")
               for n in names), names
