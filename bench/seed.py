"""A synthetic county, or several side by side (a province), in the application's own tables.

Rows go in with bulk statements (COPY on PostgreSQL, executemany on SQLite) and never with
made-up ids: every id a later table needs (an area's parent, a unit's area, a session's unit,
an attendee) is read back from the database by code, so the seed works on a database whose
sequences have moved on, and on either engine.

The counties are roots of the area tree (lawlearn.codes.PARENT_LEVEL: one tree holds a whole
province's counties side by side).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa


@dataclass(frozen=True)
class Shape:
    """One county's size; a province is `counties` of them."""

    towns: int
    leaves: tuple[int, int, int]   # villages, communities, enterprises per town
    units_per_leaf: int
    people_per_unit: int
    sessions_per_unit: int
    attendees: int                 # per session: from the unit, plus two from the same town
    attempts: int                  # quiz attempts per county


COUNTY = Shape(20, (14, 3, 3), 10, 50, 50, 25, 500_000)
SMALL = Shape(2, (3, 1, 1), 2, 10, 6, 5, 300)
# name: (shape of one county, counties)
SCALES = {"county": (COUNTY, 1), "province": (COUNTY, 10), "small": (SMALL, 1)}

YEAR = 2026
LAST_DAY = date(YEAR, 11, 27)  # nothing may be dated after "today"
STATUSES = ["present"] * 90 + ["late"] * 5 + ["excused"] * 3 + ["absent"] * 2
KIND_OF_LEVEL = {"village": "household", "community": "building",
                 "enterprise": "enterprise_group"}
NOW = datetime(YEAR, 11, 27, tzinfo=UTC)
# Timestamps as the app stores them: SQLAlchemy keeps naive UTC text on SQLite.
STAMP = {"postgresql": NOW.isoformat(sep=" "), "sqlite": "2026-11-27 00:00:00.000000"}
BATCH = 100_000


def county_code(c: int) -> str:
    return f"{990 + c}"


def town_code(c: int, t: int) -> str:
    return f"{county_code(c)}{t:03d}"


# --- writing rows in bulk ---------------------------------------------------------------------

