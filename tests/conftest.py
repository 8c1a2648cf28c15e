"""Fixtures in the manner of Flask's tutorial (flaskr's tests/conftest.py): an app with a fresh
database per test, a client, a CLI runner, and factories that read like the domain.

Every test that uses `app` runs twice: on SQLite, and on PostgreSQL when TEST_DATABASE_URL is
set. In CI (LAWLEARN_REQUIRE_ALL=1) a missing PostgreSQL is a failure, never a skip.
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa
from jinja2 import BytecodeCache

from lawlearn import create_app
from lawlearn.extensions import db, limiter
from tests.snapshots import built_once

PG_URL = os.environ.get("TEST_DATABASE_URL")
REQUIRE_ALL = os.environ.get("LAWLEARN_REQUIRE_ALL") == "1"
PASSWORD = "correct horse battery"
# scrypt costs ~0.1 s per hash and per check, and the stories make and sign in hundreds of
# accounts; a cheap PBKDF2 changes nothing they check (werkzeug reads the method back from the
# stored hash). Production keeps the default, scrypt.
QUICK_PASSWORD_HASH = "pbkdf2:sha256:1000"


def _pg_url() -> str:
    url = PG_URL or ""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _config(uri: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        "LAWLEARN_INSTANCE": str(instance),
        "PASSWORD_HASH_METHOD": QUICK_PASSWORD_HASH,
        # Binders are built by the tests themselves (tests/binders), never by a stray thread
        # that outlives the test's database.
        "BINDER_RUNNER": "worker",
    }


def _migrate(uri: str, instance: Path) -> None:
    from flask_migrate import upgrade

    app = create_app(_config(uri, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, built once and copied for each test: a fresh database per test
    without running the migrations a thousand times."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite"
    _migrate(f"sqlite:///{path}", folder)
    return path


@pytest.fixture(scope="session")
def pg_database(tmp_path_factory) -> str | None:
    if not PG_URL:
        return None
    url = _worker_database(_pg_url())
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(url, tmp_path_factory.mktemp("pg"))
    return url


def _worker_database(url: str) -> str:
    """Under pytest-xdist (`make test` runs a worker per core), each worker gets a database
    of its own beside TEST_DATABASE_URL's (`lawlearn_test_gw0`, …), made here from a
    connection to the given one: every test empties and fills its tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    given = sa.engine.make_url(url)
    name = f"{given.database}_{worker}"
    engine = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


_PG_ENGINES: dict[str, sa.Engine] = {}


def _empty_all(url: str) -> None:
    """Empty every table and restart the id sequences, as TRUNCATE … RESTART IDENTITY would:
    DELETE on the few tables that hold rows costs milliseconds where a TRUNCATE of every table
    costs most of a second (it makes new files for each)."""
    from tests.snapshots import row_counts

    engine = _PG_ENGINES.get(url) or _PG_ENGINES.setdefault(url, sa.create_engine(url))
    present = row_counts(engine)
    tables = db.metadata.sorted_tables
    with engine.begin() as conn:
        for table in reversed(tables):
            if present[table.name]:
                conn.execute(table.delete())
        conn.execute(sa.text("SELECT " + ", ".join(
            f"setval(pg_get_serial_sequence('{t.name}', '{t.autoincrement_column.name}'), 1, false)"
            for t in tables if t.autoincrement_column is not None)))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    if url is None:
        if REQUIRE_ALL:
            pytest.fail("TEST_DATABASE_URL is not set, and LAWLEARN_REQUIRE_ALL=1 requires "
                        "PostgreSQL")
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL to run")
    _empty_all(url)
    return url


class _SharedTemplateCache(BytecodeCache):
    """Compiled templates kept for the whole run: every test builds a new app, and compiling
    the same templates again for each one would cost more than the tests themselves. Buckets
    are keyed by the template's source checksum, so an edited template is compiled afresh."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CACHE = _SharedTemplateCache()


@contextmanager
def running_app(database_url: str, tmp_path: Path, **settings):
    """An app on the test's database: the `app` fixture, and suites that need other settings."""
    instance = tmp_path / "instance"
    app = create_app({**_config(database_url, instance), **settings})
    app.instance_path = str(instance)
    app.jinja_env.bytecode_cache = _TEMPLATE_CACHE
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    with running_app(database_url, tmp_path) as app:
        yield app


