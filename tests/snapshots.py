"""Data fixtures built once and copied into each later test's database.

Building a county, or a scoping "world" of towns, units, rosters and accounts, through the app's
own operations costs far more than the test that uses it, and hundreds of tests use the same
one. `@built_once` turns such a fixture into one that runs its operations the first time (per
fixture, kind of database and starting rows) and keeps the database as it is afterwards (on
SQLite a copy of the file, on PostgreSQL the rows of every table); a later test whose database
holds exactly the rows that build started from gets that copied in, and the value the fixture
returned (ids, codes, detached model objects).

The snapshot is of the database and of the instance folders the fixture names (photos); a
fixture that keeps state in the process, or returns objects attached to a session, cannot use
it. A test whose database holds other rows (another data fixture ran first, with different
data) gets a build of its own, so the shortcut never changes what a test sees.
"""

from __future__ import annotations

import hashlib
import inspect
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db


@dataclass
class Snapshot:
    data: object                       # the database after it (see take() and put())
    value: object                      # what the fixture returned
    files: Path | None = None          # a copy of the instance folders it wrote


_SNAPSHOTS: dict[tuple, Snapshot] = {}
KEPT_PER_FIXTURE = 8  # starting points kept per fixture and database kind; later ones just build
USES = {"built": 0, "copied": 0}  # shown at the end of the run (tests/conftest.py)


def built_once(build=None, *, files: tuple[str, ...] = (), key=None):
    """Decorate a data fixture (instead of @pytest.fixture) to build it once per database kind.

    It takes the same fixtures as arguments; it must return plain values or detached objects,
    and its tests must not change the returned value in place. `files` names the folders of the
    app's instance folder the build writes (they are copied too); `key()`, called before each
    use, says what else the data depends on (e.g. today's date), so a different answer builds
    afresh."""
    if build is None:
        return lambda build: built_once(build, files=files, key=key)
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
              for p in inspect.signature(build).parameters.values()]
    names = [p.name for p in params]
    if "request" not in names:
        params.append(inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY))
    name = f"{build.__module__}.{build.__qualname__}"

    def fixture(**given):
        request = given["request"]
        app = request.getfixturevalue("app")
        with app.app_context():
            engine = db.engine
        present = row_counts(engine)
        # Exactly the rows this build started from (a different start is a different snapshot).
        index = (name, engine.dialect.name, key() if key else None, fingerprint(engine, present))
        snapshot = _SNAPSHOTS.get(index)
        instance = Path(app.instance_path)
        if snapshot is not None and not any((instance / folder).exists() for folder in files):
            put(engine, present, snapshot.data)
            if snapshot.files:
                shutil.copytree(snapshot.files, instance, dirs_exist_ok=True)
            USES["copied"] += 1
            return snapshot.value
        USES["built"] += 1
        value = build(**{n: given[n] for n in names})
        if snapshot is None and sum(k[:2] == index[:2] for k in _SNAPSHOTS) < KEPT_PER_FIXTURE:
            folder = request.getfixturevalue("tmp_path_factory").mktemp("built-once")
            for name_ in files:
                if (instance / name_).exists():
                    shutil.copytree(instance / name_, folder / name_)
            _SNAPSHOTS[index] = Snapshot(take(engine, folder), value, folder if files else None)
        return value

    fixture.__signature__ = inspect.Signature(params)
    fixture.__name__, fixture.__doc__ = build.__name__, build.__doc__
    fixture.__module__, fixture.__qualname__ = build.__module__, build.__qualname__
    return pytest.fixture(name=build.__name__)(fixture)


_COUNTS: dict[int, sa.CompoundSelect] = {}


def row_counts(engine) -> dict[str, int]:
    """Rows per table, in one round trip."""
    tables = db.metadata.sorted_tables
    union = _COUNTS.get(len(tables))
    if union is None:
        union = _COUNTS[len(tables)] = sa.union_all(*(
            sa.select(sa.literal(t.name).label("name"), sa.func.count().label("n")).select_from(t)
            for t in tables))
    with engine.connect() as conn:
        return {name: n for name, n in conn.execute(union)}


def fingerprint(engine, present: dict[str, int]) -> str:
    """A digest of every row of every table (`present`: the tables' row counts)."""
    digest = hashlib.sha1()
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if present[table.name]:
                digest.update(table.name.encode())
                for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns)):
                    digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def take(engine, folder: Path):
    """The database as it is now: on SQLite a copy of the file (by SQLite's backup, which is
    right whatever the journal mode), on PostgreSQL the rows of every table."""
    if engine.dialect.name == "sqlite":
        copy = folder / "database.sqlite"
        _sqlite_backup(engine.url.database, str(copy))
        return copy
    rows = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            found = [dict(r._mapping) for r in conn.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
            if found:
                rows[table.name] = found
    return rows


def put(engine, present: dict[str, int], data) -> None:
    """Make the database what take() saw. On PostgreSQL: empty the tables that hold rows,
    insert the rows (parents first, each table by primary key), and move each id sequence past
    the ids inserted."""
    if engine.dialect.name == "sqlite":
        _sqlite_backup(str(data), engine.url.database)
        return
    tables = db.metadata.sorted_tables
    with engine.begin() as conn:
        for table in reversed(tables):
            if present.get(table.name):
                conn.execute(table.delete())
        for table in tables:
            if table.name in data:
                conn.execute(table.insert(), data[table.name])
        sequences = [
            f"setval(pg_get_serial_sequence('{t.name}', '{t.autoincrement_column.name}'), "
            f"coalesce((SELECT max({t.autoincrement_column.name}) FROM {t.name}), 0) + 1, false)"
            for t in tables if t.autoincrement_column is not None]
        conn.execute(sa.text("SELECT " + ", ".join(sequences)))


def _sqlite_backup(source: str, target: str) -> None:
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)
