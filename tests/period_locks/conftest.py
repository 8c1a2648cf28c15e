"""The sessions stories' world (two towns: 城关镇 with 张家 and 幸福楼, 青山镇 with 李家), a
clock stopped in April 2026, and helpers to lock a period and to see that nothing changed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from tests.quiz.conftest import tiny  # noqa: F401 (a fixture)
from tests.sessions.conftest import as_user, make_session, world  # noqa: F401 (fixtures)

MARCH = date(2026, 3, 15)
APRIL = date(2026, 4, 8)
TODAY = date(2026, 4, 10)
REFUSED_ZH = "2026年3月 已锁定（城关镇），请联系县普法办解锁"
REFUSED_EN = "March 2026 is locked (城关镇): ask the county law-popularisation office to unlock it."
EN = {"Accept-Language": "en"}

# What a refused write must leave exactly as it was.
TABLES = ("study_sessions", "session_topics", "attendance", "attempts", "people",
          "roster_members", "targets", "area_month_stats", "area_topic_month_stats",
          "ledger_masks", "audit_events", "session_photos")


@pytest.fixture
def april(freeze_clock) -> date:
    freeze_clock(datetime.combine(TODAY, time(10), clock.TZ))
    return TODAY


@pytest.fixture
def lock(app):
    """Lock a month ("2026-03") or a quarter ("2026Q1") for an area, as the county office."""
    from lawlearn.models import Area
    from lawlearn.period_locks.operations import lock_period, parse_period

    def make(area, month=None, quarter=None, reason="已上报") -> int:
        with app.test_request_context():
            found = lock_period(db.session.get(Area, area.id), *parse_period(month, quarter),
                                reason)
            db.session.commit()
            return found.id

    return make


@pytest.fixture
def unlock(app):
    from lawlearn.models import PeriodLock
    from lawlearn.period_locks.operations import unlock_period

    def undo(lock_id: int, reason="数据更正") -> None:
        with app.test_request_context():
            unlock_period(db.session.get(PeriodLock, lock_id), reason)
            db.session.commit()

    return undo


def table_contents(app) -> dict[str, list]:
    """Every row of the tables a write could change, in a stable order."""
    with app.app_context():
        meta = sa.MetaData()
        meta.reflect(db.engine, only=TABLES)
        return {name: sorted((tuple(map(repr, row)) for row in db.session.execute(
            sa.select(meta.tables[name]))), key=repr) for name in TABLES}


@pytest.fixture
def unchanged(app):
    """`with unchanged(): ...` fails when the block changed any row of TABLES."""
    from contextlib import contextmanager

    @contextmanager
    def block():
        before = table_contents(app)
        yield
        after = table_contents(app)
        for name in TABLES:
            assert after[name] == before[name], f"{name} changed"

    return block


def text(response) -> str:
    return response.get_data(as_text=True)
