"""Keeping the report's summary rows exact, in the same transaction as every write.

Writes through the ORM are noticed by themselves: a flush listener records which sessions,
attendance rows, attempts and units changed, and a before-commit hook recomputes exactly the
summary rows they touch (see lawlearn.models.reports for what those rows are). Bulk writes
through Core statements (imports) tell the ledger what they touched with `touch(...)`.

Recomputing affected keys from the raw tables, rather than adding deltas, keeps the summaries
right whatever the write was (a moved session, a corrected status, a deleted attempt);
`rebuild()` recomputes everything, and the tests compare the two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from lawlearn.imports.plan import chunks
from lawlearn.models import (
    ATTENDED,
    Area,
    AreaMonthStats,
    Attempt,
    Attendance,
    LedgerMask,
    LedgerRange,
    StudySession,
    StudyUnit,
)
from lawlearn.models.reports import ATTENDANCE, QUIZ, UNIT

PENDING = "lawlearn.ledger"


@dataclass
class Changes:
    sessions: set[int] = field(default_factory=set)           # refresh attended_count
    area_months: set[tuple[int, date]] = field(default_factory=set)
    attend_people: set[int] = field(default_factory=set)
    quiz_people: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)
    fresh: list = field(default_factory=list)                  # new objects, ids after flush
    rebuild: bool = False

    def __bool__(self) -> bool:
        return bool(self.sessions or self.area_months or self.attend_people or self.quiz_people
                    or self.units or self.fresh or self.rebuild)


def pending(session: Session) -> Changes:
    return session.info.setdefault(PENDING, Changes())


def month_of(day: date) -> date:
    return day.replace(day=1)


def touch(session: Session | None = None, *, sessions: Iterable[int] = (),
          area_months: Iterable[tuple[int, date]] = (), attend_people: Iterable[int] = (),
          quiz_people: Iterable[int] = (), units: Iterable[int] = ()) -> None:
    """Tell the ledger what a Core (bulk) statement changed; it is refreshed at commit."""
    from lawlearn.extensions import db

    changes = pending(session or db.session())
    changes.sessions.update(sessions)
    changes.area_months.update(area_months)
    changes.attend_people.update(attend_people)
    changes.quiz_people.update(quiz_people)
    changes.units.update(units)


def require_rebuild() -> None:
    """Something moved in the area tree: recompute every summary at commit."""
    from lawlearn.extensions import db

    pending(db.session()).rebuild = True


def touch_sessions(session_ids: Iterable[int]) -> None:
    """Everything that hangs on these sessions: their area-months, units and attendees."""
    from lawlearn.extensions import db

    ids = list(set(session_ids))
    changes = pending(db.session())
    for batch in chunks(ids):
        rows = db.session.execute(
            sa.select(StudySession.id, StudySession.unit_id, StudySession.held_on,
                      StudyUnit.area_id).join(StudySession.unit)
            .where(StudySession.id.in_(batch))).all()
        for sid, unit_id, held_on, area_id in rows:
            changes.sessions.add(sid)
            changes.units.add(unit_id)
            changes.area_months.add((area_id, month_of(held_on)))
        changes.attend_people.update(db.session.scalars(
            sa.select(Attendance.person_id).where(Attendance.session_id.in_(batch))))


# --- noticing ORM writes ------------------------------------------------------------------

def _old(obj, attr):
    history = sa.inspect(obj).attrs[attr].history
    return history.deleted[0] if history.deleted else getattr(obj, attr)


def _area_of_unit(session: Session, unit_id: int | None) -> int | None:
    if unit_id is None:
        return None
    return session.scalar(sa.select(StudyUnit.area_id).where(StudyUnit.id == unit_id))


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _context, _instances) -> None:
    """Note what this flush changes. New objects have no ids yet: they are kept and read after
    the flush; changed and deleted ones are read now, while their old values are known."""
    watched = (StudySession, Attendance, Attempt, StudyUnit, Area)
    changes = None
    for obj in session.new:
        if isinstance(obj, (StudySession, Attendance, Attempt)):
            changes = changes or pending(session)
            changes.fresh.append(obj)
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, watched) or obj.id is None:
            continue
        changes = changes or pending(session)
        if isinstance(obj, Attendance):
            changes.attend_people.update(p for p in {obj.person_id, _old(obj, "person_id")} if p)
            for sid in {obj.session_id, _old(obj, "session_id")} - {None}:
                changes.sessions.add(sid)
                _note_session(session, changes, sid)
        elif isinstance(obj, StudySession):
            changes.sessions.add(obj.id)
            # The old date and unit matter too: a moved session leaves its old month.
            _note_session(session, changes, obj.id)
            _note_session_values(session, changes, obj.unit_id, obj.held_on)
            changes.attend_people.update(session.scalars(
                sa.select(Attendance.person_id).where(Attendance.session_id == obj.id)))
            if obj in session.deleted:
                changes.quiz_people.update(session.scalars(
                    sa.select(Attempt.person_id).where(Attempt.session_id == obj.id)))
        elif isinstance(obj, Attempt):
            changes.quiz_people.update(p for p in {obj.person_id, _old(obj, "person_id")} if p)
            for unit_id in {obj.unit_id, _old(obj, "unit_id")} - {None}:
                for taken_on in {obj.taken_on, _old(obj, "taken_on")} - {None}:
                    _note_attempt_month(session, changes, unit_id, taken_on)
        elif isinstance(obj, StudyUnit):
            _note_unit(session, changes, obj)
        elif isinstance(obj, Area) and sa.inspect(obj).attrs.path.history.has_changes():
            changes.rebuild = True  # a moved area changes the ancestors of everything below


def _note_fresh(session: Session, changes: Changes) -> None:
    """After the flush: what the new objects touch."""
    for obj in changes.fresh:
        if isinstance(obj, StudySession):
            changes.sessions.add(obj.id)
            _note_session(session, changes, obj.id)
        elif isinstance(obj, Attendance):
            changes.sessions.add(obj.session_id)
            changes.attend_people.add(obj.person_id)
            _note_session(session, changes, obj.session_id)
        elif isinstance(obj, Attempt):
            changes.quiz_people.add(obj.person_id)
            if obj.unit_id is not None:
                _note_attempt_month(session, changes, obj.unit_id, obj.taken_on)
    changes.fresh.clear()


def _note_session_values(session: Session, changes: Changes, unit_id, held_on) -> None:
    if unit_id is None or held_on is None:
        return
    area_id = _area_of_unit(session, unit_id)
    if area_id is not None:
        changes.area_months.add((area_id, month_of(held_on)))
        changes.units.add(unit_id)


def _note_attempt_month(session: Session, changes: Changes, unit_id: int, taken_on) -> None:
    area_id = _area_of_unit(session, unit_id)
    if area_id is not None and taken_on is not None:
        changes.area_months.add((area_id, month_of(taken_on)))


def _note_session(session: Session, changes: Changes, session_id: int) -> None:
    row = session.execute(
        sa.select(StudyUnit.area_id, StudySession.held_on, StudySession.unit_id)
        .join(StudySession.unit).where(StudySession.id == session_id)).first()
    if row:
        changes.area_months.add((row.area_id, month_of(row.held_on)))
        changes.units.add(row.unit_id)


def _note_unit(session: Session, changes: Changes, unit: StudyUnit) -> None:
    state = sa.inspect(unit)
    area_history = state.attrs.area.history
    moved = state.attrs.area_id.history.has_changes() or area_history.has_changes()
    reweighed = state.attrs.reach.history.has_changes() or state.attrs.kind.history.has_changes()
    if not (moved or reweighed):
        return
    changes.units.add(unit.id)
    if moved:
        # Every month of this unit's sessions and attempts moves to the new area.
        old_area = (area_history.deleted[0].id if area_history.deleted and area_history.deleted[0]
                    else _old(unit, "area_id"))
        new_area = unit.area.id if unit.area is not None else unit.area_id
        sessions = session.execute(sa.select(StudySession.id, StudySession.held_on).where(
            StudySession.unit_id == unit.id)).all()
        attempts = session.execute(sa.select(Attempt.person_id, Attempt.taken_on).where(
            Attempt.unit_id == unit.id)).all()
        for area_id in {old_area, new_area} - {None}:
            changes.area_months.update((area_id, month_of(d)) for _s, d in sessions)
            changes.area_months.update((area_id, month_of(d)) for _p, d in attempts)
        changes.attend_people.update(session.scalars(
            sa.select(Attendance.person_id).join(Attendance.session)
            .where(StudySession.unit_id == unit.id)))
        changes.quiz_people.update(p for p, _d in attempts)


@event.listens_for(Session, "before_commit")
def _apply_on_commit(session: Session) -> None:
    session.flush()  # whatever is still unflushed is part of this commit
    changes = session.info.pop(PENDING, None)
    if not changes:
        return
    _note_fresh(session, changes)
    apply(session, changes)
    session.flush()
    session.info.pop(PENDING, None)  # our own writes are not changes to follow


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


# --- recomputing ----------------------------------------------------------------------------

class _Tree:
    """Area id → the ids of it and all its ancestors, from the materialised paths."""

    def __init__(self, session: Session):
        rows = session.execute(sa.select(Area.id, Area.code, Area.path)).all()
        by_code = {code: id_ for id_, code, _p in rows}
        self.up = {id_: [by_code[c] for c in path.strip("/").split("/") if c in by_code]
                   for id_, _c, path in rows}
        self.below: dict[int, list[int]] = defaultdict(list)
        for area_id, lineage in self.up.items():
            for ancestor in lineage[:-1]:
                self.below[ancestor].append(area_id)

    def lineage(self, area_id: int) -> list[int]:
        return self.up.get(area_id, [area_id])

    def holds_units(self, area_id: int) -> bool:
        # Units live only in leaves (villages, communities, enterprises), which have no areas
        # below them; every other area's monthly row is a roll-up.
        return not self.below.get(area_id)


STAT_FIELDS = ("sessions", "attendances", "quiz_attempts", "quiz_score_sum", "quiz_passes")


def _roll_up(leaf_rows: dict[tuple[int, date], dict], tree: _Tree) -> dict:
    """Add leaf (area, month) sums up to every ancestor: the report then reads one row per
    child and month instead of summing hundreds of leaves."""
    totals: dict[tuple[int, date], dict] = defaultdict(lambda: dict.fromkeys(STAT_FIELDS, 0))
    for (leaf, month), values in leaf_rows.items():
        for ancestor in tree.lineage(leaf)[:-1]:
            row = totals[(ancestor, month)]
            for field_name in STAT_FIELDS:
                row[field_name] += values[field_name]
    return totals


def apply(session: Session, changes: Changes) -> None:
    if changes.rebuild:
        rebuild(session)
        return
    _refresh_attended_counts(session, changes.sessions)
    tree = _Tree(session) if (changes.attend_people or changes.quiz_people or changes.units
                              or changes.area_months) else None
    _refresh_area_months(session, tree, changes.area_months)
    if changes.attend_people:
        _refresh_masks(session, tree, ATTENDANCE, changes.attend_people)
    if changes.quiz_people:
        _refresh_masks(session, tree, QUIZ, changes.quiz_people)
    if changes.units:
        _refresh_masks(session, tree, UNIT, changes.units)


def _refresh_attended_counts(session: Session, session_ids: set[int]) -> None:
    for batch in chunks(sorted(session_ids)):
        counted = (sa.select(sa.func.count()).where(
            Attendance.session_id == StudySession.id, Attendance.status.in_(ATTENDED))
            .scalar_subquery())
        session.execute(sa.update(StudySession).where(StudySession.id.in_(batch))
                        .values(attended_count=counted)
                        .execution_options(synchronize_session=False))


def _month_stats_query(area_ids: list[int] | None, months: list[date] | None):
    """Three grouped queries (sessions, attendance, attempts) per (leaf area, year, month)."""
    year_s, month_s = sa.extract("year", StudySession.held_on), sa.extract(
        "month", StudySession.held_on)
    year_a, month_a = sa.extract("year", Attempt.taken_on), sa.extract("month", Attempt.taken_on)

    def limit(stmt, area_col, date_col):
        if area_ids is not None:
            stmt = stmt.where(area_col.in_(area_ids))
        if months is not None:
            stmt = stmt.where(date_col >= min(months), date_col < _next_month(max(months)))
        return stmt

    sessions = limit(
        sa.select(StudyUnit.area_id, year_s, month_s, sa.func.count(StudySession.id),
                  sa.func.coalesce(sa.func.sum(StudySession.attended_count), 0))
        .join(StudySession.unit).group_by(StudyUnit.area_id, year_s, month_s),
        StudyUnit.area_id, StudySession.held_on)
    attempts = limit(
        sa.select(StudyUnit.area_id, year_a, month_a, sa.func.count(Attempt.id),
                  sa.func.coalesce(sa.func.sum(Attempt.score), 0.0),
                  sa.func.coalesce(sa.func.sum(sa.case((Attempt.passed, 1), else_=0)), 0))
        .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
        .where(Attempt.score.is_not(None))
        .group_by(StudyUnit.area_id, year_a, month_a),
        StudyUnit.area_id, Attempt.taken_on)
    return sessions, attempts


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _collect_month_stats(session: Session, area_ids, months) -> dict[tuple[int, date], dict]:
    sessions, attempts = _month_stats_query(area_ids, months)
    stats: dict[tuple[int, date], dict] = defaultdict(lambda: {
        "sessions": 0, "attendances": 0, "quiz_attempts": 0, "quiz_score_sum": 0.0,
        "quiz_passes": 0})
    for area_id, year, month, n, attended in session.execute(sessions):
        row = stats[(area_id, date(int(year), int(month), 1))]
        row["sessions"], row["attendances"] = n, int(attended)
    for area_id, year, month, n, score_sum, passes in session.execute(attempts):
        row = stats[(area_id, date(int(year), int(month), 1))]
        row["quiz_attempts"], row["quiz_score_sum"], row["quiz_passes"] = (
            n, float(score_sum), int(passes))
    return stats


def _refresh_area_months(session: Session, tree: _Tree | None,
                         keys: set[tuple[int, date]]) -> None:
    """Recount the touched (leaf area, month) rows from the raw tables, then the roll-ups of
    their ancestors from the leaf rows: a handful of statements however many areas a bulk
    import touched."""
    if not keys:
        return
    table = AreaMonthStats.__table__
    months = sorted({m for _a, m in keys})
    leaves = sorted({a for a, _m in keys})
    fresh: dict[tuple[int, date], dict] = {}
    for batch in chunks(leaves, 500):
        fresh.update(_collect_month_stats(session, batch, months))
    ancestors = {a for leaf in leaves for a in tree.lineage(leaf)[:-1]}
    touched = set(keys) | {(a, m) for a in ancestors for m in months}
    leaf_rows = {k: v for k, v in fresh.items() if k in keys}
    # The ancestors' other leaves keep their rows: read them to add up the new totals.
    others = {leaf for a in ancestors for leaf in tree.below[a] if tree.holds_units(leaf)}
    for batch in chunks(sorted(others - set(leaves)), 500):
        for row in session.execute(sa.select(AreaMonthStats).where(
                AreaMonthStats.area_id.in_(batch), AreaMonthStats.month.in_(months))).scalars():
            leaf_rows[(row.area_id, row.month)] = {f: getattr(row, f) for f in STAT_FIELDS}
    new_rows = {**leaf_rows, **{k: v for k, v in _roll_up(leaf_rows, tree).items()
                                if k[0] in ancestors}}
    session.execute(table.delete().where(
        table.c.area_id == sa.bindparam("k_area"), table.c.month == sa.bindparam("k_month")),
        [{"k_area": a, "k_month": m} for a, m in touched])
    rows = [{"area_id": a, "month": m, **v} for (a, m), v in new_rows.items()
            if (a, m) in touched and any(v.values())]
    for batch in chunks(rows):
        session.execute(table.insert(), batch)


def _activity(session: Session, scope: str, entity_ids: list[int] | None):
    """(entity, leaf area, year, month[, kind, reach]) rows of activity, grouped."""
    if scope == ATTENDANCE:
        year, month = (sa.extract("year", StudySession.held_on),
                       sa.extract("month", StudySession.held_on))
        stmt = (sa.select(Attendance.person_id, StudyUnit.area_id, year, month)
                .join(Attendance.session).join(StudySession.unit)
                .where(Attendance.status.in_(ATTENDED))
                .group_by(Attendance.person_id, StudyUnit.area_id, year, month))
        column = Attendance.person_id
    elif scope == QUIZ:
        year, month = sa.extract("year", Attempt.taken_on), sa.extract("month", Attempt.taken_on)
        stmt = (sa.select(Attempt.person_id, StudyUnit.area_id, year, month)
                .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
                .where(Attempt.score.is_not(None))
                .group_by(Attempt.person_id, StudyUnit.area_id, year, month))
        column = Attempt.person_id
    else:
        year, month = (sa.extract("year", StudySession.held_on),
                       sa.extract("month", StudySession.held_on))
        stmt = (sa.select(StudyUnit.id, StudyUnit.area_id, year, month, StudyUnit.kind,
                          StudyUnit.reach)
                .join(StudySession, StudySession.unit_id == StudyUnit.id)
                .group_by(StudyUnit.id, StudyUnit.area_id, year, month, StudyUnit.kind,
                          StudyUnit.reach))
        column = StudyUnit.id
    if entity_ids is not None:
        stmt = stmt.where(column.in_(entity_ids))
    return session.execute(stmt)


def _masks(tree: _Tree, rows) -> dict[tuple[int, int, int], tuple[int, str, int]]:
    """{(area, year, entity): (months, kind, weight)} at every level above each leaf."""
    masks: dict[tuple[int, int, int], list] = {}
    for row in rows:
        entity, leaf, year, month = row[0], row[1], int(row[2]), int(row[3])
        kind, weight = (row[4], row[5]) if len(row) > 4 else ("", 0)
        bit = 1 << (month - 1)
        for area_id in tree.lineage(leaf):
            key = (area_id, year, entity)
            if key in masks:
                masks[key][0] |= bit
            else:
                masks[key] = [bit, kind, weight]
    return {k: tuple(v) for k, v in masks.items()}


# The 78 runs of whole months in a year, and for each of the 4,096 month masks the runs it
# meets: a period from month a to month b counts an entity when its mask has a bit in a..b.
RANGES = [(a, b) for a in range(1, 13) for b in range(a, 13)]
_RANGE_BITS = [sum(1 << (m - 1) for m in range(a, b + 1)) for a, b in RANGES]
MEETS = [tuple(i for i, bits in enumerate(_RANGE_BITS) if mask & bits) for mask in range(4096)]


def _refresh_masks(session: Session, tree: _Tree, scope: str, entity_ids: set[int]) -> None:
    # Changes are first counted per (area, year, kind, mask): thousands of people moving
    # between the same two masks become one entry before they are spread over the runs.
    histogram: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for batch in chunks(sorted(entity_ids)):
        new = _masks(tree, _activity(session, scope, batch))
        old = {(r.area_id, r.year, r.entity_id): (r.months, r.kind, r.weight)
               for r in session.execute(sa.select(LedgerMask).where(
                   LedgerMask.scope == scope, LedgerMask.entity_id.in_(batch))).scalars()}
        for key in old.keys() | new.keys():
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            area_id, year, _entity = key
            for sign, state in ((-1, before), (1, after)):
                if state:
                    h = histogram[(area_id, year, state[1], state[0])]
                    h[0] += sign
                    h[1] += sign * state[2]
        _write_masks(session, scope, old, new)
    _add_to_ranges(session, scope, _spread_over_ranges(histogram))


def _spread_over_ranges(histogram: dict) -> dict[tuple, list[int]]:
    ranges: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (area_id, year, kind, months), (n, weight) in histogram.items():
        if not n and not weight:
            continue
        for index in MEETS[months]:
            r = ranges[(area_id, year, kind, *RANGES[index])]
            r[0] += n
            r[1] += weight
    return ranges


def _write_masks(session: Session, scope: str, old: dict, new: dict) -> None:
    table = LedgerMask.__table__
    key_match = sa.and_(table.c.scope == scope, table.c.area_id == sa.bindparam("k_area"),
                        table.c.year == sa.bindparam("k_year"),
                        table.c.entity_id == sa.bindparam("k_entity"))
    gone = [{"k_area": k[0], "k_year": k[1], "k_entity": k[2]} for k in old if k not in new]
    changed = [{"k_area": k[0], "k_year": k[1], "k_entity": k[2], "months": v[0], "kind": v[1],
                "weight": v[2]} for k, v in new.items() if k in old and old[k] != v]
    added = [{"scope": scope, "area_id": k[0], "year": k[1], "entity_id": k[2],
              "months": v[0], "kind": v[1], "weight": v[2]} for k, v in new.items()
             if k not in old]
    if gone:
        session.execute(table.delete().where(key_match), gone)
    if changed:
        session.execute(table.update().where(key_match), changed)
    for batch in chunks(added):
        session.execute(table.insert(), batch)


def _upsert_adding(session: Session):
    """INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n, on SQLite and PostgreSQL alike:
    concurrent writers add up instead of overwriting each other."""
    table = LedgerRange.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={"entities": table.c.entities + stmt.excluded.entities,
              "weight": table.c.weight + stmt.excluded.weight})


def _add_to_ranges(session: Session, scope: str, ranges: dict) -> None:
    rows = [{"scope": scope, "area_id": a, "year": y, "kind": k, "first_month": f,
             "last_month": last, "entities": n, "weight": w}
            for (a, y, k, f, last), (n, w) in ranges.items() if n or w]
    if not rows:
        return
    stmt = _upsert_adding(session)
    for batch in chunks(rows):
        session.execute(stmt, batch)
    table = LedgerRange.__table__
    session.execute(table.delete().where(table.c.scope == scope, table.c.entities == 0))


def rebuild(session: Session) -> dict[str, int]:
    """Recompute every summary row from the raw tables."""
    for model in (AreaMonthStats, LedgerMask, LedgerRange):
        session.execute(sa.delete(model))
    counted = (sa.select(sa.func.count()).where(
        Attendance.session_id == StudySession.id, Attendance.status.in_(ATTENDED))
        .scalar_subquery())
    session.execute(sa.update(StudySession).values(attended_count=counted)
                    .execution_options(synchronize_session=False))
    tree = _Tree(session)
    stats = _collect_month_stats(session, None, None)
    stats.update(_roll_up(stats, tree))
    rows = [{"area_id": a, "month": m, **v} for (a, m), v in stats.items()]
    for batch in chunks(rows):
        session.execute(AreaMonthStats.__table__.insert(), batch)
    totals = {"area_months": len(rows)}
    for scope in (ATTENDANCE, QUIZ, UNIT):
        masks = _masks(tree, _activity(session, scope, None))
        histogram: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        mask_rows = []
        for (area_id, year, entity), (months, kind, weight) in masks.items():
            mask_rows.append({"scope": scope, "area_id": area_id, "year": year,
                              "entity_id": entity, "months": months, "kind": kind,
                              "weight": weight})
            h = histogram[(area_id, year, kind, months)]
            h[0] += 1
            h[1] += weight
        for batch in chunks(mask_rows):
            session.execute(LedgerMask.__table__.insert(), batch)
        ranges = _spread_over_ranges(histogram)
        range_rows = [{"scope": scope, "area_id": a, "year": y, "kind": k, "first_month": f,
                       "last_month": last, "entities": n, "weight": w}
                      for (a, y, k, f, last), (n, w) in ranges.items()]
        for batch in chunks(range_rows):
            session.execute(LedgerRange.__table__.insert(), batch)
        totals[scope] = len(mask_rows)
    session.info.pop(PENDING, None)
    return totals
