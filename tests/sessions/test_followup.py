"""Following up: dormant units (no session in N days) per role, and the printable sign-in
sheet with masked mobiles, blank rows and the check-in QR code."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.sessions import queries
from tests.sessions.conftest import days_ago, session_row, text

EN = {"Accept-Language": "en"}


def listed(page: str) -> list[str]:
    table = re.search(r'<table class="stack dormant">(.*?)</table>', page, re.S)
    return re.findall(r'<td data-label="Study unit"><a [^>]*>([^<]+)</a>', table.group(1)) \
        if table else []


def test_dormant_units_per_role(app, client, world, as_user, make_session):
    make_session(world.mine, held_on=days_ago(10))        # active
    make_session(world.neighbour, held_on=days_ago(61))   # quiet for 61 days
    make_session(world.theirs, held_on=days_ago(59))      # active
    as_user(world.coordinator)
    page = text(client.get("/sessions/dormant", headers=EN))
    assert listed(page) == ["城关镇幸福楼"] and days_ago(61).isoformat() in page
    assert listed(text(client.get("/sessions/dormant?days=5", headers=EN))) == [
        "城关镇幸福楼", "城关镇张家中心户"]  # the quietest first
    as_user(world.admin)
    page = text(client.get("/sessions/dormant?days=30", headers=EN))
    assert listed(page) == ["城关镇幸福楼", "青山镇李家中心户"]
    towns = re.findall(r'<td data-label="Town"><a [^>]*>([^<]+)</a></td>\s*'
                       r'<td class="num" data-label="Registered units">(\d+)</td>\s*'
                       r'<td class="num" data-label="Dormant">(\d+)</td>', page)
    assert towns == [("城关镇", "2", "1"), ("青山镇", "1", "1")]
    as_user(world.leader)
    assert listed(text(client.get("/sessions/dormant?days=5", headers=EN))) == ["城关镇张家中心户"]
    assert client.get("/sessions/dormant?days=0").status_code == 400


def test_a_unit_that_never_met_is_dormant_and_retired_units_are_not(app, world):
    from lawlearn.models import StudyUnit

    with app.test_request_context():
        db.session.get(StudyUnit, world.theirs.id).status = "retired"
        db.session.commit()
        rows = db.session.execute(queries.dormant_units(60, actor=_user(world.admin))).all()
        assert [(u.name, last) for u, last in rows] == [  # by code when equally quiet
            ("城关镇张家中心户", None), ("城关镇幸福楼", None)]
        assert queries.dormant_count(60, actor=_user(world.admin)) == 2


def test_a_new_unit_has_as_long_as_the_threshold_before_it_is_listed_dormant(app, world,
                                                                           make_unit, county):
    """Registered today, a unit is not "never met" yet: it gets the same 60 days an old unit
    gets between sessions, and is listed once they have passed without a session."""
    fresh = make_unit(county["城关镇"]["village"], name="新登记中心户", registered_on=days_ago(0))
    edge = make_unit(county["城关镇"]["village"], name="满期中心户", registered_on=days_ago(60))
    overdue = make_unit(county["城关镇"]["village"], name="逾期中心户", registered_on=days_ago(61))
    with app.test_request_context():
        admin = _user(world.admin)
        listed_ = {u.id for u, _last in db.session.execute(
            queries.dormant_units(60, actor=admin)).all()}
        assert fresh.id not in listed_ and edge.id not in listed_ and overdue.id in listed_
        # The town counts agree: 张家 and 幸福楼 (never met, registered in January) and 逾期.
        by_town = {t.name: (units, dormant) for t, units, dormant in
                   queries.dormant_by_town(60, actor=admin)}
        assert by_town["城关镇"] == (5, 3)
        assert queries.dormant_count(60, actor=admin) == len(listed_)


def _user(username):
    from lawlearn.models import User

    return db.session.scalar(sa.select(User).where(User.username == username))


def test_the_sign_in_sheet_lists_the_roster_masked_with_blank_rows_and_the_qr(
        app, client, world, as_user, make_session):
    sid = make_session(world.mine, held_on=days_ago(0), topics=["anti-fraud"], lecturer="刘所长")
    as_user(world.coordinator)
    page = text(client.get(f"/sessions/{sid}/sheet"))
    assert "签到表" in page and "城关镇张家中心户" in page and "反电信网络诈骗法" in page
    assert "139****0021" in page and "13900000021" not in page
    assert "王大伯" in page and "刘所长" in page
    assert f'src="/sessions/{sid}/qr.svg"' in page
    assert page.count('<tr class="blank">') == 20 - 3
    assert 'class="sheet-page"' in page  # the print stylesheet's hook
    svg = client.get(f"/sessions/{sid}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data and b"style=" not in svg.data
    from lawlearn.sessions.checkin import qr_svg

    token = session_row(app, sid).checkin_token
    assert svg.data == qr_svg(f"http://localhost/s/{token}")  # the code holds the link
    assert f"/s/{token}" in text(client.get(f"/sessions/{sid}"))


def test_a_blank_sheet_for_a_meeting_not_logged_yet(client, world, as_user):
    as_user(world.leader)
    page = text(client.get(f"/units/{world.mine.id}/sheet"))
    assert "签到表" in page and "李秀英" in page and "qr.svg" not in page
    assert page.count('class="blank-line"') >= 3  # date, format, topics to write in