def pytest_terminal_summary(terminalreporter):
    from tests.snapshots import USES

    if USES["built"]:
        terminalreporter.write_line(
            f"data fixtures (@built_once): built {USES['built']} times, copied {USES['copied']} times")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for tests that use the models directly."""
    with app.test_request_context():
        yield


# --- the clock -------------------------------------------------------------------------------

TODAY = date(2026, 11, 27)  # the day `fixed_today` stops the clock at (10:00 Beijing time)


@pytest.fixture
def freeze_clock(monkeypatch):
    """Stop the app's one clock (lawlearn.clock) at an aware instant; call again to move it.
    Every "today", "now" and stored timestamp then reads that instant."""
    from lawlearn import clock

    def freeze(at: datetime) -> datetime:
        assert at.tzinfo is not None, "an instant, not a wall-clock reading: give its zone"
        monkeypatch.setattr(clock, "_system_now", lambda: at.astimezone(UTC))
        return at

    return freeze


@pytest.fixture
def fixed_today(freeze_clock) -> date:
    """Today is TODAY in the county, whatever the real date: figures that depend on "this
    year" or "not in the future" stay as worked out by hand."""
    from lawlearn import clock

    freeze_clock(datetime.combine(TODAY, time(10), clock.TZ))
    return TODAY


# --- factories -------------------------------------------------------------------------------

_serial = count(1)


@pytest.fixture
def make_area(app):
    from lawlearn.areas.operations import create_area

    def make(level="town", parent=None, code=None, name=None, **kw):
        with app.app_context():
            n = next(_serial)
            area = create_area(code=code or f"A{n:05d}", name=name or f"{level}-{n}",
                               level=level, parent=parent and db.session.merge(parent), **kw)
            db.session.commit()
            db.session.refresh(area)
            db.session.expunge(area)
            return area

    return make


@pytest.fixture
def make_unit(app):
    from lawlearn.models import Area
    from lawlearn.units.operations import register_unit

    def make(area, kind=None, **kw):
        kind = kind or {"village": "household", "community": "building",
                        "enterprise": "enterprise_group"}[area.level]
        with app.app_context():
            fields = {"name": f"unit-{next(_serial)}", "leader_name": "王老师",
                      "leader_phone": "13900000001", "reach": 10,
                      "registered_on": date(2026, 1, 5), **kw}
            unit = register_unit(kind=kind, area=db.session.get(Area, area.id), **fields)
            db.session.commit()
            db.session.refresh(unit)
            db.session.expunge(unit)
            return unit

    return make


@pytest.fixture
def make_user(app):
    from lawlearn.auth.operations import create_user
    from lawlearn.models import Area, StudyUnit

    def make(role="admin", area=None, units=(), username=None):
        with app.app_context():
            user = create_user(
                username=username or f"{role}{next(_serial)}", password=PASSWORD, role=role,
                area=db.session.get(Area, area.id) if area else None,
                units=[db.session.get(StudyUnit, u.id) for u in units])
            db.session.commit()
            return user.username

    return make


def login(client, username: str, password: str = PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@built_once
def county(make_area):
    """A small county: two towns, each with a village, a community and an enterprise."""
    c = make_area("county", code="330100", name="示范县")
    towns = {}
    for i, town_name in enumerate(["城关镇", "青山镇"], start=1):
        town = make_area("town", parent=c, code=f"33010{i}", name=town_name)
        towns[town_name] = {
            "town": town,
            "village": make_area("village", parent=town, code=f"33010{i}001", name=f"{town_name}东村"),
            "community": make_area("community", parent=town, code=f"33010{i}101",
                                   name=f"{town_name}幸福社区"),
            "enterprise": make_area("enterprise", parent=town, code=f"33010{i}E01",
                                    name=f"{town_name}机械厂", employees=80, industry="制造业"),
        }
    return {"county": c, **towns}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no csrf token on the page"
    return match.group(1)


@contextmanager
def recorded_queries(app):
    """The SQL statements run while the block runs: for tests that a page costs the same number
    of queries for 5 rows as for 500."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