def _copy_text(value) -> str:
    """One value in COPY's text format. The seed writes only numbers, dates and plain names
    (no tabs, newlines or backslashes), so no escaping is needed beyond NULL and booleans."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def bulk_insert(conn: sa.Connection, table: str, columns: tuple[str, ...],
                rows: Iterable[tuple]) -> int:
    """Write `rows` into `table`: COPY … FROM STDIN on PostgreSQL (psycopg's cursor.copy),
    executemany in batches on SQLite. Returns the number of rows."""
    n = 0
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            lines: list[str] = []
            for row in rows:
                lines.append("\t".join(map(_copy_text, row)))
                if len(lines) == 20_000:
                    copy.write("\n".join(lines) + "\n")
                    n += len(lines)
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
                n += len(lines)
        return n
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['?'] * len(columns))})")
    for batch in _batches(rows, BATCH):
        conn.exec_driver_sql(sql, batch)
        n += len(batch)
    return n


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def ids_by(conn: sa.Connection, sql: str) -> dict:
    return dict(conn.exec_driver_sql(sql).all())


# --- the seed ---------------------------------------------------------------------------------

# The tables of millions of rows.
BIG_TABLES = ("people", "study_sessions", "attendance", "attempts")


@contextmanager
def loading(conn: sa.Connection, names: tuple[str, ...] = BIG_TABLES) -> Iterator[None]:
    """On PostgreSQL, load these tables without their foreign keys, unique constraints and
    secondary indexes, then add them back from the models' metadata: the usual way to bulk
    load (PostgreSQL's "Populating a Database"). Building an index once by sorting, and checking
    a foreign key with one join, beats maintaining them row by row, and the schema ends up the
    same as `create_all()` made it: the same definitions, the same names, every row checked."""
    if conn.dialect.name != "postgresql":
        yield
        return
    from lawlearn.models import Base

    tables = [Base.metadata.tables[name] for name in names]
    keys = [c for t in tables for c in t.constraints if isinstance(c, sa.ForeignKeyConstraint)]
    uniques = [c for t in tables for c in t.constraints if isinstance(c, sa.UniqueConstraint)]
    indexes = [i for t in tables for i in t.indexes]
    for constraint in keys + uniques:
        conn.execute(sa.schema.DropConstraint(constraint))
    for index in indexes:
        conn.execute(sa.schema.DropIndex(index))
    yield
    conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
    for index in indexes:
        conn.execute(sa.schema.CreateIndex(index))
    for constraint in uniques + keys:
        conn.execute(sa.schema.AddConstraint(constraint))


def seed(conn: sa.Connection, shape: Shape, counties: int, rng: random.Random) -> dict[str, int]:
    """Seed `counties` counties of `shape` into empty tables; returns the row counts."""
    with loading(conn):
        return _seed(conn, shape, counties, rng)


def _seed(conn: sa.Connection, shape: Shape, counties: int, rng: random.Random
          ) -> dict[str, int]:
    area_ids = _areas(conn, shape, counties)
    units = _units(conn, shape, counties, area_ids, rng)
    members = _people(conn, shape, units)
    sessions = _sessions(conn, shape, units, rng)
    session_units = conn.exec_driver_sql(
        "SELECT id, unit_id FROM study_sessions ORDER BY id").all()
    attendance = bulk_insert(
        conn, "attendance", ("session_id", "person_id", "status", "method", "recorded_at"),
        _attendance_rows(conn, shape, units, members, session_units, rng))
    attempts = _attempts(conn, shape, counties, units, members, rng)
    return {"counties": counties, "units": len(units),
            "people": sum(len(m) for m in members.values()), "sessions": sessions,
            "attendance": attendance, "attempts": attempts}


def _areas(conn, shape: Shape, counties: int) -> dict[str, int]:
    """Level by level, each level's parents read back by code."""
    columns = ("code", "name", "level", "parent_id", "path", "active")
    n_vil, n_com, n_ent = shape.leaves
    leaf_levels = ["village"] * n_vil + ["community"] * n_com + ["enterprise"] * n_ent
    bulk_insert(conn, "areas", columns, (
        (county_code(c), f"基准县{c + 1}", "county", None, f"/{county_code(c)}/", True)
        for c in range(counties)))
    ids = ids_by(conn, "SELECT code, id FROM areas WHERE level = 'county'")
    bulk_insert(conn, "areas", columns, (
        (town_code(c, t), f"基准县{c + 1}第{t + 1}镇", "town", ids[county_code(c)],
         f"/{county_code(c)}/{town_code(c, t)}/", True)
        for c in range(counties) for t in range(shape.towns)))
    ids = ids_by(conn, "SELECT code, id FROM areas WHERE level = 'town'")
    bulk_insert(conn, "areas", columns, (
        (f"{town_code(c, t)}{i:03d}", f"基准县{c + 1}第{t + 1}镇{i}", level,
         ids[town_code(c, t)], f"/{county_code(c)}/{town_code(c, t)}/{town_code(c, t)}{i:03d}/",
         True)
        for c in range(counties) for t in range(shape.towns)
        for i, level in enumerate(leaf_levels)))
    return ids_by(conn, "SELECT code, id FROM areas")


@dataclass(frozen=True)
class Unit:
    id: int
    town: str  # the town's code: attendees may come from other units of the same town


def _units(conn, shape: Shape, counties: int, area_ids: dict[str, int],
           rng: random.Random) -> list[Unit]:
    rows, town_of = [], {}
    for code, level in conn.exec_driver_sql(
            "SELECT code, level FROM areas WHERE level IN ('village', 'community', 'enterprise') "
            "ORDER BY code").all():
        for k in range(shape.units_per_leaf):
            unit_code = f"{code}-{k:02d}"
            town_of[unit_code] = code[:-3]
            rows.append((unit_code, KIND_OF_LEVEL[level], f"单元{unit_code}", area_ids[code],
                         "负责人", "13800000000", rng.randint(5, 60), date(2025, 6, 1),
                         "active", STAMP[conn.dialect.name]))
    bulk_insert(conn, "study_units", ("code", "kind", "name", "area_id", "leader_name",
                                      "leader_phone", "reach", "registered_on", "status",
                                      "created_at"), rows)
    return [Unit(id_, town_of[code]) for code, id_ in conn.exec_driver_sql(
        "SELECT code, id FROM study_units ORDER BY code").all()]


def _people(conn, shape: Shape, units: list[Unit]) -> dict[int, list[int]]:
    """Each unit's members (their home unit), read back as unit id → person ids."""
    now = STAMP[conn.dialect.name]
    bulk_insert(conn, "people", ("name", "home_unit_id", "created_at"), (
        (f"学员{u.id}-{i}", u.id, now) for u in units for i in range(shape.people_per_unit)))
    members: dict[int, list[int]] = {u.id: [] for u in units}
    for unit_id, person_id in conn.exec_driver_sql(
            "SELECT home_unit_id, id FROM people ORDER BY id"):
        members[unit_id].append(person_id)
    return members


def _sessions(conn, shape: Shape, units: list[Unit], rng: random.Random) -> int:
    days, now = (LAST_DAY - date(YEAR, 1, 1)).days, STAMP[conn.dialect.name]
    return bulk_insert(
        conn, "study_sessions", ("code", "unit_id", "held_on", "format", "duration_minutes",
                                 "checkin_token", "attended_count", "created_at", "updated_at"),
        ((f"S{u.id}-{j}", u.id, date(YEAR, 1, 1) + timedelta(rng.randint(0, days)),
          "group_study", 60, f"t{u.id}-{j}", 0, now, now)
         for u in units for j in range(shape.sessions_per_unit)))


def _attendance_rows(conn, shape: Shape, units: list[Unit], members: dict[int, list[int]],
                     session_units: list[tuple[int, int]], rng: random.Random
                     ) -> Iterator[tuple]:
    """Most attendees from the session's own unit, two from any unit of the same town. (The
    sessions are read before: the connection is busy with the COPY while this runs.)"""
    town_units: dict[str, list[int]] = {}
    for u in units:
        town_units.setdefault(u.town, []).append(u.id)
    town_of = {u.id: u.town for u in units}
    own, now = shape.attendees - 2, STAMP[conn.dialect.name]
    for session_id, unit_id in session_units:
        neighbours = town_units[town_of[unit_id]]
        chosen = set(rng.sample(members[unit_id], own))
        chosen.update(rng.choice(members[rng.choice(neighbours)]) for _ in range(2))
        for person_id in chosen:
            yield (session_id, person_id, rng.choice(STATUSES), "import", now)


def _attempts(conn, shape: Shape, counties: int, units: list[Unit],
              members: dict[int, list[int]], rng: random.Random) -> int:
    """Paper results by random people of all counties, in their home unit."""
    now = STAMP[conn.dialect.name]
    quiz_ids = list(range(10))
    bulk_insert(conn, "quizzes", ("slug", "title", "topic", "audiences", "pass_score", "draw",
                                  "time_limit_minutes", "attempts_per_day", "active",
                                  "updated_at"),
                ((f"bench-q{i}", f"测验{i}", "civil-code", "[]", 60, 10, 15, 3, True, now)
                 for i in quiz_ids))
    quiz_ids = list(ids_by(conn, "SELECT id, slug FROM quizzes"))
    homes = [(u.id, p) for u in units for p in members[u.id]]
    days = (LAST_DAY - date(YEAR, 1, 1)).days

    def rows() -> Iterator[tuple]:
        for i in range(shape.attempts * counties):
            unit_id, person_id = rng.choice(homes)
            score = rng.randint(0, 10) * 10
            yield (f"a{i}", rng.choice(quiz_ids), person_id, unit_id, "paper",
                   date(YEAR, 1, 1) + timedelta(rng.randint(0, days)), now, float(score),
                   score >= 60)

    return bulk_insert(conn, "attempts", ("token", "quiz_id", "person_id", "unit_id", "method",
                                          "taken_on", "started_at", "score", "passed"), rows())
