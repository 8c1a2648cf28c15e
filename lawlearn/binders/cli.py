"""`lawlearn binder work | purge`: the builder for deployments with several web processes
(BINDER_RUNNER=worker), and the cleaner for old binders."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext


@click.group("binder")
def binder_group() -> None:
    """Evidence binders (台账): build queued ones, delete old ones."""


@binder_group.command("work")
@click.option("--once", is_flag=True, help="Build the queued binders, then stop.")
@click.option("--poll", default=5.0, show_default=True,
              help="Seconds to wait before looking again when nothing is queued.")
@with_appcontext
def work(once: bool, poll: float) -> None:
    """Claim queued binders one at a time and build them; several workers may run at once."""
    from lawlearn.binders import jobs
    from lawlearn.extensions import db

    built = 0
    while True:
        job_id = jobs.claim_next()
        if job_id is not None:
            jobs.build(job_id)
            built += 1
            click.echo(f"binder {job_id}: built")
            continue
        db.session.remove()
        if once:
            click.echo(f"{built} binder(s) built")
            return
        time.sleep(poll)


@binder_group.command("purge")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep binders this many days (default BINDER_KEEP_DAYS, 7).")
@with_appcontext
def purge(days: int | None) -> None:
    """Delete finished binders older than the keeping time, and fail ones whose builder died."""
    from lawlearn.binders import jobs

    click.echo(f"{jobs.purge(days)} old binder(s) deleted")


COMMANDS = (binder_group,)
