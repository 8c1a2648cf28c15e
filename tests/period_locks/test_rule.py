"""The rule itself: a lock covers its area's subtree and its months; the ledger refuses any
transaction that touches a locked month, whatever wrote it; an unlock lifts it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, PeriodLock, StudySession
from lawlearn.period_locks import PeriodLocked, locked_in_year, locked_period
from lawlearn.period_locks.operations import LockError, lock_period, parse_period
from tests.period_locks.conftest import APRIL, MARCH, REFUSED_ZH


def area(code: str) -> Area:
    return db.session.scalar(sa.select(Area).where(Area.code == code))


def test_a_lock_covers_the_subtree_and_its_months_only(app, world, lock):
    cg, qs = world.county["城关镇"], world.county["青山镇"]
    lock(cg["town"], month="2026-03")
    with app.app_context():
        village = area(cg["village"].code)
        found = locked_period(db.session, village, MARCH)
        assert found is not None and found.area.code == cg["town"].code
        assert locked_period(db.session, area(cg["town"].code), date(2026, 3, 31))
        assert locked_period(db.session, village, APRIL) is None
        assert locked_period(db.session, village, date(2026, 2, 28)) is None
        assert locked_period(db.session, area(qs["village"].code), MARCH) is None
        assert locked_period(db.session, area(world.county["county"].code), MARCH) is None


def test_a_quarter_covers_three_months_and_a_county_lock_every_town(app, world, lock):
    lock(world.county["county"], quarter="2026Q1")
    with app.app_context():
        village = area(world.county["青山镇"]["village"].code)
        for day in (date(2026, 1, 1), MARCH, date(2026, 3, 31)):
            assert locked_period(db.session, village, day) is not None
        assert locked_period(db.session, village, APRIL) is None


def test_the_year_of_a_target_is_locked_by_any_lock_of_that_year(app, world, lock):
    cg = world.county["城关镇"]
    lock(cg["town"], month="2026-03")
    with app.app_context():
        assert locked_in_year(db.session, area(cg["town"].code), 2026) is not None
        assert locked_in_year(db.session, area(cg["village"].code), 2026) is not None
        assert locked_in_year(db.session, area(cg["town"].code), 2027) is None
        assert locked_in_year(db.session, area(world.county["county"].code), 2026) is None


@pytest.mark.parametrize("month, quarter", [(None, None), ("2026-13", None), (None, "2026Q5"),
                                            ("2026-03", "2026Q1"), ("march", None)])
def test_a_period_is_a_month_or_a_quarter(app, month, quarter):
    with app.test_request_context(), pytest.raises(LockError):
        parse_period(month, quarter)


def test_locks_need_a_town_or_the_county_a_reason_and_no_overlap(app, world, lock):
    cg = world.county["城关镇"]
    lock(cg["town"], quarter="2026Q1")
    with app.test_request_context():
        with pytest.raises(LockError, match="请填写原因"):
            lock_period(area(world.county["青山镇"]["town"].code), *parse_period("2026-03"), " ")
        with pytest.raises(LockError):
            lock_period(area(cg["village"].code), *parse_period("2026-03"), "x")
        with pytest.raises(LockError, match="已经锁定"):
            lock_period(area(cg["town"].code), *parse_period("2026-02"), "x")


def test_the_ledger_refuses_any_write_into_a_locked_month(app, world, lock, make_session,
                                                          april, unchanged):
    """The backstop: an operation called with no friendly check at all still cannot commit."""
    from lawlearn.sessions.operations import log_session, update_session

    sid = make_session(world.mine, held_on=MARCH)
    moved = make_session(world.mine, held_on=APRIL)
    lock(world.county["城关镇"]["town"], month="2026-03")
    with unchanged(), app.test_request_context():
        with pytest.raises(PeriodLocked) as refused:
            log_session(db.session.get(type(world.mine), world.mine.id), held_on=MARCH,
                        topics=["civil-code"], format="lecture")
            db.session.commit()
        assert str(refused.value.description) == REFUSED_ZH
        db.session.rollback()
        session = db.session.get(StudySession, moved)
        with pytest.raises(PeriodLocked):  # into the locked month
            update_session(session, topics=session.topics, held_on=MARCH)
            db.session.commit()
        db.session.rollback()
        session = db.session.get(StudySession, sid)
        with pytest.raises(PeriodLocked):  # out of it
            update_session(session, topics=session.topics, held_on=APRIL)
            db.session.commit()
        db.session.rollback()
    with app.test_request_context():  # a write elsewhere still goes through
        session = db.session.get(StudySession, moved)
        update_session(session, topics=session.topics, lecturer="新主讲人")
        db.session.commit()


def test_an_unlock_lifts_the_lock_keeps_the_history_and_both_are_audited(
        app, world, lock, unlock, make_session, april):
    lock_id = lock(world.county["城关镇"]["town"], month="2026-03")
    unlock(lock_id, reason="补录漏报活动")
    make_session(world.mine, held_on=MARCH)  # goes through again
    with app.app_context():
        found = db.session.get(PeriodLock, lock_id)
        assert found.unlocked_at is not None and found.unlock_reason == "补录漏报活动"
        events = db.session.execute(sa.select(AuditEvent.action, AuditEvent.object_code,
                                              AuditEvent.changes)
                                    .where(AuditEvent.object_type == "period_locks")
                                    .order_by(AuditEvent.id)).all()
    code = f"{world.county['城关镇']['town'].code}-2026-03"
    assert [(a, c) for a, c, _ in events] == [("lock_period", code), ("unlock_period", code)]
    assert events[0][2]["reason"] == "已上报" and events[1][2]["reason"] == "补录漏报活动"
