"""Bringing the summary rows up to date at commit, and rebuilding them from scratch.

The incremental path recounts only *leaf* rows (the area a unit lives in, for a month; one
entity's masks) under the locks of locks.py, and adds the difference to the leaf's row and its
ancestors' in one statement of atomic additions; a check-in's or a submission's known amounts
(additions.py) are added the same way without a recount. It never deletes and re-inserts a row
another transaction may also write, and the work per write depends on what the write touched,
not on the size of the county.
"""

from __future__ import annotations

import functools
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from lawlearn.imports.plan import chunks
from lawlearn.ledger import additions, figures, locks
from lawlearn.ledger.changes import Changes
from lawlearn.ledger.figures import (
    SCOPES,
    STAT_FIELDS,
    TOPIC_FIELDS,
    Histogram,
    Lineages,
    MonthKey,
    TopicKey,
    ancestor_ids_of_path,
    month_of,
)
from lawlearn.models import (
    Area,
    AreaMonthStats,
    AreaTopicMonthStats,
    Attempt,
    Attendance,
    LedgerMask,
    LedgerRange,
    StudySession,
    StudyUnit,
)
from lawlearn.models.reports import ATTENDANCE, QUIZ
from lawlearn.period_locks import refuse_locked_months
from lawlearn.transactions import dialect_insert


def apply(session: Session, changes: Changes) -> None:
    if changes.rebuild:
        rebuild(session)
        return
    locks.lock_study_sessions(session, changes.study_sessions | changes.attended.keys())
    exclusive = changes.changes_tree or _lock_estimate(changes) > locks.MAX_FINE_LOCKS
    locks.lock_tree(session, exclusive)
    lineages = Lineages(session)
    leaf_months, session_months, topic_months = _derive(session, changes, lineages)
    added = additions.read(session, changes)
    lineages.note_paths(added.paths)
    leaf_months |= added.months.keys()
    # The period lock's backstop: every month this transaction touches, old and new, read
    # under the locks above, so no write path slips into a locked period (raises PeriodLocked;
    # the caller's transaction is rolled back).
    refuse_locked_months(session, leaf_months - changes.unlocked_months)
    if not exclusive:
        locks.lock_keys(session, [locks.month_key(a, m) for a, m in leaf_months]
                        + [locks.entity_key(scope, e)
                           for scope, ids in changes.entities.items() for e in ids])
    _refresh_attended_counts(session, changes.study_sessions | changes.attended.keys())
    for area_id, old_path in sorted(changes.moved_areas.items()):
        _rehang(session, changes, area_id, old_path)
    _refresh_month_rows(session, lineages, session_months, topic_months, added.months)
    _refresh_topic_rows(session, lineages, topic_months, added.topics)
    for base in figures.GROUPS:
        if changes.entities[base]:
            _refresh_masks(session, lineages, base, changes.entities[base])


def _lock_estimate(changes: Changes) -> int:
    return (len(changes.study_sessions) + len(changes.attempts) + len(changes.unit_days)
            + len(changes.attempt_days) + len(changes.leaf_months) + len(changes.attended)
            + len(changes.scored)
            + sum(len(ids) for ids in changes.entities.values()))


def _derive(session: Session, changes: Changes, lineages: Lineages
            ) -> tuple[set[MonthKey], set[MonthKey], set[MonthKey]]:
    """The leaf months this transaction touched, read now that the locks are held: all of
    them; those whose study session figures may have changed; and those where quiz attempts
    changed (their figures, and the rows by law topic). The areas' paths are read with them,
    for `lineages`."""
    unit_days, attempt_days = set(changes.unit_days), set(changes.attempt_days)
    area_of: dict[int, int] = {}  # unit → its area now, read with the rows that name it
    paths: dict[int, str] = {}
    for name, ids, days in (("session_days", changes.study_sessions, unit_days),
                            ("attempt_days", changes.attempts, attempt_days)):
        for batch in chunks(sorted(ids)):
            for unit_id, day, area_id, path in session.connection().execute(_statement(name),
                                                                {"ids": batch}):
                days.add((unit_id, day))
                area_of[unit_id] = area_id
                paths[area_id] = path
    for batch in chunks(sorted(changes.retopiced_quizzes)):
        attempt_days.update(session.connection().execute(_statement("retopiced_days"),
                                                         {"ids": batch}).all())
    for batch in chunks(sorted(changes.moved_units)):
        moved = session.execute(
            sa.select(StudySession.unit_id, StudySession.held_on)
            .where(StudySession.unit_id.in_(batch))
            .union(sa.select(Attempt.unit_id, Attempt.taken_on)
                   .where(Attempt.unit_id.in_(batch)))).all()
        unit_days.update(moved)
        attempt_days.update(moved)
        changes.entities[ATTENDANCE].update(session.scalars(
            sa.select(Attendance.person_id).join(Attendance.session)
            .where(StudySession.unit_id.in_(batch))))
        changes.entities[QUIZ].update(session.scalars(
            sa.select(Attempt.person_id).where(Attempt.unit_id.in_(batch))))
    for batch in chunks(sorted({u for u, _d in unit_days | attempt_days} - area_of.keys())):
        for unit_id, area_id, path in session.connection().execute(_statement("unit_areas"),
                                                      {"ids": batch}):
            area_of[unit_id] = area_id
            paths[area_id] = path
    lineages.note_paths(paths)
    topic_months = set(changes.leaf_months)
    topic_months.update((area_of[u], month_of(d)) for u, d in attempt_days if u in area_of)
    session_months = set(changes.leaf_months)
    session_months.update((area_of[u], month_of(d)) for u, d in unit_days if u in area_of)
    return topic_months | session_months, session_months, topic_months


