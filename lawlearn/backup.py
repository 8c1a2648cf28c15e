"""`lawlearn backup DIR` and `lawlearn restore DIR`: the database and the photos, together.

A backup folder holds `manifest.json` (what was backed up, from which schema revision, row
counts to check a restore against), the database and `photos/`:

- SQLite: `database.sqlite`, written with SQLite's online backup API, so the site can keep
  serving (and writing) while it runs and the copy is still consistent — copying the file
  while a write is half done would not be.
- PostgreSQL: `database.pgdump`, from `pg_dump --format=custom` (one consistent snapshot);
  `pg_restore` reads it back. The password travels in PGPASSWORD, never on the command line.

A restore refuses a database that already holds areas unless `--replace` is given, and checks
the restored row counts against the manifest. Photos are copied back beside the database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

MANIFEST = "manifest.json"
FORMAT = 1
# Tables whose row counts a restore must reproduce (the rest follow from them).
COUNTED = ("areas", "study_units", "people", "study_sessions", "attendance", "attempts",
           "users", "audit_events")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def _db():
    from lawlearn.extensions import db

    return db


def _kind(url: sa.engine.URL) -> str:
    return "postgresql" if url.get_backend_name() == "postgresql" else url.get_backend_name()


def _photos_dir() -> Path:
    return Path(current_app.instance_path) / "photos"


def _counts() -> dict[str, int]:
    db = _db()
    existing = set(sa.inspect(db.engine).get_table_names())
    return {t: db.session.scalar(sa.text(f'SELECT count(*) FROM "{t}"'))
            for t in COUNTED if t in existing}


def _revision() -> str | None:
    db = _db()
    if "alembic_version" not in sa.inspect(db.engine).get_table_names():
        return None
    return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))


def _pg_command(url: sa.engine.URL) -> tuple[list[str], dict]:
    """libpq connection arguments without the password, which goes in the environment."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432),
            "--username", url.username or os.environ.get("PGUSER", "postgres"),
            "--dbname", url.database or ""]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[:2000]}")


def backup(folder: Path) -> dict:
    db = _db()
    url = db.engine.url
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: choose a new folder for each backup")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "database": _kind(url), "revision": _revision(),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": _counts()}
    db.session.rollback()  # nothing of ours is half done while the copy is taken
    if manifest["database"] == "sqlite":
        source = url.database
        if not source or source == ":memory:":
            raise BackupError("an in-memory SQLite database cannot be backed up")
        with sqlite3.connect(source) as src, sqlite3.connect(folder / "database.sqlite") as dst:
            src.backup(dst)
        dst.close()
        src.close()
    elif manifest["database"] == "postgresql":
        args, env = _pg_command(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(folder / "database.pgdump"), *args], env)
    else:
        raise BackupError(f"backing up a {manifest['database']} database is not supported")
    photos = _photos_dir()
    if photos.is_dir():
        shutil.copytree(photos, folder / "photos")
    manifest["photos"] = sum(1 for p in (folder / "photos").rglob("*") if p.is_file())
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return manifest


def restore(folder: Path, replace: bool = False) -> dict:
    db = _db()
    url = db.engine.url
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{folder} holds no lawlearn backup (no readable {MANIFEST})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not one this version reads")
    if manifest["database"] != _kind(url):
        raise BackupError(f"this is a backup of a {manifest['database']} database; the "
                          f"configured database is {_kind(url)}")
    has_data = ("areas" in sa.inspect(db.engine).get_table_names()
                and db.session.scalar(sa.text("SELECT count(*) FROM areas")))
    if has_data and not replace:
        raise BackupError("the database already holds data: restore into an empty database, "
                          "or give --replace to overwrite it")
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old tables
    if manifest["database"] == "sqlite":
        with (sqlite3.connect(folder / "database.sqlite") as src,
              sqlite3.connect(url.database) as dst):
            src.backup(dst)
        src.close()
        dst.close()
    else:
        args, env = _pg_command(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", *args, str(folder / "database.pgdump")], env)
    db.engine.dispose()
    saved = folder / "photos"
    if saved.is_dir():
        shutil.copytree(saved, _photos_dir(), dirs_exist_ok=True)
    counts = _counts()
    if counts != manifest["counts"]:
        raise BackupError(f"restored row counts {counts} differ from the backup's "
                          f"{manifest['counts']}")
    return manifest


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Back up the database and the photos into FOLDER (a new or empty folder)."""
    try:
        manifest = backup(folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the {manifest['database']} database (revision {manifest['revision']}) "
               f"and {manifest['photos']} photo files to {folder}.")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds data.")
@with_appcontext
def restore_command(folder: Path, replace: bool) -> None:
    """Restore the database and the photos from a backup FOLDER."""
    try:
        manifest = restore(folder, replace=replace)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the backup of {manifest['created_at']} "
               f"(revision {manifest['revision']}). Run `lawlearn init-db` to bring an older "
               f"backup's schema up to date.")


COMMANDS = [backup_command, restore_command]
