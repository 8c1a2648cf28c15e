"""Recognised units: every step of the journey and every refusal.

Story: 张家中心户's leader nominates it; 城关镇's coordinator forwards it; the county office
approves it for 2026; the yearly review renews it for 2027, or revokes it with a reason. Each
step keeps who, when and why, and writes an audit event."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, Recognition
from tests.recognition.conftest import approved, as_user, get, newest, nominate


def events(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action))


def recognition_events(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.object_type == "recognitions"))


def test_leader_nominates_town_forwards_county_approves(app, rw):
    leader = as_user(app, rw.leader)
    assert nominate(leader, rw.household).status_code == 302
    r = newest(app)
    assert (r.status, r.year, r.nominated_by_id is not None) == ("nominated", 2026, True)
    assert events(app, "nominate_recognition") == 1

    coord = as_user(app, rw.coord)
    assert coord.post(f"/recognitions/{r.id}/forward", data={"note": "情况属实"}).status_code == 302
    r = get(app, r.id)
    assert (r.status, r.town_note) == ("town_reviewed", "情况属实")
    assert r.town_reviewed_at is not None and events(app, "forward_recognition") == 1

    office = as_user(app, rw.admin)
    assert office.post(f"/recognitions/{r.id}/approve").status_code == 302
    r = get(app, r.id)
    assert (r.status, r.approved_on) == ("approved", date(2026, 11, 27))
    assert events(app, "approve_recognition") == 1
    page = office.get(f"/recognitions/{r.id}").get_data(as_text=True)
    assert "/verify/recognition/" in page and f"/recognitions/{r.id}/plaque" in page


def test_a_coordinators_nomination_goes_straight_to_the_county(app, rw):
    assert nominate(as_user(app, rw.coord), rw.building).status_code == 302
    r = newest(app)
    assert r.status == "town_reviewed" and r.town_reviewed_by_id == r.nominated_by_id


def test_the_unit_page_shows_its_recognitions(app, rw):
    rid = approved(app, rw)
    page = as_user(app, rw.leader).get(f"/units/{rw.household.id}").get_data(as_text=True)
    assert f"/recognitions/{rid}" in page
    assert f"/recognitions/units/{rw.household.id}/nominate" in page


def test_town_rejects_with_a_reason_and_not_without(app, rw):
    nominate(as_user(app, rw.leader), rw.household)
    rid = newest(app).id
    coord = as_user(app, rw.coord)
    refused = coord.post(f"/recognitions/{rid}/reject", data={"reason": "  "})
    assert refused.status_code == 400
    assert get(app, rid).status == "nominated" and events(app, "reject_recognition") == 0
    assert coord.post(f"/recognitions/{rid}/reject",
                      data={"reason": "全年仅开展一次学习"}).status_code == 302
    r = get(app, rid)
    assert (r.status, r.reject_stage, r.reject_reason) == ("rejected", "town", "全年仅开展一次学习")
    # The leader sees the reason on the recognition's page.
    page = as_user(app, rw.leader).get(f"/recognitions/{rid}").get_data(as_text=True)
    assert "全年仅开展一次学习" in page
    # Rejected: the year is free for a new nomination.
    assert nominate(as_user(app, rw.leader), rw.household).status_code == 302


def test_county_rejects_what_the_town_forwarded_and_the_town_may_not(app, rw):
    nominate(as_user(app, rw.coord), rw.household)
    rid = newest(app).id
    response = as_user(app, rw.coord).post(f"/recognitions/{rid}/reject",
                                           data={"reason": "撤回"})
    assert response.status_code == 409 and get(app, rid).status == "town_reviewed"
    assert as_user(app, rw.admin).post(f"/recognitions/{rid}/reject",
                                       data={"reason": "材料不全"}).status_code == 302
    assert get(app, rid).reject_stage == "county"


def test_roles_that_may_not_take_a_step_get_403_and_nothing_changes(app, rw):
    nominate(as_user(app, rw.leader), rw.household)
    rid = newest(app).id
    before = recognition_events(app)
    leader = as_user(app, rw.leader)
    assert leader.post(f"/recognitions/{rid}/forward").status_code == 403
    assert leader.post(f"/recognitions/{rid}/reject", data={"reason": "x"}).status_code == 403
    coord = as_user(app, rw.coord)
    coord.post(f"/recognitions/{rid}/forward")
    for step in ("approve", "revoke", "renew"):
        assert coord.post(f"/recognitions/{rid}/{step}",
                          data={"reason": "x"}).status_code == 403
    assert get(app, rid).status == "town_reviewed"
    assert recognition_events(app) == before + 1  # the forward only


def test_another_town_and_another_unit_read_as_not_found(app, rw):
    nominate(as_user(app, rw.leader), rw.household)
    rid = newest(app).id
    qs = as_user(app, rw.qs_coord)
    assert qs.get(f"/recognitions/{rid}").status_code == 404
    assert qs.post(f"/recognitions/{rid}/forward").status_code == 404
    assert nominate(qs, rw.household).status_code == 404
    other = as_user(app, rw.other_leader)
    assert other.get(f"/recognitions/{rid}").status_code == 404
    assert nominate(other, rw.household).status_code == 404  # leaders: their own unit only
    assert get(app, rid).status == "nominated"
    assert "城关镇张家中心户" not in qs.get("/recognitions/").get_data(as_text=True)


def test_approving_twice_is_refused(app, rw):
    rid = approved(app, rw)
    response = as_user(app, rw.admin).post(f"/recognitions/{rid}/approve")
    assert response.status_code == 409
    assert events(app, "approve_recognition") == 1


def test_a_second_live_nomination_for_the_year_and_a_retired_unit_are_refused(app, rw):
    leader = as_user(app, rw.leader)
    assert nominate(leader, rw.household).status_code == 302
    response = nominate(leader, rw.household)
    assert response.status_code == 400 and "已有 2026 年度的认定" in response.get_data(
        as_text=True)
    assert nominate(leader, rw.household, year=2027).status_code == 302
    assert nominate(leader, rw.household, year=2025).status_code == 400  # not offered
    office = as_user(app, rw.admin)
    assert office.post(f"/units/{rw.building.id}/retire").status_code == 302
    assert nominate(office, rw.building).status_code == 400
    assert nominate(leader, rw.household, statement="").status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Recognition)) == 2


def test_revoke_needs_a_reason_and_keeps_the_day(app, rw):
    rid = approved(app, rw)
    office = as_user(app, rw.admin)
    assert office.post(f"/recognitions/{rid}/revoke", data={"reason": ""}).status_code == 400
    assert get(app, rid).status == "approved"
    assert office.post(f"/recognitions/{rid}/revoke",
                       data={"reason": "连续半年未开展活动"}).status_code == 302
    r = get(app, rid)
    assert (r.status, r.revoked_on, r.revoke_reason) == ("revoked", date(2026, 11, 27),
                                                         "连续半年未开展活动")
    assert events(app, "revoke_recognition") == 1
    assert office.post(f"/recognitions/{rid}/revoke", data={"reason": "再次"}).status_code == 409
    assert office.get(f"/recognitions/{rid}/plaque").status_code == 404


def test_the_yearly_review_renews_for_the_next_year_linked_to_the_last(app, rw):
    rid = approved(app, rw)
    office = as_user(app, rw.admin)
    assert office.post(f"/recognitions/{rid}/renew", data={"note": "年度复核合格"}).status_code == 302
    renewed = newest(app)
    assert (renewed.year, renewed.status, renewed.previous_id) == (2027, "approved", rid)
    assert get(app, rid).status == "approved"  # this year's plaque stays valid
    assert events(app, "renew_recognition") == 1
    assert office.post(f"/recognitions/{rid}/renew").status_code == 409  # 2027 is taken
    page = office.get(f"/recognitions/{renewed.id}").get_data(as_text=True)
    assert f"/recognitions/{rid}" in page


def test_the_plaque_prints_title_unit_area_year_issuer_and_a_qr_code(app, rw):
    rid = approved(app, rw)
    office = as_user(app, rw.admin)
    page = office.get(f"/recognitions/{rid}/plaque").get_data(as_text=True)
    assert "城关镇张家中心户" in page and "城关镇东村" in page and "2026" in page
    assert f"/recognitions/{rid}/qr.svg" in page and "/verify/recognition/" in page
    assert "<script" not in page
    svg = office.get(f"/recognitions/{rid}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    nominate(office, rw.building)
    assert office.get(f"/recognitions/{newest(app).id}/plaque").status_code == 404
    assert office.get(f"/recognitions/{newest(app).id}/qr.svg").status_code == 404
