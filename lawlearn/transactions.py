"""Transactions that hold up when many people write at once: a county's meetings check people
in, leaders mark rosters and villagers submit quizzes in the same minutes.

Two things are set up by `init_app`:

**SQLite** (the default database) allows one writer at a time. Left to itself, pysqlite begins
a deferred transaction at the first INSERT/UPDATE, and savepoints or a read in that transaction
followed by a write must upgrade a read lock: two such writers wait for each other, and SQLite
answers one of them "database is locked" at once, whatever the busy timeout. So (the SQLAlchemy
docs' "Serializable isolation / Savepoints / Transactional DDL" recipe for pysqlite) the
driver's own transaction handling is switched off and transactions are begun here:

- A transaction becomes a write at its first writing statement (INSERT, UPDATE, DELETE, DDL or a
  SAVEPOINT), which is preceded by ``BEGIN IMMEDIATE``: the write lock is taken before anything
  is written, so writers queue behind each other (for up to the busy timeout,
  `DB_BUSY_TIMEOUT`, 30 s by default) and never deadlock on an upgrade. The ledger's
  recomputation at commit runs after the first write, so it reads under that lock.
- Statements before the first write run on their own, each seeing the latest committed data,
  as PostgreSQL's READ COMMITTED does: the code is written for that anyway (the limits are
  constraints, not read-then-write), so both databases behave alike.
- Why not ``BEGIN IMMEDIATE`` for every POST from its first query? An import preview parses a
  40 MB workbook and a login hashes a password within a POST without writing anything
  worth a lock; holding the county's only write lock meanwhile would stall every check-in.
  The same rule also covers the GET pages that write (an open quiz attempt found past its
  deadline is closed when its page or result is shown; login sessions are only read on GET):
  they take the lock at their first write like everyone else, so they neither fail nor make
  every GET wait. Code that must read and write under one lock says so with `writing()`.
- WAL journal mode, `synchronous=NORMAL`: readers and the one writer do not block each other,
  and a commit does not wait for an fsync.

**A bounded retry of the whole unit of work**: the view runs again (`TRANSACTION_ATTEMPTS`
times at most, 4 by default, with a short jittered backoff) when PostgreSQL reports a deadlock
(SQLSTATE 40P01) or a serialization failure (40001), or SQLite "database is locked". Each
attempt starts from a clean `db.session` (rolled back) and the browser session as it was before
the request (so nothing is flashed twice; audit rows live in the rolled-back transaction, so
nothing is audited twice), with uploaded files rewound. When the last attempt fails too, the
user gets a 503 page saying that nothing was saved and to try again.

A unique key broken by a row another request committed meanwhile (two coordinators saving the
same new village, a double-clicked "Create") gets one more run too: the forms check those keys
before they write, so the second run answers with the form's own message beside the field
("An area with this code already exists.") and what the user typed, where the first ended in
an error page. If the second run breaks a unique key again, the view has no check of its own
for it: the user gets a 409 page saying that nothing was saved, never a 500.
"""

from __future__ import annotations

import copy
import functools
import logging
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, render_template, request
from flask import session as browser_session
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.exceptions import Conflict, ServiceUnavailable

from lawlearn.extensions import db
from lawlearn.i18n import gettext as _

log = logging.getLogger(__name__)

RETRY_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure
UNIQUE_VIOLATION = "23505"
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a SQLite writer waits for the lock
DEFAULT_ATTEMPTS = 4
BACKOFF = 0.05  # seconds before the second attempt; doubles each time, jittered

WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SAVEPOINT)\b",
                             re.IGNORECASE)

_write = ContextVar("lawlearn_write_transaction", default=False)


class DatabaseBusy(ServiceUnavailable):
    """Every attempt of a unit of work met a deadlock, serialization failure or lock."""


class SavedMeanwhile(Conflict):
    """A unique key was broken twice: by a row committed meanwhile, and again on the run that
    should have seen it (a view without a check of its own for that key)."""


@contextmanager
def writing() -> Iterator[None]:
    """Begin the transactions started inside the block with ``BEGIN IMMEDIATE`` on SQLite,
    before their first read: for a unit of work whose reads must not change before its writes
    and that no constraint protects. Only a transaction not yet begun is affected: enter the
    block before the first query. (PostgreSQL: no effect.)"""
    token = _write.set(True)
    try:
        yield
    finally:
        _write.reset(token)


# --- SQLite ------------------------------------------------------------------------------------

