"""Plans on the web: the board (colour, symbol and word), drilling down to the sessions that
count, check-offs (销号) by the county and a town's coordinator, scoping, upload, download,
exports, and the cost of the board."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
import yaml
from openpyxl import load_workbook

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, Checkoff, Plan, StudySession, StudyUnit
from tests.conftest import login, recorded_queries
from tests.plans.conftest import PLAN_FILE
from tests.plans.test_contract import invoke, ok


@pytest.fixture
def june(freeze_clock):
    return freeze_clock(datetime.combine(date(2026, 6, 20), time(10), clock.TZ))


@pytest.fixture
def world(plan_county, runner, make_user, app, june):
    ok(invoke(runner, "plan", "load", PLAN_FILE))
    cg, qs = plan_county["城关镇"], plan_county["青山镇"]
    with app.app_context():
        plan_id = db.session.scalar(sa.select(Plan.id))
        h1 = db.session.scalar(sa.select(StudyUnit).join(StudyUnit.area).where(
            Area.code == "330101001").order_by(StudyUnit.id))
    return {
        "plan": plan_id, "cg": cg["town"], "qs": qs["town"],
        "admin": make_user("admin", area=plan_county["county"]),
        "cg_coord": make_user("coordinator", area=cg["town"]),
        "qs_coord": make_user("coordinator", area=qs["town"]),
        "leader": make_user("leader", units=[h1]),
    }


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response.get_data(as_text=True)


def test_the_county_sees_every_town_on_the_board_with_symbols_and_words(client, world):
    login(client, world["admin"])
    html = page(client, f"/plans/{world['plan']}")
    assert "城关镇" in html and "青山镇" in html
    assert "✓" in html and "2026-03-20" in html          # M1 城关镇 done on 20 March
    assert "Not applicable" in html or "不适用" in html    # M3 青山镇
    listing = page(client, "/plans/")
    assert "cc2026" in listing


def test_a_cell_lists_the_sessions_that_count(client, world, app):
    login(client, world["admin"])
    html = page(client, f"/plans/{world['plan']}/cell?area={world['cg'].id}&milestone=M1")
    # S02 (10 Mar) and S03 (20 Mar) count; S01 (before the stage), S05 and S14 (late) do not.
    assert "2026-03-10" in html and "2026-03-20" in html
    for day in ("2026-02-20", "2026-05-01", "2026-05-20"):
        assert day not in html


def test_the_county_checks_off_a_manual_milestone_and_it_is_audited(client, world, app):
    login(client, world["admin"])
    response = client.post(f"/plans/{world['plan']}/checkoffs", data={
        "area_id": world["qs"].id, "milestone": "M4", "done_on": "2026-06-19",
        "note": "总结报告已收"})
    assert response.status_code == 302
    html = page(client, f"/plans/{world['plan']}/cell?area={world['qs'].id}&milestone=M4")
    assert "2026-06-19" in html and "总结报告已收" in html
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "check_off"))
        assert event.changes["milestone"] == "M4" and event.user_id is not None
        checkoff = db.session.scalar(sa.select(Checkoff))
    response = client.post(f"/plans/{world['plan']}/checkoffs/{checkoff.id}/undo")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkoff)) == 0


def test_a_check_off_in_the_future_is_refused(client, world, app):
    login(client, world["admin"])
    response = client.post(f"/plans/{world['plan']}/checkoffs", data={
        "area_id": world["qs"].id, "milestone": "M4", "done_on": "2026-06-21"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkoff)) == 0


def test_a_coordinator_sees_and_checks_off_only_their_own_town(client, world, app):
    login(client, world["cg_coord"])
    html = page(client, f"/plans/{world['plan']}")
    assert "城关镇" in html and "青山镇" not in html
    page(client, f"/plans/{world['plan']}/cell?area={world['qs'].id}&milestone=M1", 404)
    refused = client.post(f"/plans/{world['plan']}/checkoffs", data={
        "area_id": world["qs"].id, "milestone": "M4", "done_on": "2026-06-19"})
    assert refused.status_code == 400
    done = client.post(f"/plans/{world['plan']}/checkoffs", data={
        "area_id": world["cg"].id, "milestone": "M4", "done_on": "2026-06-19"})
    assert done.status_code == 302
    # Not the county's plan to edit.
    assert client.get(f"/plans/{world['plan']}/edit").status_code == 403


def test_a_leader_reads_the_board_of_their_town_and_cannot_check_off(client, world):
    login(client, world["leader"])
    html = page(client, f"/plans/{world['plan']}")
    assert "城关镇" in html and "青山镇" not in html
    assert client.post(f"/plans/{world['plan']}/checkoffs", data={
        "area_id": world["cg"].id, "milestone": "M4",
        "done_on": "2026-06-19"}).status_code == 403


def test_upload_download_and_a_bad_file(client, world, app):
    login(client, world["admin"])
    plan_yaml = client.get(f"/plans/{world['plan']}/plan.yaml").get_data(as_text=True)
    data = yaml.safe_load(plan_yaml)
    assert data["code"] == "cc2026" and len(data["stages"]) == 2
    assert data["stages"][0]["milestones"][2]["rule"] == {
        "kind": "unit_share", "unit_kind": "household", "formats": ["group_study"],
        "min_share": 0.6}
    # The downloaded file loads back as the same plan.
    again = client.post("/plans/upload", content_type="multipart/form-data", data={
        "file": (io.BytesIO(plan_yaml.encode()), "cc2026.yaml")})
    assert again.status_code == 302
    bad = client.post("/plans/upload", content_type="multipart/form-data", data={
        "file": (io.BytesIO(plan_yaml.replace("min: 2", "min: 0").encode()), "bad.yaml")})
    assert bad.status_code == 400
    assert "M1" in bad.get_data(as_text=True)


def test_a_coordinator_cannot_upload_the_county_plan(client, world, app):
    login(client, world["cg_coord"])
    response = client.post("/plans/upload", content_type="multipart/form-data", data={
        "file": (io.BytesIO(PLAN_FILE.read_bytes()), "cc2026.yaml")})
    assert response.status_code == 400
    assert "330100" in response.get_data(as_text=True)


def test_the_county_builds_a_plan_in_the_form(client, world, app):
    login(client, world["admin"])
    assert "Build a plan" in page(client, "/plans/new") or "制定计划" in page(client, "/plans/new")
    form = {
        "code": "web2026", "title": "网上制定的计划", "area_id": str(world["cg"].id),
        "rows-0-stage": "第一阶段", "rows-0-stage_from": "2026-03-01", "rows-0-code": "W1",
        "rows-0-name": "集中学习两场", "rows-0-due": "2026-06-30", "rows-0-kind": "sessions",
        "rows-0-formats": "group_study", "rows-0-min_count": "2",
        "rows-1-code": "W2", "rows-1-name": "半数中心户", "rows-1-due": "2026-06-30",
        "rows-1-kind": "unit_share", "rows-1-unit_kind": "household", "rows-1-min_share": "50%",
        "rows-2-code": "", "rows-2-name": "",
    }
    response = client.post("/plans/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        plan = db.session.scalar(sa.select(Plan).where(Plan.code == "web2026"))
        assert [(m.code, m.kind, m.min_count, m.min_share, m.formats) for m in plan.milestones] == [
            ("W1", "sessions", 2, None, ["group_study"]), ("W2", "unit_share", None, 0.5, [])]
        assert plan.area.code == "330101"
    # A bad row: the whole plan is refused, every problem named, the input kept.
    bad = client.post("/plans/new", data={**form, "code": "web2027", "rows-1-min_share": "",
                                          "rows-0-due": "2026-02-01"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "W1" in text and "W2" in text and "网上制定的计划" in text


def test_exports_carry_the_board(client, world):
    login(client, world["admin"])
    csv_text = client.get(f"/plans/{world['plan']}/progress.csv").get_data(as_text=True)
    assert "330101,城关镇,M1," in csv_text
    book = load_workbook(io.BytesIO(client.get(
        f"/plans/{world['plan']}/progress.xlsx").get_data()))
    assert book.sheetnames == ["progress", "board", "parameters"]


@pytest.mark.parametrize("url", ["/plans/999999", "/plans/999999/cell?area=1&milestone=M1",
                                 "/plans/999999/plan.yaml"])
def test_unknown_plans_are_404(client, world, url):
    login(client, world["admin"])
    assert client.get(url).status_code == 404


def test_the_board_costs_the_same_queries_for_more_towns_and_sessions(client, world, app,
                                                                      make_area, make_unit):
    login(client, world["admin"])
    url = f"/plans/{world['plan']}"
    client.get(url)
    with recorded_queries(app) as small:
        client.get(url)
    with app.app_context():
        county = db.session.scalar(sa.select(Area).where(Area.code == "330100"))
        db.session.expunge(county)
    for i in range(3):
        town = make_area("town", parent=county, code=f"33019{i}")
        village = make_area("village", parent=town, code=f"33019{i}001")
        unit = make_unit(village)
        with app.app_context():
            for day in (5, 6, 7):
                db.session.add(StudySession(code=f"X{i}{day}", unit_id=unit.id,
                                            held_on=date(2026, 3, day), format="group_study"))
            db.session.commit()
    with recorded_queries(app) as large:
        html = client.get(url).get_data(as_text=True)
    assert "330192" in html
    assert len(large) == len(small)


def test_dashboards_show_what_is_still_owed_and_escalate(client, world, freeze_clock, app):
    # 20 July: M2 (touring talk) is 20 days overdue in 城关镇, M4 (the report) in both towns;
    # past the 14 days of PLAN_ESCALATION_DAYS, so escalated. M5 is due only on 30 September.
    freeze_clock(datetime.combine(date(2026, 7, 20), time(10), clock.TZ))
    login(client, world["admin"])
    html = page(client, "/home")
    owed = html[html.index("owed"):]
    owed = owed[:owed.index("</section>")]
    assert "M2 典型巡讲" in owed and "M4 总结报告" in owed and "M5" not in owed, owed
    assert html.count("‼") == 3
    client.post("/logout")
    login(client, world["qs_coord"])
    html = page(client, "/home")
    assert "M4 总结报告" in html and "M2 典型巡讲" not in html     # 青山镇 held its talk
    client.post("/logout")
    login(client, world["leader"])
    html = page(client, "/home")
    assert "M2 典型巡讲" in html and "青山镇" not in html


def test_no_escalation_before_the_configured_days(client, world, freeze_clock, app):
    freeze_clock(datetime.combine(date(2026, 7, 10), time(10), clock.TZ))
    login(client, world["admin"])
    html = page(client, "/home")
    assert "M2 典型巡讲" in html and "‼" not in html and "✗" in html


def test_the_plans_list_costs_the_same_queries_for_more_plans(client, world, app, runner,
                                                             tmp_path):
    login(client, world["admin"])
    client.get("/plans/")
    with recorded_queries(app) as one:
        client.get("/plans/")
    text = PLAN_FILE.read_text(encoding="utf-8")
    for code in ("cc2027", "cc2028"):
        path = tmp_path / f"{code}.yaml"
        path.write_text(text.replace("code: cc2026", f"code: {code}"), encoding="utf-8")
        ok(invoke(runner, "plan", "load", path))
    with recorded_queries(app) as three:
        html = client.get("/plans/").get_data(as_text=True)
    assert "cc2028" in html
    assert len(three) == len(one)


def test_a_coordinator_plans_for_their_own_villages(client, world, app, plan_county):
    """A town's own plan: its rows are the town's village, community and enterprise."""
    login(client, world["cg_coord"])
    town_plan = PLAN_FILE.read_text(encoding="utf-8").replace(
        "code: cc2026", "code: cg2026").replace('area: "330100"', 'area: "330101"')
    response = client.post("/plans/upload", content_type="multipart/form-data", data={
        "file": (io.BytesIO(town_plan.encode()), "cg2026.yaml")})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    with app.app_context():
        plan = db.session.scalar(sa.select(Plan).where(Plan.code == "cg2026"))
        plan_id, village = plan.id, plan_county["城关镇"]["village"]
    html = page(client, f"/plans/{plan_id}")
    assert "330101001" in html and "330101101" in html and "330101E01" in html
    assert client.get(f"/plans/{plan_id}/edit").status_code == 200
    done = client.post(f"/plans/{plan_id}/checkoffs", data={
        "area_id": village.id, "milestone": "M4", "done_on": "2026-06-19"})
    assert done.status_code == 302
    client.post("/logout")
    login(client, world["qs_coord"])
    assert client.get(f"/plans/{plan_id}").status_code == 404
