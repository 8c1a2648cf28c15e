"""The report's summary rows follow every kind of write exactly: after each commit they equal
a rebuild from the raw tables."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn import ledger
from lawlearn.extensions import db
from lawlearn.models import (
    AreaMonthStats,
    AreaTopicMonthStats,
    Attempt,
    Attendance,
    LedgerMask,
    LedgerRange,
    Person,
    Quiz,
    StudySession,
    StudyUnit,
)


def snapshot() -> dict:
    """The summary rows, without rows whose figures are all zero: the incremental path keeps
    a row it brought down to zero (deleting it could race another writer), a rebuild never
    writes one."""
    def rows(model, *figures):
        return sorted(tuple(getattr(r, c.name) for c in model.__table__.columns)
                      for r in db.session.scalars(sa.select(model))
                      if any(getattr(r, f) for f in figures))
    return {
        "months": rows(AreaMonthStats, "sessions", "attendances", "quiz_attempts",
                       "quiz_score_sum", "quiz_passes"),
        "topics": rows(AreaTopicMonthStats, "quiz_attempts", "quiz_score_sum", "quiz_passes"),
        "masks": rows(LedgerMask, "months"),
        "histogram": rows(LedgerRange, "entities", "weight"),
        "attended": sorted(db.session.execute(
            sa.select(StudySession.id, StudySession.attended_count)).all()),
    }


def assert_ledger_exact():
    db.session.expire_all()
    live = snapshot()
    ledger.rebuild(db.session)
    db.session.flush()
    rebuilt = snapshot()
    db.session.rollback()  # keep the incrementally maintained rows for the next step
    assert live == rebuilt


@pytest.fixture
def world(ctx, county, make_unit):
    units = {
        "cg_house": db.session.get(StudyUnit, make_unit(county["城关镇"]["village"]).id),
        "cg_building": db.session.get(StudyUnit, make_unit(county["城关镇"]["community"]).id),
        "qs_house": db.session.get(StudyUnit, make_unit(county["青山镇"]["village"]).id),
    }
    people = [Person(name=f"p{i}") for i in range(4)]
    quiz = Quiz(slug="civil-code", title="民法典", topic="civil-code")
    db.session.add_all(people + [quiz])
    db.session.commit()
    return {"units": units, "people": people, "quiz": quiz}


def session_at(unit, day, code):
    return StudySession(code=code, unit=unit, held_on=day, format="lecture", duration_minutes=60)


def test_summaries_follow_every_kind_of_write(world):
    u, p, quiz = world["units"], world["people"], world["quiz"]
    s1 = session_at(u["cg_house"], date(2026, 3, 10), "S1")
    s2 = session_at(u["qs_house"], date(2026, 3, 12), "S2")
    db.session.add_all([s1, s2])
    db.session.add_all([Attendance(session=s1, person=p[0], status="present", method="roster"),
                        Attendance(session=s1, person=p[1], status="late", method="roster"),
                        Attendance(session=s1, person=p[2], status="absent", method="roster"),
                        Attendance(session=s2, person=p[0], status="present", method="qr")])
    db.session.commit()
    assert db.session.get(StudySession, s1.id).attended_count == 2
    assert_ledger_exact()

    # A corrected status, a moved session, a person attending in another month.
    att = db.session.scalar(sa.select(Attendance).where(Attendance.person_id == p[2].id))
    att.status = "present"
    db.session.get(StudySession, s2.id).held_on = date(2026, 5, 2)
    db.session.commit()
    assert_ledger_exact()

    # Quiz attempts: one linked to a session, one counting for a home unit, then deleted.
    a1 = Attempt(quiz=quiz, person=p[0], session_id=s1.id, unit_id=u["cg_house"].id,
                 taken_on=date(2026, 3, 10), score=80, passed=True, method="paper")
    a2 = Attempt(quiz=quiz, person=p[3], unit_id=u["cg_building"].id,
                 taken_on=date(2026, 4, 1), score=40, passed=False, method="paper")
    db.session.add_all([a1, a2])
    db.session.commit()
    assert_ledger_exact()
    db.session.delete(db.session.get(Attempt, a2.id))
    db.session.commit()
    assert_ledger_exact()

    # A unit's reach changes; a unit moves to another village; a session is deleted.
    db.session.get(StudyUnit, u["cg_house"].id).reach = 33
    db.session.commit()
    assert_ledger_exact()
    from lawlearn.models import Area

    other_village = db.session.scalar(sa.select(Area).where(Area.code == "330102001"))
    db.session.get(StudyUnit, u["cg_house"].id).area = other_village
    db.session.commit()
    assert_ledger_exact()
    db.session.delete(db.session.get(StudySession, s1.id))
    db.session.commit()
    assert_ledger_exact()


def test_check_ins_and_submissions_add_exactly_alone_and_beside_a_recount(world):
    """A check-in and a submission add known amounts to their month (lawlearn.ledger.additions)
    instead of recounting it. Alone, and in one transaction with a write that recounts the
    same month (a review, a bank's new topic, a corrected paper score), the summaries equal a
    rebuild: nothing is counted twice or left out."""
    from lawlearn.models.sessions import APPROVED
    from lawlearn.sessions.operations import check_in

    u, p, quiz = world["units"], world["people"], world["quiz"]
    meeting = session_at(u["cg_house"], date(2026, 3, 10), "S5")
    meeting.review_state = APPROVED
    db.session.add(meeting)
    db.session.commit()
    check_in(meeting, name="甲", mobile="13700000001")
    db.session.commit()
    assert db.session.get(StudySession, meeting.id).attended_count == 1
    assert_ledger_exact()

    check_in(meeting, name="乙", mobile="13700000002")
    db.session.get(StudySession, meeting.id).review_state = "returned"
    db.session.commit()
    assert_ledger_exact()

    def open_attempt(person, day):
        attempt = Attempt(quiz=quiz, person=person, unit_id=u["cg_house"].id, taken_on=day,
                          method="online")
        db.session.add(attempt)
        db.session.commit()
        return attempt

    def score(attempt, value):
        db.session.execute(sa.update(Attempt).where(Attempt.id == attempt.id)
                           .values(score=value, passed=value >= 60))
        ledger.add_scored(attempt.id, attempt.person_id, value, value >= 60)

    score(open_attempt(p[0], date(2026, 3, 11)), 80)
    db.session.commit()
    assert_ledger_exact()

    score(open_attempt(p[1], date(2026, 3, 12)), 50)
    db.session.get(Quiz, quiz.id).topic = "anti-fraud"
    db.session.commit()
    assert_ledger_exact()

    paper = Attempt(quiz=quiz, person=p[2], unit_id=u["cg_house"].id,
                    taken_on=date(2026, 3, 2), score=70, passed=True, method="paper")
    db.session.add(paper)
    db.session.commit()
    score(open_attempt(p[3], date(2026, 3, 20)), 90)
    db.session.get(Attempt, paper.id).score = 30
    db.session.commit()
    assert_ledger_exact()


def test_bulk_writes_are_followed_once_touched(world):
    u, p = world["units"], world["people"]
    s = session_at(u["cg_building"], date(2026, 6, 1), "S9")
    db.session.add(s)
    db.session.commit()
    db.session.execute(Attendance.__table__.insert(), [
        {"session_id": s.id, "person_id": person.id, "status": "present", "method": "import",
        } for person in p])
    ledger.touch_sessions([s.id])
    db.session.commit()
    assert db.session.get(StudySession, s.id).attended_count == 4
    assert_ledger_exact()


def test_moving_an_area_recounts_everything_above_it(world, county):
    from lawlearn.areas.operations import move_area
    from lawlearn.models import Area

    u, p = world["units"], world["people"]
    s = session_at(u["cg_house"], date(2026, 7, 1), "S7")
    db.session.add_all([s, Attendance(session=s, person=p[0], status="present", method="qr")])
    db.session.commit()
    village = db.session.get(Area, county["城关镇"]["village"].id)
    move_area(village, db.session.get(Area, county["青山镇"]["town"].id))
    db.session.commit()
    assert_ledger_exact()
    qingshan = county["青山镇"]["town"].id
    assert db.session.scalar(sa.select(sa.func.sum(LedgerRange.entities)).where(
        LedgerRange.scope == "attend", LedgerRange.area_id == qingshan,
        LedgerRange.first_month == 1, LedgerRange.last_month == 12)) == 1


def test_a_rolled_back_write_leaves_nothing_pending(world):
    s = session_at(world["units"]["cg_house"], date(2026, 2, 1), "S5")
    db.session.add(s)
    db.session.flush()
    db.session.rollback()
    assert not db.session.info.get(ledger.PENDING)


def test_imports_across_villages_and_months_keep_the_live_report(app, county, make_area,
                                                                  make_unit, runner, tmp_path):
    """The review's case: study sessions in four villages of two towns in four months, then
    attendance across them, imported from files; the county's half-year report must not move
    when the summaries are rebuilt."""
    import json

    villages = [county["城关镇"]["village"], county["青山镇"]["village"],
                make_area("village", parent=county["城关镇"]["town"], code="330101002"),
                make_area("village", parent=county["青山镇"]["town"], code="330102002")]
    units = [make_unit(v, code=f"H{i}") for i, v in enumerate(villages)]
    sessions = tmp_path / "sessions.csv"
    sessions.write_text("code,unit_code,held_on,format,topics,lecturer,duration_minutes\n" + "".join(
        f"S{i},{u.code},2026-0{i + 1}-1{i},lecture,civil-code,张律师,60\n" for i, u in enumerate(units)),
        encoding="utf-8")
    # A second file puts each village into the next village's month: every village now holds
    # a month the file touches elsewhere, and one it does not touch there.
    rotated = tmp_path / "rotated.csv"
    rotated.write_text("code,unit_code,held_on,format,topics,lecturer,duration_minutes\n" + "".join(
        f"R{i},{u.code},2026-0{(i + 1) % 4 + 1}-2{i},case_based,anti-fraud,李法官,90\n" for i, u in enumerate(units)),
        encoding="utf-8")
    attendance = tmp_path / "attendance.csv"
    attendance.write_text("session_code,name,phone,status\n" + "".join(
        f"S{i},村民{j},1380000{j:04d},present\n" for i in range(4) for j in range(i + 1)),
        encoding="utf-8")

    def report() -> dict:
        result = runner.invoke(args=["report", "coverage", "--area", "330100",
                                     "--from", "2026-01-01", "--to", "2026-06-30"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    for kind, path in (("sessions", sessions), ("sessions", rotated), ("attendance", attendance)):
        result = runner.invoke(args=["import", kind, str(path)])
        assert result.exit_code == 0, result.output
        live = report()
        assert runner.invoke(args=["report", "rebuild"]).exit_code == 0
        assert report() == live
    assert live["total"]["sessions"] == 8
    assert live["total"]["attendances"] == 1 + 2 + 3 + 4
    assert live["total"]["participants"] == 4
    with app.app_context():
        assert_ledger_exact()