def _refresh_attended_counts(session: Session, session_ids: set[int]) -> None:
    for batch in chunks(sorted(session_ids)):
        session.connection().execute(_statement("attended_counts"), {"ids": batch})


# --- month rows -------------------------------------------------------------------------------

def _stored_months(session: Session, keys: set[MonthKey]) -> dict[MonthKey, dict]:
    stored: dict[MonthKey, dict] = {}
    areas, months = sorted({a for a, _m in keys}), sorted({m for _a, m in keys})
    for batch in chunks(areas, 500):
        for row in session.connection().execute(_statement("stored_months"),
                                   {"areas": batch, "months": months}):
            if (row.area_id, row.month) in keys:
                stored[(row.area_id, row.month)] = {f: row._mapping[f] for f in STAT_FIELDS}
    return stored


def _refresh_month_rows(session: Session, lineages: Lineages, session_keys: set[MonthKey],
                        attempt_keys: set[MonthKey], added: dict[MonthKey, dict]) -> None:
    """Recount the touched leaf rows — their study session figures, their quiz figures, or
    both, as the transaction touched them; the rest is kept as stored — add the additions
    (additions.py) of the parts not recounted, and add what changed to every ancestor's row."""
    keys = session_keys | attempt_keys
    changed: dict[MonthKey, dict] = {}
    if keys:
        old = _stored_months(session, keys)
        for part, part_keys, fields in (("sessions", session_keys, figures.SESSION_FIELDS),
                                        ("attempts", attempt_keys, figures.QUIZ_FIELDS)):
            counted = figures.month_figures(session, part_keys, sessions=part == "sessions",
                                            attempts=part == "attempts")
            for key, values in counted.items():
                before = old.get(key) or figures.zero_figures()
                delta = changed.setdefault(key, figures.zero_figures())
                for f in fields:
                    delta[f] = values[f] - before[f]
    for key, values in added.items():
        recounted = ((figures.SESSION_FIELDS if key in session_keys else ())
                     + (figures.QUIZ_FIELDS if key in attempt_keys else ()))
        delta = changed.setdefault(key, figures.zero_figures())
        for f, value in values.items():
            if f not in recounted:
                delta[f] += value
    # The leaf's own row moves by the same difference as its ancestors', in the same
    # statement: only this transaction changes it now (it holds the leaf month's lock), so
    # adding the difference to what it read is writing what it counted.
    _add_to_months(session, _up_the_tree(lineages, changed, figures.zero_figures))


def _up_the_tree(lineages: Lineages, leaf_deltas: dict[tuple, dict], zero) -> dict[tuple, dict]:
    """Each leaf key's differences added to the same key of the leaf and of every ancestor
    (keys are (area, …))."""
    lineages.load({key[0] for key in leaf_deltas})
    deltas: dict[tuple, dict] = defaultdict(zero)
    for key, delta in sorted(leaf_deltas.items()):
        if not any(delta.values()):
            continue
        for area_id in lineages.of(key[0]):
            row = deltas[(area_id, *key[1:])]
            for f, value in delta.items():
                row[f] += value
    return deltas


def _add_to_months(session: Session, deltas: dict[MonthKey, dict]) -> None:
    rows = [{"area_id": a, "month": m, **d} for (a, m), d in sorted(deltas.items())
            if any(d.values())]
    _upsert(session, AreaMonthStats.__table__, rows, adding=STAT_FIELDS)


