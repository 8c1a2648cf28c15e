"""County-wide activities through the web: each kind created, stops as study sessions of their
host units (counted by the coverage report for the stop's own area, matched by plan
milestones), the lecturer pool, visiting units, a cohort's completion worked out by hand,
scoping and the cost of the pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import (
    ActivityStop,
    Area,
    Attendance,
    AuditEvent,
    CountyActivity,
    Lecturer,
    StudySession,
)
from lawlearn.reports.coverage import coverage, recount
from lawlearn.reports.periods import Period
from tests.activities.conftest import DAY
from tests.conftest import login, recorded_queries
from tests.integration.helpers import count


def create(client, area, kind="exhibition", title="民法典巡回展览", **extra):
    response = client.post("/activities/new", data={
        "kind": kind, "title": title, "year": "2026", "area_id": area.id, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def add_stop(client, activity_id, unit, place="村文化广场", **extra):
    data = {"unit_id": unit.id, "place": place, "held_on": DAY.isoformat(),
            "topics": "civil-code", "duration_minutes": "60", **extra}
    response = client.post(f"/activities/{activity_id}/stops/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def stop_sessions(app, activity_id) -> list[StudySession]:
    with app.app_context():
        return list(db.session.scalars(
            sa.select(StudySession).join(ActivityStop, ActivityStop.study_session_id
                                         == StudySession.id)
            .where(ActivityStop.activity_id == activity_id).order_by(ActivityStop.id)))


def check_in(client, token, name, mobile):
    response = client.post(f"/s/{token}", data={"name": name, "mobile": mobile})
    assert response.status_code == 302, response.get_data(as_text=True)[:600]


def test_an_exhibition_with_two_stops_counts_each_stop_in_its_own_village(app, client, tour):
    login(client, tour["admin"])
    activity = create(client, tour["county"])
    add_stop(client, activity, tour["east_unit"], place="东村广场", visitors="120")
    add_stop(client, activity, tour["west_unit"], place="西村礼堂", visitors="80")
    east, west = stop_sessions(app, activity)
    assert (east.format, west.format) == ("exhibition", "exhibition")
    assert (east.unit_id, west.unit_id) == (tour["east_unit"].id, tour["west_unit"].id)
    anonymous = app.test_client()
    for name, mobile in (("李秀英", "13900000021"), ("王建国", "13900000022")):
        check_in(anonymous, east.checkin_token, name, mobile)
    check_in(anonymous, west.checkin_token, "赵小红", "13900000023")

    html = client.get(f"/activities/{activity}").get_data(as_text=True)
    rows = re.findall(r"<tr>.*?</tr>", html.split("<tbody>")[1], flags=re.S)
    assert "东村广场" in rows[0] and ">120<" in rows[0] and ">2<" in rows[0]
    assert "西村礼堂" in rows[1] and ">80<" in rows[1] and ">1<" in rows[1]
    assert ">200<" in html.split("<tfoot>")[1]       # visitors in all
    with app.test_request_context():
        town = db.session.get(Area, tour["cg"].id)
        period = Period(DAY.replace(day=1), DAY)
        report = coverage(town, period, today=DAY)
        assert report == recount(town, period)
        by_code = {r["code"]: r for r in report["rows"]}
        assert by_code["330101001"]["attendances"] == 2 and by_code["330101001"]["sessions"] == 1
        assert by_code["330101002"]["attendances"] == 1 and by_code["330101002"]["sessions"] == 1
        county = db.session.get(Area, tour["county"].id)
        assert coverage(county, period, today=DAY)["total"]["attendances"] == 3


def test_a_touring_talk_takes_its_lecturer_from_the_pool(app, client, tour):
    login(client, tour["admin"])
    response = client.post("/activities/lecturers/", data={
        "name": "陈法官", "title": "县人民法院", "topics": "民法典"})
    assert response.status_code == 302
    with app.app_context():
        lecturer = db.session.scalar(sa.select(Lecturer))
        assert lecturer.area_id == tour["county"].id
    activity = create(client, tour["county"], kind="touring_talk", title="典型案例巡讲")
    refused = client.post(f"/activities/{activity}/stops/new", data={
        "unit_id": tour["community_unit"].id, "place": "社区活动室",
        "held_on": DAY.isoformat(), "topics": "civil-code", "duration_minutes": "60"})
    assert refused.status_code == 400
    assert "A touring talk needs a lecturer" in refused.get_data(as_text=True)
    add_stop(client, activity, tour["community_unit"], place="社区活动室",
             lecturer_id=lecturer.id)
    [talk] = stop_sessions(app, activity)
    assert (talk.format, talk.lecturer) == ("touring_talk", "陈法官")
    # The town's coordinator sees the county's pool and may pick from it.
    other = app.test_client()
    login(other, tour["cg_coord"])
    assert "陈法官" in other.get("/activities/lecturers/").get_data(as_text=True)


def test_an_on_site_visit_lists_visiting_units_and_counts_for_the_host(app, client, tour):
    login(client, tour["admin"])
    activity = create(client, tour["county"], kind="site_visit", title="现场观摩会")
    add_stop(client, activity, tour["east_unit"], place="东村中心户家中")
    response = client.post(f"/activities/{activity}/visiting-units",
                           data={"unit_id": tour["qs_unit"].id})
    assert response.status_code == 302
    again = client.post(f"/activities/{activity}/visiting-units",
                        data={"unit_id": tour["qs_unit"].id})
    assert again.status_code == 400 and "already listed" in again.get_data(as_text=True)
    html = client.get(f"/activities/{activity}").get_data(as_text=True)
    assert "青山中心户" in html
    [visit] = stop_sessions(app, activity)
    # A member of the visiting unit (青山镇) checks in at the host's session: the host's area.
    check_in(app.test_client(), visit.checkin_token, "青山来客", "13900000031")
    with app.test_request_context():
        period = Period(DAY, DAY)
        county = db.session.get(Area, tour["county"].id)
        rows = {r["name"]: r for r in coverage(county, period, today=DAY)["rows"]}
        assert rows["城关镇"]["attendances"] == 1 and rows["青山镇"]["attendances"] == 0


def test_cohort_completion_is_computed_by_hand(app, client, tour):
    """Five classes, 80 %: a member needs 4. 甲 attends 5, 乙 4 (one of them late), 丙 3,
    丁 none, 戊 4 but one marked absent (so 3): complete 甲 and 乙, 2 of 5 = 40 %."""
    login(client, tour["cg_coord"])
    activity = create(client, tour["cg"], kind="rotational_training", title="村干部集中轮训",
                      completion_percent="80")
    people = {"甲": "13900000041", "乙": "13900000042", "丙": "13900000043",
              "丁": "13900000044", "戊": "13900000045"}
    for name, mobile in people.items():
        response = client.post(f"/activities/{activity}/cohort",
                               data={"name": f"学员{name}", "mobile": mobile})
        assert response.status_code == 302
    for _ in range(5):
        add_stop(client, activity, tour["east_unit"], place="镇党校")
    classes = stop_sessions(app, activity)
    anonymous = app.test_client()
    attended = {"甲": 5, "乙": 4, "丙": 3, "戊": 4}
    for name, n in attended.items():
        for session in classes[:n]:
            check_in(anonymous, session.checkin_token, f"学员{name}", people[name])
    with app.app_context():
        late = db.session.scalar(sa.select(Attendance).where(
            Attendance.session_id == classes[0].id).order_by(Attendance.id).offset(1))
        late.status = "late"                              # 乙 late: still attended
        absent = db.session.scalar(sa.select(Attendance).where(
            Attendance.session_id == classes[3].id).order_by(Attendance.id.desc()))
        absent.status = "absent"                          # 戊's fourth: not attended
        db.session.commit()
    html = client.get(f"/activities/{activity}").get_data(as_text=True)
    assert "40%" in html
    assert "学员甲" not in html and "学*甲" in html       # masked names only
    assert "13900000041" not in html and "139****0041" in html
    with app.test_request_context():
        from lawlearn.activities.queries import completion

        found = completion(db.session.get(CountyActivity, activity), 5)
        assert (found.classes, found.members, found.complete) == (5, 5, 2)


def test_plan_milestones_match_a_stops_format(app, client, tour):
    from lawlearn.plans.operations import load_plan
    from lawlearn.plans.progress import progress
    from lawlearn.plans.spec import read_spec

    login(client, tour["admin"])
    activity = create(client, tour["county"])
    add_stop(client, activity, tour["east_unit"], place="东村广场")
    with app.test_request_context():
        plan, _new = load_plan(read_spec({
            "code": "tour26", "title": "巡回展览计划", "area": "330100", "stages": [{
                "name": "宣传", "from": "2026-05-01", "milestones": [
                    {"code": "X1", "name": "巡回展览", "due": "2026-06-30",
                     "rule": {"kind": "sessions", "formats": ["exhibition"], "min": 1}},
                    {"code": "X2", "name": "半数中心户参展", "due": "2026-06-30",
                     "rule": {"kind": "unit_share", "unit_kind": "household",
                              "formats": ["exhibition"], "min_share": 0.5}}]}]}))
        db.session.commit()
        result = progress(plan, DAY).as_json()
        rows = {r["code"]: r["milestones"] for r in result["rows"]}
        # 城关镇: one of its two households held the exhibition: 50 %.
        assert rows["330101"]["X1"] == {"status": "done", "done_on": DAY.isoformat()}
        assert rows["330101"]["X2"] == {"status": "done", "done_on": DAY.isoformat()}
        assert rows["330102"]["X1"]["status"] == "pending"


def test_a_coordinator_works_in_their_own_town_only(app, client, tour):
    login(client, tour["admin"])
    county_activity = create(client, tour["county"])
    qs_activity = create(client, tour["qs"], title="青山镇展览")
    add_stop(client, qs_activity, tour["qs_unit"])
    [qs_stop] = stop_sessions(app, qs_activity)
    with app.app_context():
        stop_id = db.session.scalar(sa.select(ActivityStop.id).where(
            ActivityStop.activity_id == qs_activity))
    coord = app.test_client()
    login(coord, tour["cg_coord"])
    events = count(app, AuditEvent)
    for url in (f"/activities/{qs_activity}", f"/activities/{county_activity}",
                f"/activities/{qs_activity}/stops/new",
                f"/activities/{qs_activity}/stops/{stop_id}/edit"):
        assert coord.get(url).status_code == 404, url
    assert coord.post(f"/activities/{qs_activity}/stops/new", data={
        "unit_id": tour["qs_unit"].id, "place": "x", "held_on": DAY.isoformat(),
        "topics": "civil-code", "duration_minutes": "60"}).status_code == 404
    assert count(app, AuditEvent) == events
    # Their own town's activity: only their town is offered as organiser, and only their
    # town's units as hosts.
    own = create(coord, tour["cg"])
    form = coord.get(f"/activities/{own}/stops/new").get_data(as_text=True)
    assert "东村中心户" in form and "青山中心户" not in form
    refused = coord.post(f"/activities/{own}/stops/new", data={
        "unit_id": tour["qs_unit"].id, "place": "x", "held_on": DAY.isoformat(),
        "topics": "civil-code", "duration_minutes": "60"})
    assert refused.status_code == 400
    assert coord.post("/activities/new", data={
        "kind": "exhibition", "title": "x", "year": "2026",
        "area_id": tour["qs"].id}).status_code == 400
    listing = coord.get("/activities/").get_data(as_text=True)
    assert "青山镇展览" not in listing and qs_stop.code not in listing


def test_leaders_are_refused(app, client, tour, make_user):
    login(client, make_user("leader", units=[tour["east_unit"]]))
    assert client.get("/activities/").status_code == 403
    assert client.post("/activities/new", data={}).status_code == 403


def test_bad_input_is_a_clear_400_and_nothing_is_written(app, client, tour):
    login(client, tour["admin"])
    activity = create(client, tour["county"])
    before = count(app, StudySession)
    for data, message in (
            ({"unit_id": "abc", "place": "x"}, "Invalid Choice"),
            ({"unit_id": tour["east_unit"].id, "place": "", "visitors": "-3"},
             "This field is required"),
            ({"unit_id": tour["east_unit"].id, "place": "广场", "visitors": "x"},
             "Not a valid integer")):
        response = client.post(f"/activities/{activity}/stops/new", data={
            "held_on": DAY.isoformat(), "topics": "civil-code", "duration_minutes": "60",
            **data})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert count(app, StudySession) == before
    bad = client.post(f"/activities/{activity}/cohort", data={"name": "x", "mobile": "123"})
    assert bad.status_code == 400
    assert client.get("/activities/?kind=nope&year=x&area=abc").status_code == 200


def test_an_empty_list_says_what_to_do_next(client, tour):
    login(client, tour["admin"])
    html = client.get("/activities/").get_data(as_text=True)
    assert "No county-wide activity yet" in html and "/activities/new" in html


def test_deleting_a_stops_study_session_removes_the_stop(app, client, tour):
    login(client, tour["admin"])
    activity = create(client, tour["county"])
    add_stop(client, activity, tour["east_unit"])
    [session] = stop_sessions(app, activity)
    assert client.post(f"/sessions/{session.id}/delete").status_code == 302
    assert count(app, ActivityStop) == 0
    assert client.get(f"/activities/{activity}").status_code == 200


def test_the_pages_cost_the_same_for_few_stops_as_for_many(app, client, tour):
    login(client, tour["admin"])
    activity = create(client, tour["county"])
    training = create(client, tour["county"], kind="rotational_training", title="轮训")
    urls = ("/activities/", f"/activities/{activity}", f"/activities/{training}")

    def grow(first, last):
        for i in range(first, last):
            add_stop(client, activity, tour["east_unit"], visitors=str(i))
            add_stop(client, training, tour["west_unit"])
            client.post(f"/activities/{training}/cohort",
                        data={"name": f"学员{i}", "mobile": f"139000001{i:02d}"})

    def cost() -> dict:
        found = {}
        for url in urls:
            with recorded_queries(app) as statements:
                assert client.get(url).status_code == 200
            found[url] = len(statements)
        return found

    grow(0, 1)
    few = cost()
    grow(1, 7)
    assert cost() == few


def test_a_stop_in_a_locked_month_is_refused_at_the_host_units_date(app, client, tour):
    """The host unit is chosen in the same form, so the lock of its area is checked once the
    form knows it; the message sits by the date and nothing is written."""
    from lawlearn.period_locks.operations import lock_period, parse_period

    with app.app_context():
        lock_period(db.session.merge(tour["cg"]), *parse_period("2026-05"), "已上报",
                    actor=None)
        db.session.commit()
    login(client, tour["admin"])
    activity = create(client, tour["county"])
    before = count(app, StudySession)
    refused = client.post(f"/activities/{activity}/stops/new", data={
        "unit_id": tour["east_unit"].id, "place": "村文化广场", "held_on": DAY.isoformat(),
        "topics": "civil-code", "duration_minutes": "60"})
    assert refused.status_code == 400
    assert "May 2026 is locked (城关镇)" in refused.get_data(as_text=True)
    assert count(app, StudySession) == before
    add_stop(client, activity, tour["qs_unit"])  # another town's village is not locked
    assert count(app, StudySession) == before + 1
