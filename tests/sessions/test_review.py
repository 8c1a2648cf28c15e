"""Review of study sessions: a leader's session waits, its town's coordinator approves it or
returns it with a reason, the leader fixes it and it waits again; every refusal; the queue
on a phone; the approved-only report counting what was approved."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, StudySession, StudyUnit
from lawlearn.reports.coverage import coverage, recount
from lawlearn.reports.periods import Period
from tests.sessions.conftest import assert_ledger_exact, days_ago, queries_for, session_row, text

EN = {"Accept-Language": "en"}


def form(**overrides) -> dict:
    data = {"held_on": days_ago(1).isoformat(), "format": "lecture", "topics": ["civil-code"],
            "lecturer": "司法所刘所长", "duration_minutes": "60", "notes": ""}
    return {**data, **overrides}


def log_as(client, unit, **overrides) -> int:
    response = client.post(f"/units/{unit.id}/sessions/new", data=form(**overrides))
    assert response.status_code == 302, text(response)[:400]
    return int(response.headers["Location"].split("/sessions/")[1].split("/")[0])


def actions(app, session_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "study_sessions", AuditEvent.object_id == session_id)
            .order_by(AuditEvent.id)))


def approved_report(app, area_code: str) -> dict:
    with app.test_request_context():
        area = db.session.scalar(sa.select(Area).where(Area.code == area_code))
        period = Period(days_ago(40), days_ago(0))
        live = coverage(area, period, approved_only=True)
        assert live == recount(area, period, approved_only=True)
        return live


def test_a_leaders_session_waits_and_the_office_and_coordinators_count_at_once(
        app, world, as_user):
    leader_id = log_as(as_user(world.leader), world.mine)
    coordinator_id = log_as(as_user(world.coordinator), world.mine, format="case_based")
    office_id = log_as(as_user(world.admin), world.theirs)
    assert session_row(app, leader_id).review_state == "submitted"
    assert session_row(app, coordinator_id).review_state == "approved"
    assert session_row(app, office_id).review_state == "approved"
    # 城关镇: the coordinator's session counts, the leader's waits.
    assert approved_report(app, world.county["城关镇"]["town"].code)["total"]["sessions"] == 1
    assert_ledger_exact(app)


def test_return_resubmit_approve_with_audit_and_the_leaders_dashboard(app, world, as_user):
    session_id = log_as(as_user(world.leader), world.mine)
    coordinator = as_user(world.coordinator)
    queue = coordinator.get("/review/", headers=EN)
    assert queue.status_code == 200 and "城关镇张家中心户" in text(queue)
    assert "1 session waits for your review" in text(coordinator.get("/home", headers=EN))
    # A return needs a reason; the error is next to the field, nothing changes.
    refused = coordinator.post(f"/sessions/{session_id}/return", data={"reason": "  "},
                               headers=EN)
    assert refused.status_code == 400 and "the leader needs to know" in text(refused)
    assert session_row(app, session_id).review_state == "submitted"
    assert coordinator.post(f"/sessions/{session_id}/return",
                            data={"reason": "签到表照片缺失"}).status_code == 302
    returned = session_row(app, session_id)
    assert (returned.review_state, returned.return_reason) == ("returned", "签到表照片缺失")
    assert returned.reviewed_at is not None and returned.reviewed_by_id is not None
    # A second return of what is already returned is refused with a message.
    again = coordinator.post(f"/sessions/{session_id}/return", data={"reason": "再退一次"},
                             headers=EN, follow_redirects=True)
    assert "not waiting for review" in text(again)
    assert session_row(app, session_id).return_reason == "签到表照片缺失"
    leader = as_user(world.leader)
    home = text(leader.get("/home", headers=EN))
    assert "Returned for fixing" in home and "签到表照片缺失" in home
    assert leader.post(f"/sessions/{session_id}/edit", data=form(lecturer="王律师")
                       ).status_code == 302
    assert session_row(app, session_id).review_state == "submitted"
    assert "签到表照片缺失" not in text(leader.get("/home", headers=EN))
    coordinator = as_user(world.coordinator)
    assert coordinator.post(f"/sessions/{session_id}/approve").status_code == 302
    assert session_row(app, session_id).review_state == "approved"
    assert actions(app, session_id) == ["create", "return_session", "update",
                                    "resubmit_session", "approve_session"]
    # Approving again changes nothing and says so.
    again = coordinator.post(f"/sessions/{session_id}/approve", headers=EN,
                             follow_redirects=True)
    assert "already approved" in text(again)
    assert actions(app, session_id)[-1] == "approve_session" and len(actions(app, session_id)) == 5
    town = approved_report(app, world.county["城关镇"]["town"].code)
    assert town["basis"] == "approved" and town["total"]["sessions"] == 1
    assert_ledger_exact(app)


def test_a_leaders_change_to_an_approved_session_goes_back_for_review(app, world, as_user):
    """Otherwise the approved-only figures would move without anyone checking: an edit, or
    attendance marked afterwards, sends the session back to the queue; staff edits do not."""
    session_id = log_as(as_user(world.leader), world.mine)
    assert as_user(world.coordinator).post(f"/sessions/{session_id}/approve").status_code == 302
    town = world.county["城关镇"]["town"].code
    assert approved_report(app, town)["total"]["sessions"] == 1
    leader = as_user(world.leader)
    assert leader.post(f"/sessions/{session_id}/edit", data=form(lecturer="王律师")
                       ).status_code == 302
    assert session_row(app, session_id).review_state == "submitted"
    assert approved_report(app, town)["total"]["sessions"] == 0
    assert actions(app, session_id)[-2:] == ["update", "resubmit_session"]
    assert as_user(world.coordinator).post(f"/sessions/{session_id}/edit",
                                           data=form(lecturer="李律师")).status_code == 302
    assert session_row(app, session_id).review_state == "submitted"  # staff: no change
    assert as_user(world.coordinator).post(f"/sessions/{session_id}/approve").status_code == 302
    with app.app_context():
        from lawlearn.models import User
        from lawlearn.sessions.operations import mark_roster

        session = db.session.get(StudySession, session_id)
        leader_user = db.session.scalar(sa.select(User).where(User.username == world.leader))
        mark_roster(session, [], [("路人甲", "13900000077")], actor=leader_user)
        db.session.commit()
    assert session_row(app, session_id).review_state == "submitted"
    assert_ledger_exact(app)


def test_who_may_review(app, world, as_user):
    session_id = log_as(as_user(world.leader), world.mine)
    leader = as_user(world.leader)
    assert leader.get("/review/").status_code == 403
    assert leader.post(f"/sessions/{session_id}/approve").status_code == 403
    assert leader.post(f"/sessions/{session_id}/return", data={"reason": "x"}).status_code == 403
    neighbour = as_user(world.neighbour_leader)
    assert neighbour.post(f"/sessions/{session_id}/approve").status_code == 404
    other_town = as_user(world.their_coordinator)
    assert other_town.post(f"/sessions/{session_id}/approve").status_code == 404
    assert other_town.get(f"/sessions/{session_id}/return").status_code == 404
    assert "城关镇张家中心户" not in text(other_town.get("/review/"))
    # Approving all shown with a forged id of another town changes nothing there.
    assert other_town.post("/review/approve", data={"sessions": [session_id]}
                           ).status_code == 302
    assert session_row(app, session_id).review_state == "submitted"
    office = as_user(world.admin)
    assert office.post(f"/sessions/{session_id}/approve").status_code == 302
    assert session_row(app, session_id).review_state == "approved"


def test_approve_a_weeks_sessions_in_one_post(app, world, as_user):
    leader = as_user(world.leader)
    ids = [log_as(leader, world.mine, held_on=days_ago(n).isoformat()) for n in (0, 1, 2)]
    old = log_as(leader, world.mine, held_on=days_ago(20).isoformat())
    coordinator = as_user(world.coordinator)
    week = days_ago(1).isoformat()
    page = text(coordinator.get(f"/review/?week={week}", headers=EN))
    in_week = [i for i in ids if f'name="sessions" value="{i}"' in page]
    assert in_week and f'value="{old}"' not in page
    response = coordinator.post("/review/approve", data={"sessions": in_week, "week": week},
                                headers=EN, follow_redirects=True)
    assert f"{len(in_week)} sessions approved" in text(response)
    assert all(session_row(app, i).review_state == "approved" for i in in_week)
    assert session_row(app, old).review_state == "submitted"
    assert_ledger_exact(app)


def test_the_queue_costs_the_same_queries_for_many_sessions(app, world, as_user, make_session):
    leader = as_user(world.leader)
    log_as(leader, world.mine)
    coordinator = as_user(world.coordinator)
    few = queries_for(app, coordinator, "/review/")
    leader = as_user(world.leader)
    for n in range(8):
        log_as(leader, world.mine, held_on=days_ago(n % 5).isoformat(),
               topics=["civil-code", "anti-fraud"])
    coordinator = as_user(world.coordinator)
    assert queries_for(app, coordinator, "/review/") == few


def test_a_state_change_moves_the_approved_figures_and_nothing_else(app, world, as_user):
    session_id = log_as(as_user(world.leader), world.mine)
    town_code = world.county["城关镇"]["town"].code
    assert approved_report(app, town_code)["total"]["sessions"] == 0
    with app.test_request_context():
        area = db.session.scalar(sa.select(Area).where(Area.code == town_code))
        everything = coverage(area, Period(days_ago(40), days_ago(0)))
    assert everything["total"]["sessions"] == 1 and "basis" not in everything
    as_user(world.coordinator).post(f"/sessions/{session_id}/approve")
    assert approved_report(app, town_code)["total"]["sessions"] == 1
    assert_ledger_exact(app)


def test_the_cli_adds_the_basis_only_when_asked(app, world, as_user, runner):
    log_as(as_user(world.leader), world.mine)
    code = world.county["county"].code
    plain = runner.invoke(args=["report", "coverage", "--area", code])
    approved = runner.invoke(args=["report", "coverage", "--area", code, "--approved-only"])
    assert plain.exit_code == 0 and approved.exit_code == 0, approved.output
    plain, approved = json.loads(plain.output), json.loads(approved.output)
    assert "basis" not in plain and approved["basis"] == "approved"
    assert plain["total"]["sessions"] == approved["total"]["sessions"] + 1
    assert approved["total"]["quiz_attempts"] == plain["total"]["quiz_attempts"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_web_report_keeps_the_basis_in_links_and_files(app, world, as_user, fmt):
    coordinator = as_user(world.admin)
    code = world.county["county"].code
    page = text(coordinator.get(f"/reports/coverage?area={code}&preset=this_year"
                                "&basis=approved", headers=EN))
    assert "Approved sessions only" in page
    assert f"format={fmt}" in page and "basis=approved" in page
    response = coordinator.get(f"/reports/coverage?area={code}&preset=this_year"
                               f"&basis=approved&format={fmt}", headers=EN)
    assert response.status_code == 200
    assert "-approved." in response.headers["Content-Disposition"]
    if fmt == "csv":
        assert text(response).splitlines()[0].endswith(",basis")
    else:
        import io

        from openpyxl import load_workbook
        book = load_workbook(io.BytesIO(response.data))
        assert book.sheetnames[0] == "coverage-approved"
        assert ["basis", "approved"] in [[c.value for c in r] for r in book["parameters"].rows]
    bad = coordinator.get(f"/reports/coverage?area={code}&basis=whatever", headers=EN)
    assert bad.status_code == 400


def test_existing_rows_and_bulk_paths_are_approved(app, world, make_session):
    session_id = make_session(world.mine, held_on=days_ago(3))
    assert session_row(app, session_id).review_state == "approved"
    with app.app_context():
        unit = db.session.get(StudyUnit, world.mine.id)
        assert db.session.scalar(sa.select(sa.func.count(StudySession.id)).where(
            StudySession.unit_id == unit.id, StudySession.review_state != "approved")) == 0


def test_reviewed_time_is_shown_in_beijing_time(app, world, as_user, freeze_clock):
    from datetime import UTC, datetime

    freeze_clock(datetime(2026, 6, 30, 17, 30, tzinfo=UTC))  # 01:30 on 1 July in Beijing
    unit_day = (datetime(2026, 6, 30).date() - timedelta(days=1)).isoformat()
    session_id = log_as(as_user(world.leader), world.mine, held_on=unit_day)
    coordinator = as_user(world.coordinator)
    coordinator.post(f"/sessions/{session_id}/approve")
    page = text(coordinator.get(f"/sessions/{session_id}", headers=EN))
    assert "2026-07-01 01:30" in page


def test_a_forged_or_huge_id_in_approve_all_changes_nothing(app, world, as_user):
    session_id = log_as(as_user(world.leader), world.mine)
    coordinator = as_user(world.coordinator)
    for forged in (["99999999999999999999"], ["-1"], ["abc"], []):
        response = coordinator.post("/review/approve", data={"sessions": forged})
        assert response.status_code in (302, 303), forged
    assert session_row(app, session_id).review_state == "submitted"