def _upsert(session: Session, table: sa.Table, rows: list[dict], adding: tuple[str, ...]
            ) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding to the stored values, in the order given
    (callers sort by key: locks are taken in that order)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    stmt = _upsert_statement(dialect, table, adding)
    for batch in chunks(rows):
        if dialect == "postgresql":  # one statement for the batch: see _upsert_statement
            batch = {c.name: [row[c.name] for row in batch] for c in table.columns}
        session.connection().execute(stmt, batch)


@functools.cache
def _upsert_statement(dialect: str, table: sa.Table, adding: tuple[str, ...]):
    """On PostgreSQL the rows arrive as one array per column and are inserted from
    `unnest(...)` in one statement. A check-in adds to some 130 rows of ledger_ranges (a new
    participant's month meets up to 78 runs of months, at every level above the village and in
    each scope); as an executemany, psycopg prepares and sends each row on its own, which took
    1.8 ms of a check-in's 7. The rows are read WITH ORDINALITY and inserted in that order,
    the order PostgreSQL locks them in. SQLite's executemany is a loop in C: it stays."""
    if dialect == "postgresql":
        names = [c.name for c in table.columns]
        arrays = [sa.bindparam(n, type_=postgresql.ARRAY(table.c[n].type)) for n in names]
        given = (sa.func.unnest(*arrays).table_valued(*names, with_ordinality="n")
                 .render_derived())
        stmt = postgresql.insert(table).from_select(
            names, sa.select(*[given.c[n] for n in names]).order_by(given.c.n))
    else:
        stmt = dialect_insert(dialect, table)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={c: table.c[c] + stmt.excluded[c] for c in adding})


# --- rows by law topic -------------------------------------------------------------------------

def _stored_topics(session: Session, keys: set[MonthKey]) -> dict[TopicKey, dict]:
    stored: dict[TopicKey, dict] = {}
    areas, months = sorted({a for a, _m in keys}), sorted({m for _a, m in keys})
    for batch in chunks(areas, 500):
        for row in session.connection().execute(_statement("stored_topics"),
                                   {"areas": batch, "months": months}):
            if (row.area_id, row.month) in keys:
                stored[(row.area_id, row.month, row.topic)] = {
                    f: row._mapping[f] for f in TOPIC_FIELDS}
    return stored


def _refresh_topic_rows(session: Session, lineages: Lineages, keys: set[MonthKey],
                        added: dict[TopicKey, dict]) -> None:
    """As `_refresh_month_rows`, for the quiz figures by law topic of the same leaf months."""
    changed: dict[TopicKey, dict] = {}
    if keys:
        old = _stored_topics(session, keys)
        new = figures.topic_figures(session, keys)
        for key in old.keys() | new.keys():
            before = old.get(key) or figures.zero_topic_figures()
            after = new.get(key) or figures.zero_topic_figures()
            changed[key] = {f: after[f] - before[f] for f in TOPIC_FIELDS}
    for key, values in added.items():
        if key[:2] not in keys:
            delta = changed.setdefault(key, figures.zero_topic_figures())
            for f, value in values.items():
                delta[f] += value
    deltas = _up_the_tree(lineages, changed, figures.zero_topic_figures)
    _upsert(session, AreaTopicMonthStats.__table__,
            [{"area_id": a, "month": m, "topic": t, **d}
             for (a, m, t), d in sorted(deltas.items()) if any(d.values())],
            adding=TOPIC_FIELDS)


def _rehang(session: Session, changes: Changes, area_id: int, old_path: str) -> None:
    """An area moved: its subtree's sums leave the ancestors it had and join the new ones, and
    every entity active below it is recounted (its masks up the tree change)."""
    new_path = session.scalar(sa.select(Area.path).where(Area.id == area_id))
    if new_path is None or new_path == old_path:
        return
    before = ancestor_ids_of_path(session, old_path)
    after = ancestor_ids_of_path(session, new_path)
    left, joined = [a for a in before if a not in after], [a for a in after if a not in before]
    deltas = defaultdict(figures.zero_figures)
    for row in session.scalars(sa.select(AreaMonthStats)
                               .where(AreaMonthStats.area_id == area_id)):
        for ancestors, sign in ((left, -1), (joined, 1)):
            for ancestor in ancestors:
                delta = deltas[(ancestor, row.month)]
                for f in STAT_FIELDS:
                    delta[f] += sign * getattr(row, f)
    _add_to_months(session, deltas)
    topic_deltas = defaultdict(figures.zero_topic_figures)
    for row in session.scalars(sa.select(AreaTopicMonthStats)
                               .where(AreaTopicMonthStats.area_id == area_id)):
        for ancestors, sign in ((left, -1), (joined, 1)):
            for ancestor in ancestors:
                delta = topic_deltas[(ancestor, row.month, row.topic)]
                for f in TOPIC_FIELDS:
                    delta[f] += sign * getattr(row, f)
    _upsert(session, AreaTopicMonthStats.__table__,
            [{"area_id": a, "month": m, "topic": t, **d}
             for (a, m, t), d in sorted(topic_deltas.items()) if any(d.values())],
            adding=TOPIC_FIELDS)
    for scope, entity in session.execute(sa.select(LedgerMask.scope, LedgerMask.entity_id)
                                         .where(LedgerMask.area_id == area_id).distinct()):
        changes.entities[figures.entities_of(scope)].add(entity)