def configure_sqlite(engine: sa.Engine, busy_timeout: float) -> None:
    """WAL, a busy timeout, and transactions begun by us (see the module's docstring)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        # No BEGIN from the driver, not even before DDL: the hooks below begin transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a
        # crash of the application, and only a power cut can lose the last few (SQLite's
        # documented trade-off, "WAL mode is safe from corruption with synchronous=NORMAL").
        # FULL made every check-in wait for the disk while it held the county's write lock.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        if _write.get():
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(connection, cursor, statement, _parameters, context, _many) -> None:
        if connection.connection.dbapi_connection.in_transaction:
            return
        writes = context is not None and (context.isinsert or context.isupdate
                                          or context.isdelete)
        if writes or WRITE_STATEMENT.match(statement):
            cursor.execute("BEGIN IMMEDIATE")


# --- retrying a unit of work ---------------------------------------------------------------------

def is_retryable(error: BaseException) -> bool:
    """A deadlock, serialization failure or SQLite lock: running the work again can succeed."""
    original = getattr(error, "orig", None) or error
    if getattr(original, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    return isinstance(original, sqlite3.OperationalError) and "database is locked" in str(
        original)


def is_duplicate(error: BaseException) -> bool:
    """A unique key broken (PostgreSQL's unique_violation; SQLite's "UNIQUE constraint
    failed"), as when another request committed the same new row first."""
    original = getattr(error, "orig", None) or error
    if getattr(original, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    return isinstance(original, sqlite3.IntegrityError) and str(original).startswith(
        "UNIQUE constraint failed")


def _rewind_uploads() -> None:
    # Only files the view already parsed: parsing now would read a body nobody asked for.
    files = request.__dict__.get("files")
    for _name, upload in (files.items(multi=True) if files else ()):
        upload.stream.seek(0)


def run_with_retry(work: Callable[[], Any], attempts: int, *, label: str = "") -> Any:
    """Run `work` (a view, or any unit of work that commits at its end) until it gets through
    a deadlock, serialization failure or lock, `attempts` times at most."""
    in_request = has_request_context()
    saved = copy.deepcopy(dict(browser_session)) if in_request else None
    duplicates = 0
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except sa.exc.DBAPIError as error:
            duplicate = is_duplicate(error)
            if not (duplicate or is_retryable(error)):
                raise
            db.session.rollback()
            duplicates += duplicate
            if duplicates == 2:
                log.error("%s: a unique key broken again on the second run: %s", label,
                          error.orig)
                raise SavedMeanwhile() from error
            if attempt == attempts:
                log.error("%s: gave up after %d attempts: %s", label, attempts, error.orig)
                raise DatabaseBusy() from error
            delay = BACKOFF * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
            log.warning("%s: attempt %d of %d met %s (%s); retrying in %.0f ms", label,
                        attempt, attempts, type(error.orig).__name__,
                        str(error.orig).split("\n")[0][:80], delay * 1000)
        if in_request:
            browser_session.clear()
            browser_session.update(copy.deepcopy(saved))
            _rewind_uploads()
        time.sleep(delay)
    raise AssertionError("unreachable")


def _install_retry(app: Flask) -> None:
    """Every view runs inside `run_with_retry`: views commit once at their end, so the view is
    the unit of work (the before-request hooks only read)."""
    dispatch = app.dispatch_request

    def dispatch_with_retry():
        return run_with_retry(dispatch, app.config["TRANSACTION_ATTEMPTS"],
                              label=f"{request.method} {request.path}")

    app.dispatch_request = dispatch_with_retry

    @app.errorhandler(DatabaseBusy)
    def busy(error: DatabaseBusy):
        response = _error_page(error, _("Too many people are saving at this moment, and your "
                                        "entry could not be saved. Nothing was changed: please "
                                        "try again in a moment."))
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(SavedMeanwhile)
    def saved_meanwhile(error: SavedMeanwhile):
        return _error_page(error, _("Someone else saved the same entry at the same moment, so "
                                    "yours was not saved. Open the page again to see what is "
                                    "stored now."))


def _error_page(error, message: str):
    """The page (or JSON, as lawlearn.errors answers) for a unit of work that saved nothing."""
    code = error.code
    if request.accept_mimetypes.best == "application/json":
        body = {"error": error.name, "status": code, "message": message}
    else:
        body = render_template("errors/error.html", code=code, message=message)
    return current_app.make_response((body, code))


# --- inserting what may already be there ---------------------------------------------------------

def insert_ignoring(table: sa.Table, conflict: Iterable[str]):
    """``INSERT … ON CONFLICT (conflict) DO NOTHING`` in the session's dialect (SQLite 3.24+
    and PostgreSQL spell it alike)."""
    return _insert_ignoring(db.session.get_bind().dialect.name, table, tuple(conflict), ())


def dialect_insert(dialect_name: str, target):
    """An INSERT of `target` (a table or a mapped class) that can take ON CONFLICT, in the
    dialect's own construct: SQLite 3.24+ and PostgreSQL spell it alike."""
    return (sqlite if dialect_name == "sqlite" else postgresql).insert(target)


@functools.cache
def _insert_ignoring(dialect_name: str, table: sa.Table, conflict: tuple[str, ...],
                     returning: tuple[sa.Column, ...]):
    """Built once per table (a check-in runs two of them): building the statement cost more
    Python than running it (see lawlearn.ledger.figures)."""
    statement = dialect_insert(dialect_name, table).on_conflict_do_nothing(
        index_elements=list(conflict))
    return statement.returning(*returning) if returning else statement


def insert_missing(table: sa.Table, rows: Iterable[dict], conflict: Iterable[str],
                   returning: Iterable[sa.Column] = ()) -> list[sa.Row]:
    """INSERT … ON CONFLICT (`conflict`) DO NOTHING: a row another transaction inserted
    meanwhile (a second tap of "check in", two leaders marking one roster) is left as it is
    instead of failing the whole request. Returns `returning` of the rows really inserted."""
    rows = list(rows)
    if not rows:
        return []
    returning = tuple(returning)
    statement = _insert_ignoring(db.session.get_bind().dialect.name, table, tuple(conflict),
                                 returning)
    if not returning:
        db.session.execute(statement, rows)
        return []
    # SQLAlchemy's "insertmanyvalues": one multi-row INSERT … RETURNING per 1,000 rows.
    return db.session.execute(statement, rows).all()


def init_app(app: Flask) -> None:
    app.config.setdefault("DB_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT)
    app.config.setdefault("TRANSACTION_ATTEMPTS", DEFAULT_ATTEMPTS)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine, float(app.config["DB_BUSY_TIMEOUT"]))
    _install_retry(app)
