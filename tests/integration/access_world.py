"""The world the access matrix (docs/access.md) is checked against, built once per module and
database: a county with two towns, and in town A the objects every state-changing route acts
on. Town A is "the object's town"; the unit 城关镇张家中心户 is "the unit".

Also the database snapshot: `dump` reads every table (so a refusal can be shown to have
changed nothing), `restore` puts the baseline back after a request that changed something,
so each cell starts from the same world.
"""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import sqlalchemy as sa

from lawlearn.extensions import db

PASSWORD = "Matrix-river-lantern-47"
NEW_MOBILE = "13900000099"
KNOWN = ("李秀英", "13900000021")   # on the unit's roster


def assessment_scheme(year: int) -> dict:
    """The smallest scheme with an item of every kind that takes entries."""
    return {"year": year, "title": f"{year}年度考核细则", "grades": [{"name": "合格", "min": 60},
                                                             {"name": "不合格", "min": 0}],
            "items": [{"code": "A1", "name": "中心户建设", "points": 80,
                       "rule": {"kind": "target", "unit_kind": "household"}},
                      {"code": "D1", "name": "月报", "points": 10,
                       "rule": {"kind": "deduction", "per": 2}},
                      {"code": "M1", "name": "工作总结", "points": 10, "rule": {"kind": "manual"}},
                      {"code": "E1", "name": "表彰", "points": 5, "rule": {"kind": "bonus"}},
                      {"code": "V1", "name": "一票否决", "rule": {"kind": "veto"}}]}


