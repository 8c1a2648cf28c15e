"""Is the live report exact? Compare the summary rows the writes kept with a rebuild from the
raw tables, in one transaction that is rolled back, so the live rows stay as they were.

Used by the concurrency test and `bench/concurrency.py` after many writers ran at once. A row
whose figures are all zero says the same as no row (a summary kept by adding deltas may keep
such rows where a rebuild writes none), so those are left out on both sides.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lawlearn.ledger.refresh import rebuild
from lawlearn.models import (
    AreaMonthStats,
    AreaTopicMonthStats,
    LedgerMask,
    LedgerRange,
    StudySession,
)
from lawlearn.transactions import writing

SUMMARIES = (AreaMonthStats, AreaTopicMonthStats, LedgerMask, LedgerRange)


def _figure(value):
    # Score sums are floats added up in different orders: equal to a millionth is equal.
    return round(value, 6) if isinstance(value, float) else value


def snapshot(session: Session) -> dict[str, set[tuple]]:
    """Every summary row with a non-zero figure, and every session's attended count."""
    rows: dict[str, set[tuple]] = {}
    for model in SUMMARIES:
        table = model.__table__
        figures = [c for c in table.columns if not c.primary_key
                   and isinstance(c.type, (sa.Integer, sa.Float, sa.Numeric))]
        rows[table.name] = {
            tuple(_figure(v) for v in row) for row in session.execute(sa.select(table)).all()
            if any(row._mapping[c.name] for c in figures)}
    rows["study_sessions.attended_count"] = {tuple(row) for row in session.execute(
        sa.select(StudySession.id, StudySession.attended_count))}
    return rows


def differences(session: Session) -> dict[str, dict[str, list[tuple]]]:
    """{table: {"live_only": [...], "rebuilt_only": [...]}} for each table that differs; empty
    when the live rows are exact. Rolls back the session's transaction afterwards."""
    session.rollback()
    # Both snapshots from one view of the raw tables, whoever writes meanwhile.
    with writing():  # SQLite: one BEGIN IMMEDIATE from the first read
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        live = snapshot(session)
        rebuild(session)
        session.flush()
        rebuilt = snapshot(session)
        session.rollback()
    return {name: {"live_only": sorted(live[name] - rebuilt[name], key=repr),
                   "rebuilt_only": sorted(rebuilt[name] - live[name], key=repr)}
            for name in live if live[name] != rebuilt[name]}