# --- masks and ranges -------------------------------------------------------------------------

def _refresh_masks(session: Session, lineages: Lineages, base: str,
                   entity_ids: set[int]) -> None:
    """Recount the masks of these entities in the scopes kept with `base` (figures.GROUPS):
    one read of their activity, one of their stored masks, one write of each kind, for all
    the scopes at once."""
    scopes = figures.GROUPS[base]
    histograms = {scope: Histogram() for scope in scopes}
    for batch in chunks(sorted(entity_ids)):
        new = {(scope, *key): state
               for scope, rows in figures.activities(session, base, batch).items()
               for key, state in figures.masks(lineages, rows).items()}
        old = {(r.scope, r.area_id, r.year, r.entity_id): (r.months, r.kind, r.weight)
               for r in session.connection().execute(_statement("stored_masks"),
                                        {"scopes": list(scopes), "ids": batch})}
        for key in old.keys() | new.keys():
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            histogram = histograms[key[0]]
            if before:
                histogram.add(key[1], key[2], before, -1)
            if after:
                histogram.add(key[1], key[2], after, 1)
        _write_masks(session, old, new)
    _add_to_ranges(session, {scope: h.ranges() for scope, h in histograms.items()})


def _write_masks(session: Session, old: dict, new: dict) -> None:
    """An entity's mask rows are written only by the holder of its lock (or the tree lock),
    so they may be deleted and rewritten. Keys are (scope, area, year, entity)."""
    def key(k):
        return {"k_scope": k[0], "k_area": k[1], "k_year": k[2], "k_entity": k[3]}

    gone = [key(k) for k in sorted(old) if k not in new]
    changed = [{**key(k), "months": v[0], "kind": v[1], "weight": v[2]}
               for k, v in sorted(new.items()) if k in old and old[k] != v]
    added = [{"scope": k[0], "area_id": k[1], "year": k[2], "entity_id": k[3],
              "months": v[0], "kind": v[1], "weight": v[2]} for k, v in sorted(new.items())
             if k not in old]
    if gone:
        session.connection().execute(_statement("delete_masks"), gone)
    if changed:
        session.connection().execute(_statement("update_masks"), changed)
    for batch in chunks(added):
        session.connection().execute(_statement("insert_masks"), batch)


def _add_to_ranges(session: Session, by_scope: dict[str, dict]) -> None:
    rows = [{"scope": scope, "area_id": a, "year": y, "first_month": f, "last_month": last,
             "kind": k, "entities": n, "weight": w}
            for scope, ranges in by_scope.items()
            for (a, y, k, f, last), (n, w) in ranges.items()]
    # In key order (scope, area, year, months, kind): the order PostgreSQL takes row locks in.
    rows.sort(key=lambda r: (r["scope"], r["area_id"], r["year"], r["first_month"],
                             r["last_month"], r["kind"]))
    _upsert(session, LedgerRange.__table__, rows, adding=("entities", "weight"))


# --- from scratch -----------------------------------------------------------------------------