def build_world(app) -> SimpleNamespace:
    """Everything the recipes act on, by id, code or token."""
    from lawlearn.areas.operations import create_area, retire_area
    from lawlearn.assessment.operations import add_evidence, load_scheme, self_assess
    from lawlearn.assessment.scheme import check
    from lawlearn.audit import record
    from lawlearn.auth.operations import create_user
    from lawlearn.clock import today as local_today
    from lawlearn.models import RosterMember
    from lawlearn.quiz.operations import start_attempt
    from lawlearn.quiz.sync import sync_bank
    from lawlearn.reports.targets import set_target
    from lawlearn.sessions import photos
    from lawlearn.sessions.operations import add_photos, log_session
    from lawlearn.units.operations import add_member, register_unit, retire_unit
    from tests.quiz.conftest import TINY
    from tests.sessions.conftest import image_bytes

    w = SimpleNamespace()
    with app.test_request_context():
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        town_a = create_area(code="330101", name="城关镇", level="town", parent=county)
        town_b = create_area(code="330102", name="青山镇", level="town", parent=county)
        village = create_area(code="330101001", name="城关镇东村", level="village",
                              parent=town_a)
        village2 = create_area(code="330101002", name="城关镇西村", level="village",
                               parent=town_a)
        empty = create_area(code="330101003", name="城关镇空村", level="village",
                            parent=town_a)
        retired = create_area(code="330101004", name="城关镇旧村", level="village",
                              parent=town_a)
        retire_area(retired)
        village_b = create_area(code="330102001", name="青山镇李村", level="village",
                                parent=town_b)
        fields = {"leader_name": "王老师", "leader_phone": "13900000001", "reach": 10,
                  "registered_on": local_today().replace(month=1, day=5)}
        unit = register_unit(kind="household", area=village, code="330101001-H001",
                             name="城关镇张家中心户", **fields)
        old_unit = register_unit(kind="household", area=village, code="330101001-H002",
                                 name="城关镇老中心户", **fields)
        retire_unit(old_unit)
        unit2 = register_unit(kind="household", area=village2, code="330101002-H001",
                              name="城关镇西村中心户", **fields)
        register_unit(kind="household", area=village_b, code="330102001-H001",
                      name="青山镇李家中心户", **fields)
        person = add_member(unit, name=KNOWN[0], mobile=KNOWN[1])
        sync_bank(TINY, source_hash=None)
        db.session.flush()
        from lawlearn.models import Quiz

        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == TINY.slug))
        session = log_session(unit, held_on=local_today(), topics=["civil-code"],
                              code="330101001-H001-S1", format="lecture", lecturer="张老师",
                              duration_minutes=60)
        add_photos(session, [photos.prepare(io.BytesIO(image_bytes()))])
        # The unit's leader's session waiting for the town's review (submitted).
        waiting = log_session(unit, held_on=local_today(), topics=["civil-code"],
                              code="330101001-H001-R1", format="case_based",
                              lecturer="张老师", duration_minutes=60)
        waiting.review_state = "submitted"
        attempt = start_attempt(quiz, person, session=session)
        target = set_target(area=town_a, year=local_today().year, kind="household", target=3)
        load_scheme(check(assessment_scheme(local_today().year)))

        def user(name, role, area=None, units=()):
            return create_user(username=name, password=PASSWORD, role=role, area=area,
                               units=list(units))

        admin = user("office", "admin", county)
        coord = user("cg-coord", "coordinator", town_a)
        user("qs-coord", "coordinator", town_b)
        user("cg-leader", "leader", units=[unit, old_unit])
        user("cg-leader2", "leader", units=[unit2])
        user("logs-in", "leader", units=[unit])
        active_leader = user("cg-helper", "leader", units=[unit])
        other_coord = user("cg-deputy", "coordinator", town_a)
        off_by_coord = user("cg-off", "leader", units=[unit])
        off_by_office = user("cg-off2", "leader", units=[unit])
        for account, by in ((off_by_coord, coord), (off_by_office, admin)):
            account.active = False
            record(by, "disable", account)
        # Town A's self-assessment (自评) of its manual item, waiting for the county's review.
        summary = self_assess(area=town_a, year=local_today().year, item="M1",
                              claimed=Decimal(8), note="工作总结已报送", actor=coord)
        evidence = add_evidence(summary, filename="evidence-world.pdf", original_name="总结.pdf",
                                content_type="application/pdf", size=10, actor=coord)
        # Town A's bonus (E1) whose evidence is a link to the unit's study session.
        from lawlearn.assessment.operations import link_session

        bonus = self_assess(area=town_a, year=local_today().year, item="E1",
                            claimed=Decimal(2), note="表彰", actor=coord)
        session_link = link_session(bonus, session, actor=coord)
        # Town A's rectification (整改) of last year's grade, its report waiting for the county.
        from lawlearn.models import AssessmentRectification

        db.session.add(AssessmentRectification(
            area=town_a, year=local_today().year, grade="不合格", due=local_today(),
            status="submitted", filename="evidence-world-report.pdf",
            original_name="整改报告.pdf", content_type="application/pdf", note="已整改"))
        # Plans: the county's, with a manual milestone for town A's row; town A's own plan,
        # whose first village has a check-off.
        from lawlearn.plans.operations import check_off, load_plan
        from lawlearn.plans.spec import read_spec

        year = local_today().year

        def plan_data(code, area_code):
            return {"code": code, "title": f"计划{code}", "area": area_code, "stages": [{
                "name": "全年", "from": f"{year}-01-01", "milestones": [
                    {"code": "MM", "name": "总结", "due": f"{year}-12-31",
                     "rule": {"kind": "manual"}}]}]}

        county_plan, _created = load_plan(read_spec(plan_data("matrix-county", "330100")))
        town_plan, _created = load_plan(read_spec(plan_data("matrix-town", "330101")))
        checkoff, _new = check_off(town_plan, milestone_code="MM", area_code="330101001",
                                   done_on=local_today())
        # Budgets: the county's standard, an allocation to town A and a payment of town A.
        from lawlearn.budgets.operations import allocate, disburse, set_standard

        set_standard(county, year, {"household_fen": 50000, "enterprise_group_fen": 80000,
                                    "building_fen": 30000, "village_floor_fen": 100000,
                                    "town_floor_fen": 300000})
        allocation = allocate(town_a, year, amount_fen=1000000, allocated_on=local_today())
        payment = disburse(town_a, year, paid_on=local_today(), amount_fen=50000, payee="印刷厂",
                           purpose="宣传册", activity=None, study_session=None,
                           voucher=("voucher-world.pdf", "发票.pdf", "application/pdf"))
        # Town A's county-wide activities: an on-site visit at the unit (its stop is a study
        # session of the unit) and a rotational training; a lecturer in the county's pool.
        from lawlearn.activities.operations import add_lecturer, add_stop, create_activity

        visit = create_activity(kind="site_visit", title="现场观摩", year=year, area=town_a)
        stop = add_stop(visit, unit, place="张家院子", topics=["civil-code"],
                        held_on=local_today(), duration_minutes=60)
        training = create_activity(kind="rotational_training", title="集中轮训", year=year,
                                   area=town_a)
        add_lecturer(county, name="陈法官", title="县人民法院", topics=None)
        # Recognitions of the unit: its leader's nomination for next year, one its town
        # reviewed (two years ago: this year and last are taken by the others' steps), and last
        # year's approved one (renewing it makes this year's).
        from lawlearn.models import Recognition

        now, y = local_today(), local_today().year
        recognitions = {
            "nominated": Recognition(unit=unit, year=y + 1, status="nominated",
                                     statement="坚持集中学法"),
            "town_reviewed": Recognition(unit=unit, year=y - 2, status="town_reviewed",
                                         statement="坚持集中学法"),
            "recognised": Recognition(unit=unit, year=y - 1, status="approved",
                                      statement="坚持集中学法", approved_on=now),
        }
        db.session.add_all(recognitions.values())
        # Town A's annual exam, set by its coordinator, open now, for the unit's roster.
        from datetime import timedelta

        from lawlearn.clock import utcnow
        from lawlearn.exams.operations import ExamValues, save_exam

        exam = save_exam(None, ExamValues(
            name="城关镇年度学法考试", year=year, quiz=quiz, pass_score=60,
            opens_at=utcnow() - timedelta(days=1), closes_at=utcnow() + timedelta(days=30),
            unit_ids=[unit.id], area_ids=[], people=[]), area=town_a, actor=coord)
        # A lock of town A on January of last year: it covers nothing the other recipes write.
        from lawlearn.period_locks.operations import lock_period, parse_period

        period_lock = lock_period(town_a, *parse_period(f"{year - 1}-01"), "已上报", actor=admin)
        db.session.commit()
        member = db.session.scalar(sa.select(RosterMember.id).where(
            RosterMember.unit_id == unit.id, RosterMember.person_id == person.id))
        w.__dict__.update(
            town_a=town_a.id, village=village.id, empty=empty.id, retired=retired.id,
            unit=unit.id, unit_code=unit.code, old_unit=old_unit.id,
            session=session.id, session_code=session.code, token=session.checkin_token,
            waiting=waiting.id,
            photo=session.photos[0].id, person=person.id, member=member,
            quiz=TINY.slug, attempt=attempt.token, target=target.id,
            answers={f"q{i.position}": "T" if i.kind == "true_false" else "A"
                     for i in attempt.items},
            active_leader=active_leader.id, other_coord=other_coord.id,
            off_by_coord=off_by_coord.id, off_by_office=off_by_office.id,
            year=local_today().year, today=local_today().isoformat(),
            month=local_today().month, county_plan=county_plan.id, town_plan=town_plan.id,
            checkoff=checkoff.id, evidence=evidence.id, session_link=session_link.id,
            county=county.id, allocation=allocation.id, payment=payment.id,
            visit=visit.id, stop=stop.id, training=training.id, unit2=unit2.id,
            exam=exam.id, exam_token=exam.token, period_lock=period_lock.id,
            **{name: r.id for name, r in recognitions.items()})
    return w


# Who plays each column of the matrix (docs/access.md), by username; None is nobody.
ROLE_USERS = {
    "admin": "office",
    "coordinator (object's town)": "cg-coord",
    "coordinator (other town)": "qs-coord",
    "leader (the unit)": "cg-leader",
    "leader (another unit)": "cg-leader2",
    "anonymous": None,
}


def log_in(client, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


# --- snapshots -----------------------------------------------------------------------------------

def dump(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        found = {}
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                found[table.name] = [tuple(r) for r in conn.execute(
                    sa.select(table).order_by(*table.primary_key.columns))]
        return found


def restore(app, snapshot: dict[str, list[tuple]]) -> None:
    """Put every table back as it was in `snapshot`, in one transaction."""
    with app.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            for table in reversed(tables):
                conn.execute(table.delete())
            for table in tables:
                rows = snapshot[table.name]
                if rows:
                    names = [c.name for c in table.columns]
                    conn.execute(table.insert(), [dict(zip(names, r, strict=True))
                                                  for r in rows])


def differences(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]
