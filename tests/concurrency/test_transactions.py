"""When the database says "deadlock", "could not serialize" or "locked", the request is run
again from the start, a bounded number of times, and the participant never sees it; after
the last try they get a clear 503 and nothing half-saved."""

from __future__ import annotations

import io
import logging
import sqlite3

import pytest
import sqlalchemy as sa
from flask import flash, get_flashed_messages, request
from flask import session as browser_session

from lawlearn import create_app, transactions
from lawlearn.extensions import db
from lawlearn.models import Attendance, AuditEvent, Person
from tests.concurrency.conftest import check_in, leader_client, mark_roster
from tests.conftest import _config

EN = {"Accept-Language": "en"}


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def conflict(app, kind: str = "deadlock") -> Exception:
    """The error the database driver raises for a deadlock or a lock."""
    if dialect(app) == "sqlite":
        return sqlite3.OperationalError("database is locked")
    import psycopg.errors

    if kind == "deadlock":
        return psycopg.errors.DeadlockDetected("deadlock detected")
    return psycopg.errors.SerializationFailure("could not serialize access")


@pytest.fixture
def on_statements(app):
    """on_statements(event, listener): a listener on the app's engine ("before_cursor_execute"
    or "after_cursor_execute") for the rest of the test."""
    with app.app_context():
        engine = db.engine
    installed = []

    def listen(event: str, listener) -> None:
        sa.event.listen(engine, event, listener)
        installed.append((event, listener))

    yield listen
    for event, listener in installed:
        sa.event.remove(engine, event, listener)


@pytest.fixture
def fail_writes(on_statements):
    """fail_writes("INSERT INTO attendance", times, error): the first `times` such statements
    fail with `error`, as when PostgreSQL picks this transaction as a deadlock's victim."""

    def install(prefix: str, times: int, error: Exception) -> list[str]:
        failed: list[str] = []

        def fail(_conn, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith(prefix.upper()) and len(failed) < times:
                failed.append(statement)
                raise error

        on_statements("before_cursor_execute", fail)
        return failed

    return install


def attendance_rows(app, session_id: int) -> list[tuple]:
    with app.app_context():
        return db.session.execute(sa.select(Person.name, Attendance.status).join(
            Attendance.person).where(Attendance.session_id == session_id)).all()


def check_in_events(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "check_in"))


def test_a_check_in_chosen_as_a_deadlock_victim_is_saved_once(app, meetings, fail_writes,
                                                              caplog):
    meeting = meetings[0]
    failed = fail_writes("INSERT INTO attendance", 1, conflict(app))
    with caplog.at_level(logging.WARNING, logger="lawlearn.transactions"):
        assert check_in(app, meeting.token, "刘一", "13811110001") == 302
    assert len(failed) == 1
    assert attendance_rows(app, meeting.session_id) == [("刘一", "present")]
    assert check_in_events(app) == 1  # the first attempt's audit row went with its rollback
    assert "attempt 1 of 4" in caplog.text


def test_a_roster_saved_after_a_serialization_failure_says_so_once(app, meetings,
                                                                   fail_writes):
    meeting = meetings[1]
    client = leader_client(app, meeting.leader)
    # The failure comes at commit, after the operation already wrote and flashed nothing yet:
    # the audit row is the last write before the ledger's.
    failed = fail_writes("INSERT INTO audit_events", 1, conflict(app, "serialization"))
    assert mark_roster(client, meeting.session_id,
                       {meeting.roster[0]: "present", meeting.roster[1]: "late"}) == 302
    assert len(failed) == 1
    page = client.get(f"/sessions/{meeting.session_id}", headers=EN).get_data(as_text=True)
    assert page.count("Attendance saved: 2 added, 0 changed.") == 1
    assert sorted(status for _n, status in attendance_rows(app, meeting.session_id)) == [
        "late", "present"]


