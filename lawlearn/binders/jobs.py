"""Evidence binder jobs: asked for on the web, built in the background, served when done.

The request only writes a `queued` row (request_binder; the view commits it) and answers at
once. Something else builds it, chosen by BINDER_RUNNER:

- `thread` (the default, for one server process): the web process starts a daemon thread with
  its own application context and database session (start_thread);
- `worker` (several processes, or a binder too big for a web server's memory): `lawlearn
  binder work` runs beside the web server and claims queued jobs.

Either way a job is claimed with one atomic UPDATE ... WHERE status = 'queued' (and, on
PostgreSQL, found with FOR UPDATE SKIP LOCKED), so two builders never build the same binder.
Progress is written through its own connection, outside the builder's reading session, so
the status page sees it while the build goes on.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale

from lawlearn import audit, clock
from lawlearn.binders.archive import binder_folder, write_binder
from lawlearn.binders.queries import Subject
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, BinderJob, StudyUnit
from lawlearn.models.binders import DONE, FAILED, QUEUED, RUNNING

log = logging.getLogger(__name__)


def request_binder(town: Area, unit: StudyUnit | None, start: date, end: date, *, actor,
                   locale: str) -> BinderJob:
    """A queued job for `town` (or one unit of it) over the months from `start` to `end`.
    Never commits: the view does, then hands the job to the runner (dispatch)."""
    job = BinderJob(area=town, unit=unit, period_start=start, period_end=end, locale=locale,
                    requested_by_id=audit.actor_id(actor), status=QUEUED)
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "request_binder", job,
                 {"from": start.isoformat(), "to": end.isoformat()}, area_id=town.id)
    return job


def open_job(town: Area, unit: StudyUnit | None, start: date, end: date) -> BinderJob | None:
    """A queued or running job for the same town (or unit) and months: asking again joins it
    instead of building the same binder twice (a double tap, a reload)."""
    return db.session.scalar(
        sa.select(BinderJob).where(
            BinderJob.area_id == town.id,
            BinderJob.unit_id.is_(None) if unit is None else BinderJob.unit_id == unit.id,
            BinderJob.period_start == start, BinderJob.period_end == end,
            BinderJob.status.in_((QUEUED, RUNNING))).limit(1))


def open_jobs_of(actor) -> int:
    """How many binders the user has asked for that are still waiting or being built."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(BinderJob)
        .where(BinderJob.requested_by_id == audit.actor_id(actor),
               BinderJob.status.in_((QUEUED, RUNNING)))) or 0


def claim(job_id: int) -> bool:
    """Take a queued job for building; False when another builder took it first."""
    result = db.session.execute(
        sa.update(BinderJob)
        .where(BinderJob.id == job_id, BinderJob.status == QUEUED)
        .values(status=RUNNING, started_at=clock.utcnow(), progress_done=0)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def claim_next() -> int | None:
    """The oldest queued job, claimed; None when there is none."""
    while True:
        stmt = (sa.select(BinderJob.id).where(BinderJob.status == QUEUED)
                .order_by(BinderJob.created_at, BinderJob.id).limit(1))
        if db.engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        job_id = db.session.scalar(stmt)
        if job_id is None:
            db.session.rollback()
            return None
        if claim(job_id):
            return job_id


def _record_progress(job_id: int, done: int, total: int) -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.update(BinderJob).where(BinderJob.id == job_id)
                     .values(progress_done=done, progress_total=total))


def file_path(job: BinderJob) -> Path | None:
    """The finished file, or None when the job is not done or its file has gone."""
    if job.status != DONE or not job.file_name:
        return None
    path = binder_folder() / Path(job.file_name).name
    return path if path.is_file() else None


def build(job_id: int) -> None:
    """Build a claimed (running) job; ends `done` with its file, or `failed` with the error.
    Runs inside an application context."""
    job = db.session.get(BinderJob, job_id)
    name = f"{job.id}.zip"
    try:
        with force_locale(job.locale):
            size = write_binder(Subject.of(job), binder_folder() / name,
                                lambda done, total: _record_progress(job_id, done, total))
    except Exception:  # noqa: BLE001 - any failure is the job's, shown on its page
        log.exception("binder %s failed", job_id)
        (binder_folder() / f"{name}.part").unlink(missing_ok=True)
        db.session.rollback()
        job = db.session.get(BinderJob, job_id)
        # The page shows a plain sentence; the exception (paths, SQL) stays in the log.
        with force_locale(job.locale):
            job.status, job.error = FAILED, _(
                "The binder could not be built (job %(id)s): the server log has the details.",
                id=job_id)
        job.finished_at = clock.utcnow()
        db.session.commit()
        return
    db.session.rollback()   # the build's reads; the progress went through its own connection
    job = db.session.get(BinderJob, job_id)
    job.status, job.file_name, job.size_bytes = DONE, name, size
    job.progress_done = job.progress_total
    job.finished_at = clock.utcnow()
    db.session.commit()


def run(job_id: int) -> bool:
    """Claim and build one job; False when it was not queued (someone else has it)."""
    if not claim(job_id):
        return False
    build(job_id)
    return True


def _thread_main(app: Flask, job_id: int) -> None:
    """Build the job, then whatever else waits: a request that found every builder thread busy
    left its job queued for the next one free."""
    with app.app_context():
        try:
            run(job_id)
            while (next_id := claim_next()) is not None:
                build(next_id)
        finally:
            db.session.remove()


def _builder_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("binder-") and t.is_alive())


def start_thread(job_id: int) -> threading.Thread:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    thread = threading.Thread(target=_thread_main, args=(app, job_id),
                              name=f"binder-{job_id}", daemon=True)
    thread.start()
    return thread


def dispatch(job_id: int) -> threading.Thread | None:
    """After the request's commit: start building now (thread) or leave it for a worker."""
    config = current_app.config
    if config.get("BINDER_RUNNER", "thread") != "thread":
        return None
    # A few builders at most: each holds a database connection and reads a town's months;
    # more would starve the web requests of the same process.
    if _builder_threads() >= config.get("BINDER_THREADS", 2):
        return None
    return start_thread(job_id)


def purge(keep_days: int | None = None, stale_hours: int | None = None) -> int:
    """Delete finished and failed binders older than `keep_days` (rows and files), and fail
    jobs left running past `stale_hours` (their process died). Commits; returns how many jobs
    went."""
    config = current_app.config
    keep_days = config.get("BINDER_KEEP_DAYS", 7) if keep_days is None else keep_days
    stale_hours = config.get("BINDER_STALE_HOURS", 6) if stale_hours is None else stale_hours
    now = clock.utcnow()
    db.session.execute(
        sa.update(BinderJob)
        .where(BinderJob.status == RUNNING,
               BinderJob.started_at < now - timedelta(hours=stale_hours))
        .values(status=FAILED, finished_at=now,
                error="Interrupted: the process building it stopped.")
        .execution_options(synchronize_session=False))
    old = db.session.execute(
        sa.select(BinderJob.id, BinderJob.file_name)
        .where(BinderJob.status.in_((DONE, FAILED)),
               BinderJob.finished_at < now - timedelta(days=keep_days))).all()
    if old:
        db.session.execute(sa.delete(BinderJob).where(BinderJob.id.in_([r.id for r in old])))
    db.session.commit()
    folder = binder_folder()
    for row in old:
        if row.file_name:
            (folder / Path(row.file_name).name).unlink(missing_ok=True)
    return len(old)
