"""`lawlearn backup DIR` and `lawlearn restore DIR`: the database and the session photos.

SQLite is copied with its online backup API (a consistent copy while the site keeps running,
unlike copying the file); PostgreSQL with `pg_dump --format=custom`, restored by `pg_restore`
in one transaction. Photos are copied file by file. A manifest says what the folder holds, so
restore refuses a folder that is not a backup, or one of the other kind of database.

What a backup does not hold: SECRET_KEY. Participants' phones are stored as HMACs keyed with
it; restore on a server with another key and returning participants are no longer recognised.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "lawlearn.sqlite"
PG_FILE = "lawlearn.pgdump"
PHOTOS = "photos"


class BackupError(click.ClickException):
    """A backup or restore that cannot go ahead; the message says why."""


def _engine():
    from lawlearn.extensions import db

    return db.engine


def _libpq_url(url: sa.engine.URL) -> str:
    """The URL pg_dump understands: no "+psycopg" driver name, password kept out of argv."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _pg_env(url: sa.engine.URL) -> dict:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (apt-get install "
                          "postgresql-client)") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _revision() -> str | None:
    with _engine().connect() as conn:
        try:
            return conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
        except sa.exc.DBAPIError:
            return None


def _photos_folder() -> Path:
    return Path(current_app.instance_path) / PHOTOS


def _sqlite_copy(source_path, target_path) -> None:
    """SQLite's online backup API: a consistent copy even while the site keeps writing."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def make_backup(folder: Path) -> dict:
    engine = _engine()
    kind = engine.dialect.name
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; choose a new folder for each backup")
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        _sqlite_copy(engine.url.database, folder / SQLITE_FILE)
    elif kind == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={folder / PG_FILE}", _libpq_url(engine.url)], _pg_env(engine.url))
    else:
        raise BackupError(f"backups of {kind} databases are not supported")
    photos = _photos_folder()
    count = 0
    if photos.is_dir():
        shutil.copytree(photos, folder / PHOTOS)
        count = sum(1 for p in (folder / PHOTOS).rglob("*") if p.is_file())
    manifest = {"format": FORMAT, "database": kind, "revision": _revision(), "photos": count}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{folder} holds no lawlearn backup ({MANIFEST} is missing or "
                          "unreadable)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is a backup of an unknown format")
    return manifest


def restore_backup(folder: Path) -> dict:
    manifest = read_manifest(folder)
    engine = _engine()
    kind = engine.dialect.name
    if manifest["database"] != kind:
        raise BackupError(f"this is a {manifest['database']} backup and DATABASE_URL is a {kind} "
                          "database: restore it into the same kind")
    engine.dispose()  # no pooled connection may hold the old database open
    if kind == "sqlite":
        _sqlite_copy(folder / SQLITE_FILE, engine.url.database)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", f"--dbname={_libpq_url(engine.url)}",
              str(folder / PG_FILE)], _pg_env(engine.url))
    _restore_photos(folder / PHOTOS)
    return manifest


def _restore_photos(saved: Path) -> None:
    """Swap the photos folder for the backup's, by rename, so a failure half-way leaves the
    old folder rather than a mixture."""
    photos = _photos_folder()
    incoming = photos.with_name(PHOTOS + ".restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    if saved.is_dir():
        shutil.copytree(saved, incoming)
    else:
        incoming.mkdir(parents=True)
    old = photos.with_name(PHOTOS + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if photos.exists():
        photos.rename(old)
    incoming.rename(photos)
    shutil.rmtree(old, ignore_errors=True)


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Back up the database and the session photos into a new FOLDER."""
    manifest = make_backup(folder)
    click.echo(f"Backed up the {manifest['database']} database (revision "
               f"{manifest['revision']}) and {manifest['photos']} photo(s) to {folder}.")
    click.echo("Keep SECRET_KEY with it: participants' phones are keyed with it.")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(folder: Path, yes: bool) -> None:
    """Replace the database and the session photos with the backup in FOLDER."""
    read_manifest(folder)
    if not yes:
        click.confirm("This replaces everything in the database and the photos. Go on?",
                      abort=True)
    manifest = restore_backup(folder)
    click.echo(f"Restored the {manifest['database']} database (revision {manifest['revision']}) "
               f"and {manifest['photos']} photo(s) from {folder}. Run `lawlearn init-db` if "
               "this version of lawlearn is newer than the backup.")


COMMANDS = [backup_command, restore_command]