def test_after_the_last_attempt_the_participant_is_told_to_try_again(app, meetings,
                                                                     fail_writes):
    meeting = meetings[0]
    failed = fail_writes("INSERT INTO attendance", 100, conflict(app))
    response = app.test_client().post(f"/s/{meeting.token}", headers=EN,
                                      data={"name": "刘一", "mobile": "13811110001"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "could not be saved. Nothing was changed" in response.get_data(as_text=True)
    assert len(failed) == app.config["TRANSACTION_ATTEMPTS"] == 4
    assert attendance_rows(app, meeting.session_id) == []
    as_json = app.test_client().post(f"/s/{meeting.token}", headers={
        **EN, "Accept": "application/json"}, data={"name": "刘一", "mobile": "13811110001"})
    assert as_json.status_code == 503 and as_json.get_json()["status"] == 503
    with app.app_context():  # not even the person: the whole unit of work was rolled back
        assert db.session.scalar(sa.select(Person.id).where(Person.name == "刘一")) is None


def test_other_database_errors_are_not_retried(app, meetings, fail_writes):
    meeting = meetings[0]
    if dialect(app) == "sqlite":
        error = sqlite3.IntegrityError("CHECK constraint failed")
    else:
        import psycopg.errors

        error = psycopg.errors.CheckViolation("violates check constraint")
    failed = fail_writes("INSERT INTO attendance", 100, error)
    with pytest.raises(sa.exc.IntegrityError):
        check_in(app, meeting.token, "刘一", "13811110001")
    assert len(failed) == 1


def test_each_attempt_starts_from_the_request_as_it_came(app):
    """Uploaded files are read again from their start; messages flashed by a failed attempt
    and anything it put in the browser's session are gone."""
    attempts = []

    def work():
        attempts.append(request.files["sheet"].read())
        flash("saved")
        browser_session["tries"] = browser_session.get("tries", 0) + 1
        if len(attempts) < 3:
            raise sa.exc.OperationalError("COMMIT", {}, sqlite3.OperationalError(
                "database is locked"))
        return "ok"

    data = {"sheet": (io.BytesIO(b"name,mobile\n"), "sheet.csv")}
    with app.test_request_context("/", method="POST", data=data):
        assert transactions.run_with_retry(work, 3) == "ok"
        assert attempts == [b"name,mobile\n"] * 3
        assert browser_session["tries"] == 1
        assert get_flashed_messages() == ["saved"]


def test_sqlite_waits_for_the_writer_in_wal_mode(app):
    if dialect(app) != "sqlite":
        pytest.skip("SQLite's journal and locks")
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA busy_timeout")).scalar() == 30_000


def test_a_sqlite_transaction_takes_the_write_lock_at_its_first_write(app, meetings):
    """Reads alone hold no lock; the first write begins IMMEDIATE, so a second writer can't
    start until the first commits, and nobody has a read lock to upgrade."""
    if dialect(app) != "sqlite":
        pytest.skip("SQLite's locks")
    other = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):],
                            timeout=0, isolation_level=None)
    try:
        with app.app_context():
            db.session.scalar(sa.select(sa.func.count()).select_from(Person))
            other.execute("BEGIN IMMEDIATE")  # a read does not keep another writer out
            other.execute("ROLLBACK")
            db.session.add(Person(name="王五"))
            db.session.flush()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            db.session.commit()
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_sqlite_writer_that_waited_too_long_gets_503_then_succeeds(app, meetings,
                                                                     tmp_path):
    if dialect(app) != "sqlite":
        pytest.skip("SQLite's locks")
    meeting = meetings[0]
    impatient = create_app({**_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "i"),
                            "RATELIMIT_ENABLED": False, "DB_BUSY_TIMEOUT": 0.05,
                            "TRANSACTION_ATTEMPTS": 2})
    holder = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):],
                             isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # a long import holding the lock
        assert check_in(impatient, meeting.token, "刘一", "13811110001") == 503
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert check_in(impatient, meeting.token, "刘一", "13811110001") == 302
    assert attendance_rows(app, meeting.session_id) == [("刘一", "present")]
    with impatient.app_context():
        db.engine.dispose()


@pytest.fixture
def meanwhile(app, on_statements):
    """meanwhile(pattern, write): right after the first statement matching `pattern` (a
    regular expression over its text on one line), `write()` runs in an application context
    of its own (its own database session and connection) and commits: a colleague's request
    that gets there between this one's checks and its insert."""
    import re

    def install(pattern: str, write) -> list[str]:
        done: list[str] = []

        def after(_conn, _cursor, statement, *_args):
            flat = " ".join(statement.split())
            if done or not re.search(pattern, flat):
                return
            done.append(flat)
            with app.app_context():
                write()
                db.session.commit()

        on_statements("after_cursor_execute", after)
        return done

    return install


def test_two_people_adding_the_same_village_at_once_see_the_forms_own_message(
        app, county, make_user, meanwhile):
    """Two staff add village 330101002 in the same moment (or one double-clicks "Create"):
    the other request commits the same village after this one's checks and before its
    insert. The form comes back with the code's own message and what was typed, not an error
    page, and the village is there once."""
    from lawlearn.areas.operations import create_area
    from lawlearn.models import Area
    from tests.conftest import login

    town_id = county["城关镇"]["town"].id
    client = app.test_client()
    login(client, make_user("admin", area=county["county"]))
    # The last check before the insert: no active area of that name under the town.
    raced = meanwhile(r"FROM areas WHERE areas\.name = ", lambda: create_area(
        code="330101002", name="城关镇西村", level="village",
        parent=db.session.get(Area, town_id)))
    response = client.post("/areas/new", headers=EN, data={
        "code": "330101002", "name": "城关镇西村", "level": "village", "parent_id": town_id})
    page = response.get_data(as_text=True)
    assert len(raced) == 1
    assert response.status_code == 400
    assert "An area with this code already exists." in page
    assert 'value="城关镇西村"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Area).where(
            Area.code == "330101002")) == 1


def unique_violation(app) -> Exception:
    if dialect(app) == "sqlite":
        return sqlite3.IntegrityError("UNIQUE constraint failed: attendance.session_id")
    import psycopg.errors

    return psycopg.errors.UniqueViolation("duplicate key value violates unique constraint")


def test_a_unique_key_broken_again_on_the_second_run_is_a_409_not_a_500(app, meetings,
                                                                      fail_writes):
    """A write path with no check of its own for a key: after one more run it says that
    nothing was saved, in the reader's language, and saves nothing."""
    meeting = meetings[0]
    failed = fail_writes("INSERT INTO attendance", 100, unique_violation(app))
    response = app.test_client().post(f"/s/{meeting.token}", headers=EN,
                                      data={"name": "刘一", "mobile": "13811110001"})
    assert response.status_code == 409
    assert "Someone else saved the same entry at the same moment" in response.get_data(
        as_text=True)
    assert len(failed) == 2
    assert attendance_rows(app, meeting.session_id) == []
    chinese = app.test_client().post(f"/s/{meeting.token}", headers={"Accept-Language": "zh"},
                                     data={"name": "刘一", "mobile": "13811110001"})
    assert chinese.status_code == 409
    assert "同一时刻保存了同样的内容" in chinese.get_data(as_text=True)
