"""Review in a real browser at phone width, in Chinese: a leader logs a session, the town's
coordinator returns it with a reason, the leader sees the reason, fixes and resubmits it, the
coordinator approves it, and the approved-only report counts it."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, StudySession
from lawlearn.reports.coverage import coverage
from lawlearn.reports.periods import preset
from tests.e2e.conftest import image_shown, log_in
from tests.e2e.test_sessions_journeys import no_sideways_scroll, town  # noqa: F401 (fixture)

PHONE = {"width": 360, "height": 780}
SHOTS = "/tmp"


def approved_sessions(live_app) -> int:
    with live_app.test_request_context():
        from lawlearn import clock

        area = db.session.scalar(sa.select(Area).where(Area.code == "330101"))
        return coverage(area, preset("this_year", clock.today()),
                        approved_only=True)["total"]["sessions"]


def test_submit_return_resubmit_approve_and_the_approved_report(open_page, live_app, town):  # noqa: F811
    base = live_app.config["BASE_URL"]
    before = approved_sessions(live_app)
    leader = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(leader, base, "zhang")
    leader.goto(f"{base}/units/{town['unit']}/sessions/new")
    leader.select_option("#format", label="专题讲座")
    leader.get_by_text("宪法", exact=True).click()
    leader.fill("#lecturer", "村支书")
    leader.get_by_role("button", name="保存").click()
    assert "现在请标记到场人员" in leader.locator(".flash").inner_text()
    with live_app.app_context():
        logged = db.session.scalars(sa.select(StudySession).order_by(StudySession.id.desc())
                                    ).first()
        sid = logged.id
        assert logged.review_state == "submitted"

    coordinator = open_page(width=PHONE["width"], height=PHONE["height"])
    log_in(coordinator, base, "chengguan")
    coordinator.get_by_role("link", name="有 1 场学习活动待审核。").click()
    assert coordinator.locator("h1").inner_text() == "待审核学习活动"
    card = coordinator.locator(".review-card").filter(has_text="张家学法中心户")
    assert card.count() == 1 and "宪法" in card.inner_text()
    assert no_sideways_scroll(coordinator)
    coordinator.screenshot(path=f"{SHOTS}/review-queue-phone.png", full_page=True)
    card.get_by_role("link", name="退回").click()
    coordinator.get_by_role("button", name="退回负责人").click()  # no reason: refused
    assert "请填写退回原因" in coordinator.locator(".field.has-error").inner_text()
    coordinator.fill("#reason", "缺少签到表照片，请补上")
    assert no_sideways_scroll(coordinator)
    coordinator.screenshot(path=f"{SHOTS}/review-return-phone.png", full_page=True)
    coordinator.get_by_role("button", name="退回负责人").click()
    assert "已退回负责人" in coordinator.locator(".flash").inner_text()

    leader.goto(f"{base}/home")
    returned = leader.locator(".returned-sessions")
    assert "缺少签到表照片，请补上" in returned.inner_text()
    assert no_sideways_scroll(leader)
    leader.screenshot(path=f"{SHOTS}/review-returned-home-phone.png", full_page=True)
    returned.get_by_role("link").first.click()
    assert "镇（街道）已退回" in leader.locator(".notice.returned").inner_text()
    leader.fill("#notes", "已补签到表")
    leader.get_by_role("button", name="保存").click()
    assert "待审核" in leader.locator(".details").inner_text()  # the session's page
    leader.goto(f"{base}/home")
    assert leader.locator(".returned-sessions").count() == 0

    coordinator.goto(f"{base}/review/")
    assert coordinator.locator(".review-card").count() == 1
    coordinator.get_by_role("button", name="审核通过已勾选的").click()
    assert "已审核通过 1 场学习活动" in coordinator.locator(".flash").inner_text()
    with live_app.app_context():
        assert db.session.get(StudySession, sid).review_state == "approved"
    assert approved_sessions(live_app) == before + 1

    coordinator.goto(f"{base}/reports/coverage?area=330101&preset=this_year&basis=approved")
    assert "仅统计已审核的学习活动" in coordinator.locator(".period-line").inner_text()
    assert coordinator.get_by_label("仅已审核").is_checked()
    csv_link = coordinator.get_by_role("link", name="下载 CSV")
    assert "basis=approved" in (csv_link.get_attribute("href") or "")
    coordinator.screenshot(path=f"{SHOTS}/review-report-phone.png", full_page=True)


def test_the_queue_on_a_desktop(open_page, live_app, town, seed):  # noqa: F811
    from lawlearn.models import StudyUnit
    from lawlearn.sessions.operations import log_session

    def waiting():
        import io
        from datetime import timedelta

        from PIL import Image

        from lawlearn import clock
        from lawlearn.sessions import photos
        from lawlearn.sessions.operations import add_photos

        unit = db.session.get(StudyUnit, town["unit"])
        for n in range(3):
            s = log_session(unit, held_on=clock.today() - timedelta(days=n), topics=["minors"],
                            format="lecture", lecturer="民警", duration_minutes=45)
            s.review_state = "submitted"
            out = io.BytesIO()
            Image.new("RGB", (800, 600), (40, 90 + 40 * n, 160)).save(out, "JPEG")
            add_photos(s, [photos.prepare(io.BytesIO(out.getvalue()))])

    seed(waiting)
    base = live_app.config["BASE_URL"]
    page = open_page(width=1200, height=900)
    log_in(page, base, "chengguan")
    page.goto(f"{base}/review/")
    assert page.locator(".review-card").count() == 3
    thumbs = page.locator(".review-photos img")
    assert thumbs.count() == 3
    assert image_shown(thumbs.first)
    page.screenshot(path=f"{SHOTS}/review-queue-desktop.png", full_page=True)