def rebuild(session: Session) -> dict[str, int]:
    """Recompute every summary row from the raw tables (under the exclusive tree lock, so no
    write's refresh runs meanwhile)."""
    locks.lock_tree(session, exclusive=True)
    for model in (AreaMonthStats, AreaTopicMonthStats, LedgerMask, LedgerRange):
        session.execute(sa.delete(model))
    session.execute(sa.update(StudySession)
                    .values(attended_count=figures.attended_count_subquery())
                    .execution_options(synchronize_session=False))
    lineages = Lineages(session)
    lineages.load_all()
    leaves = figures.month_figures(session, None)
    totals: dict[MonthKey, dict] = defaultdict(figures.zero_figures)
    for (leaf, month), values in leaves.items():
        for area_id in lineages.of(leaf):
            row = totals[(area_id, month)]
            for f in STAT_FIELDS:
                row[f] += values[f]
    rows = [{"area_id": a, "month": m, **v} for (a, m), v in sorted(totals.items())]
    for batch in chunks(rows):
        session.execute(AreaMonthStats.__table__.insert(), batch)
    counted = {"area_months": len(rows)}
    topics: dict[TopicKey, dict] = defaultdict(figures.zero_topic_figures)
    for (leaf, month, topic), values in figures.topic_figures(session, None).items():
        for area_id in lineages.of(leaf):
            row = topics[(area_id, month, topic)]
            for f in TOPIC_FIELDS:
                row[f] += values[f]
    topic_rows = [{"area_id": a, "month": m, "topic": t, **v}
                  for (a, m, t), v in sorted(topics.items())]
    for batch in chunks(topic_rows):
        session.execute(AreaTopicMonthStats.__table__.insert(), batch)
    counted["area_topic_months"] = len(topic_rows)
    for scope in SCOPES:
        masks = figures.masks(lineages, figures.activity(session, scope, None))
        histogram = Histogram()
        mask_rows = []
        for (area_id, year, entity), state in masks.items():
            mask_rows.append({"scope": scope, "area_id": area_id, "year": year,
                              "entity_id": entity, "months": state[0], "kind": state[1],
                              "weight": state[2]})
            histogram.add(area_id, year, state)
        for batch in chunks(mask_rows):
            session.execute(LedgerMask.__table__.insert(), batch)
        range_rows = [{"scope": scope, "area_id": a, "year": y, "kind": k, "first_month": f,
                       "last_month": last, "entities": n, "weight": w}
                      for (a, y, k, f, last), (n, w) in histogram.ranges().items()]
        for batch in chunks(range_rows):
            session.execute(LedgerRange.__table__.insert(), batch)
        counted[scope] = len(mask_rows)
    return counted



# --- statements built once (see lawlearn.ledger.figures) ---------------------------------------

def _ids():
    return sa.bindparam("ids", expanding=True)


def _mask_key():
    table = LedgerMask.__table__
    return sa.and_(table.c.scope == sa.bindparam("k_scope"),
                   table.c.area_id == sa.bindparam("k_area"),
                   table.c.year == sa.bindparam("k_year"),
                   table.c.entity_id == sa.bindparam("k_entity"))


def _by_area_and_month(model):
    table = model.__table__
    return sa.select(table).where(table.c.area_id.in_(sa.bindparam("areas", expanding=True)),
                                  table.c.month.in_(sa.bindparam("months", expanding=True)))


_BUILDERS = {
    "session_days": lambda: (
        sa.select(StudySession.unit_id, StudySession.held_on, StudyUnit.area_id, Area.path)
        .join(StudyUnit, StudyUnit.id == StudySession.unit_id)
        .join(Area, Area.id == StudyUnit.area_id).where(StudySession.id.in_(_ids()))),
    "attempt_days": lambda: (
        sa.select(Attempt.unit_id, Attempt.taken_on, StudyUnit.area_id, Area.path)
        .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
        .join(Area, Area.id == StudyUnit.area_id).where(Attempt.id.in_(_ids()))),
    "retopiced_days": lambda: (
        sa.select(Attempt.unit_id, Attempt.taken_on).distinct()
        .where(Attempt.quiz_id.in_(_ids()), Attempt.unit_id.is_not(None),
               Attempt.score.is_not(None))),
    "unit_areas": lambda: (
        sa.select(StudyUnit.id, StudyUnit.area_id, Area.path)
        .join(Area, Area.id == StudyUnit.area_id).where(StudyUnit.id.in_(_ids()))),
    "attended_counts": lambda: (
        sa.update(StudySession).where(StudySession.id.in_(_ids()))
        .values(attended_count=figures.attended_count_subquery())),
    "stored_months": lambda: _by_area_and_month(AreaMonthStats),
    "stored_topics": lambda: _by_area_and_month(AreaTopicMonthStats),
    "stored_masks": lambda: sa.select(LedgerMask.__table__).where(
        LedgerMask.scope.in_(sa.bindparam("scopes", expanding=True)),
        LedgerMask.entity_id.in_(_ids())),
    "delete_masks": lambda: LedgerMask.__table__.delete().where(_mask_key()),
    "update_masks": lambda: LedgerMask.__table__.update().where(_mask_key()),
    "insert_masks": lambda: LedgerMask.__table__.insert(),
}


@functools.cache
def _statement(name: str):
    return _BUILDERS[name]()
