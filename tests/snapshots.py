"""Data fixtures built once and copied into each later test's database.

Building a county, or a scoping "world" of towns, units, rosters and accounts, through the app's
own operations costs far more than the test that uses it, and hundreds of tests use the same
one. `@built_once` turns such a fixture into one that runs its operations the first time (per
fixture and kind of database) and keeps the rows of every table afterwards; a later test whose
database holds the same rows the build started from gets those rows inserted directly, and the
value the fixture returned (ids, codes, detached model objects).

The snapshot is of the database and of the instance folders the fixture names (photos); a
fixture that keeps state in the process, or returns objects attached to a session, cannot use
it. A test whose database does not look like the build's starting point (row counts per table
differ, e.g. another data fixture ran first) builds normally, so the shortcut never changes what
a test sees.
"""

from __future__ import annotations

import inspect
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db


@dataclass
class Snapshot:
    start: dict[str, int]              # rows per table before the build
    rows: dict[str, list[dict]]        # every non-empty table's rows after it
    value: object                      # what the fixture returned
    files: Path | None = None          # a copy of the instance folders it wrote


_SNAPSHOTS: dict[tuple, Snapshot] = {}
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
        kind = sa.make_url(request.getfixturevalue("database_url")).get_backend_name()
        with app.app_context():
            engine = db.engine
        start = row_counts(engine)
        index = (name, kind, key() if key else None)
        snapshot = _SNAPSHOTS.get(index)
        instance = Path(app.instance_path)
        if snapshot is not None and snapshot.start == start and not any(
                (instance / folder).exists() for folder in files):
            replace_rows(engine, start, snapshot.rows)
            if snapshot.files:
                shutil.copytree(snapshot.files, instance, dirs_exist_ok=True)
            USES["copied"] += 1
            return snapshot.value
        USES["built"] += 1
        value = build(**{n: given[n] for n in names})
        if snapshot is None:
            copy = None
            if files:
                copy = request.getfixturevalue("tmp_path_factory").mktemp("built-once")
                for folder in files:
                    if (instance / folder).exists():
                        shutil.copytree(instance / folder, copy / folder)
            _SNAPSHOTS[index] = Snapshot(start, dump_rows(engine), value, copy)
        return value

    fixture.__signature__ = inspect.Signature(params)
    fixture.__name__, fixture.__doc__ = build.__name__, build.__doc__
    fixture.__module__, fixture.__qualname__ = build.__module__, build.__qualname__
    return pytest.fixture(name=build.__name__)(fixture)


def row_counts(engine) -> dict[str, int]:
    """Rows per table, in one round trip."""
    tables = db.metadata.sorted_tables
    union = sa.union_all(*(sa.select(sa.literal(t.name).label("name"),
                                     sa.func.count().label("n")).select_from(t)
                           for t in tables))
    with engine.connect() as conn:
        return {name: n for name, n in conn.execute(union)}


def dump_rows(engine) -> dict[str, list[dict]]:
    rows = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            found = [dict(r._mapping) for r in conn.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
            if found:
                rows[table.name] = found
    return rows


def replace_rows(engine, present: dict[str, int], rows: dict[str, list[dict]]) -> None:
    """Empty the tables that hold rows, insert `rows` (parents first, each table by primary
    key), and on PostgreSQL move each id sequence past the ids inserted."""
    tables = db.metadata.sorted_tables
    with engine.begin() as conn:
        for table in reversed(tables):
            if present.get(table.name):
                conn.execute(table.delete())
        for table in tables:
            if table.name in rows:
                conn.execute(table.insert(), rows[table.name])
        if conn.dialect.name == "postgresql":
            for table in tables:
                column = table.autoincrement_column
                if column is not None:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"),
                        {"table": table.name, "column": column.name})
