"""The `lawlearn` command group (docs/contracts.md, Command line). A FlaskGroup on create_app, so
`flask --app lawlearn ...` works the same. User mistakes end with a message and exit 1, never
a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from lawlearn import codes
from lawlearn.imports.registry import KIND_MODULES


def _create_app(*_args) -> Flask:
    from lawlearn import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="lawlearn: grassroots legal education.")


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema to the newest migration, and load the shipped quiz banks."""
    from flask_migrate import upgrade

    from lawlearn.extensions import db
    from lawlearn.quiz.banks import BankError
    from lawlearn.quiz.sync import sync_shipped_banks

    upgrade()
    click.echo("Database schema is up to date.")
    try:
        results = sync_shipped_banks()
    except BankError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException("the quiz banks were not loaded") from None
    db.session.commit()
    changed = [r for r in results if not r.skipped_file]
    click.echo(f"Quiz banks: {len(results)} shipped, {len(changed)} loaded or updated.")
    for result in changed:
        click.echo(f"  {result}")


@click.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice(codes.ROLES.codes), required=True)
@click.option("--area", "area_code",
              help="Area code: a town for a coordinator, a county for an admin.")
@click.option("--unit", "unit_codes", multiple=True, help="Study unit code (leaders; repeatable).")
@with_appcontext
def create_user(name: str, role: str, area_code: str | None, unit_codes: tuple[str, ...]) -> None:
    """Create an account. The password comes from LAWLEARN_PASSWORD or a prompt."""
    from lawlearn.auth.operations import AccountError
    from lawlearn.auth.operations import create_user as create
    from lawlearn.extensions import db
    from lawlearn.models import Area, StudyUnit

    area = None
    if area_code:
        area = db.session.scalar(sa.select(Area).where(Area.code == area_code))
        if area is None:
            raise click.ClickException(f"no area has the code {area_code}")
    units = []
    for code in unit_codes:
        unit = db.session.scalar(sa.select(StudyUnit).where(StudyUnit.code == code))
        if unit is None:
            raise click.ClickException(f"no study unit has the code {code}")
        units.append(unit)
    password = os.environ.get("LAWLEARN_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create(username=name, password=password, role=role, area=area, units=units)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.username}.")


@click.command("import")
@click.argument("kind", type=click.Choice(list(KIND_MODULES)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_file(kind: str, file: Path) -> None:
    """Import a CSV or XLSX file: all rows or none."""
    from lawlearn.extensions import db
    from lawlearn.imports import ImportFileError
    from lawlearn.imports.registry import run_import
    from lawlearn.period_locks import PeriodLocked

    try:
        plan = run_import(kind, file.read_bytes(), file.name)
    except ImportFileError as error:
        for e in error.errors:
            click.echo(f"{file.name}: {e}", err=True)
        raise click.ClickException("the file was not imported") from None
    if not plan.ok:
        db.session.rollback()
        for e in plan.errors:
            click.echo(f"{file.name}: {e}", err=True)
        raise click.ClickException(
            f"{len(plan.errors)} problem(s) found; nothing was imported")
    try:
        db.session.commit()
    except PeriodLocked as locked:  # the ledger's backstop (lawlearn.period_locks)
        db.session.rollback()
        raise click.ClickException(f"{locked.description}; nothing was imported") from None
    for w in plan.warnings:
        click.echo(f"{file.name}: warning: {w}", err=True)
    s = plan.summary()
    click.echo(f"Imported {kind} from {file.name}: {s['created']} created, {s['updated']} updated, "
               f"{s['unchanged']} unchanged.")


@click.command("demo-data")
@click.option("--scale", type=click.Choice(["demo", "county"]), default="demo", show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has areas.")
@with_appcontext
def demo_data(scale: str, seed: int, if_empty: bool) -> None:
    """Fill the database with a made-up county (no real people)."""
    from lawlearn.demo import DemoError, build_demo
    from lawlearn.extensions import db
    from lawlearn.models import Area

    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(Area)):
        click.echo("The database already has data; demo data not loaded.")
        return
    try:
        summary = build_demo(scale=scale, seed=seed)
    except DemoError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(summary)


def register_commands(app: Flask) -> None:
    for command in (init_db, create_user, import_file, demo_data):
        app.cli.add_command(command)
    # Each journey that has commands of its own keeps them in its package.
    from lawlearn.assessment.cli import COMMANDS as assessment_commands
    from lawlearn.backup import COMMANDS as backup_commands
    from lawlearn.binders.cli import COMMANDS as binder_commands
    from lawlearn.exams.cli import COMMANDS as exam_commands
    from lawlearn.maintenance import COMMANDS as maintenance_commands
    from lawlearn.period_locks.cli import COMMANDS as lock_commands
    from lawlearn.plans.cli import COMMANDS as plan_commands
    from lawlearn.quiz.cli import COMMANDS as quiz_commands
    from lawlearn.reports.cli import COMMANDS as report_commands

    for command in (*quiz_commands, *report_commands, *maintenance_commands,
                    *backup_commands, *assessment_commands, *plan_commands,
                    *binder_commands, *exam_commands, *lock_commands):
        app.cli.add_command(command)
