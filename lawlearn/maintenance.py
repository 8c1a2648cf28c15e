"""`lawlearn purge`: forget what is kept only for a while (run it daily from cron)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("purge")
@with_appcontext
def purge() -> None:
    """Delete audit events older than LAWLEARN_AUDIT_RETENTION_DAYS and pending import files
    older than LAWLEARN_IMPORT_PENDING_SECONDS."""
    from lawlearn.audit_log.queries import purge as purge_events
    from lawlearn.extensions import db
    from lawlearn.imports import pending
    from lawlearn.models.base import utcnow

    days = current_app.config["AUDIT_RETENTION_DAYS"]
    removed = purge_events(utcnow() - timedelta(days=days))
    db.session.commit()
    click.echo(f"Audit events older than {days} days: {removed} deleted.")
    files = pending.purge(current_app.instance_path, current_app.config["IMPORT_PENDING_SECONDS"])
    click.echo(f"Pending import files: {files} deleted.")


COMMANDS = [purge]
