"""Locks that keep the summaries exact when transactions commit at the same time.

PostgreSQL runs at READ COMMITTED: each statement sees what was committed before it began. So
a transaction that first locks what it is about to recount, and only then counts, sees every
write committed by the transactions it waited for — and no two transactions recount the same
summary row at once. The locks are taken in one fixed order, so no two transactions wait for
each other:

1. the rows of the study sessions whose attended counts it refreshes (by id);
2. the tree lock: shared by ordinary writes; exclusive for moves, a bank's new law topic,
   rebuilds and large imports, which then need no finer lock (a transaction-level advisory
   lock, key `TREE`);
3. one advisory lock per (leaf area, month) and per (scope, entity) it recounts or adds to, in
   key order.

Roll-up rows (towns, counties) are never recounted: writers add their differences to them with
`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`, which PostgreSQL applies atomically.
SQLite lets one writer at a time, so every function here is a no-op there.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lawlearn.models import StudySession
from lawlearn.models.reports import ATTENDANCE, QUIZ, UNIT

TREE = 0x4C4C  # "LL": the ledger's tree lock
# Above this many fine locks a transaction takes the tree lock exclusively instead: PostgreSQL's
# lock table is small (max_locks_per_transaction × max_connections entries in all).
MAX_FINE_LOCKS = 200
_NAMESPACE = {"month": 1, ATTENDANCE: 2, QUIZ: 3, UNIT: 4}


def on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_study_sessions(session: Session, ids: Iterable[int], for_delete: bool = False) -> None:
    ids = sorted(ids)
    if ids and on_postgresql(session):
        # FOR NO KEY UPDATE: attendance inserts (which take KEY SHARE for their foreign key)
        # still go ahead meanwhile. A study session about to be deleted is locked FOR UPDATE.
        session.connection().execute(_study_sessions_statement(for_delete), {"ids": ids})


@functools.cache
def _study_sessions_statement(for_delete: bool):
    """Built once per process, as the ledger's other statements (see figures.py)."""
    return (sa.select(StudySession.id)
            .where(StudySession.id.in_(sa.bindparam("ids", expanding=True)))
            .order_by(StudySession.id).with_for_update(key_share=not for_delete))


_LOCK_TREE = {True: sa.text("SELECT pg_advisory_xact_lock(:key)"),
              False: sa.text("SELECT pg_advisory_xact_lock_shared(:key)")}
_LOCK_KEYS = sa.text("SELECT count(pg_advisory_xact_lock(k)) "
                     "FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY AS t(k, n)")


def lock_tree(session: Session, exclusive: bool) -> None:
    if on_postgresql(session):
        session.connection().execute(_LOCK_TREE[exclusive], {"key": TREE})


def month_key(area_id: int, month: date) -> int:
    return (_NAMESPACE["month"] << 60) | (area_id << 24) | (month.year * 12 + month.month - 1)


def entity_key(scope: str, entity_id: int) -> int:
    return (_NAMESPACE[scope] << 60) | entity_id


def lock_keys(session: Session, keys: Iterable[int]) -> None:
    """Advisory locks in ascending key order (the array is unnested in its order)."""
    keys = sorted(set(keys))
    if keys and on_postgresql(session):
        session.connection().execute(_LOCK_KEYS, {"keys": keys})
