"""`lawlearn plan load | check | progress` (docs/contracts.md, "Activity plans and
milestones"). User mistakes end with every problem listed and exit status 1."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext


@click.group("plan")
def plan_group() -> None:
    """Stage activity plans and their milestones."""


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise click.ClickException(
            f"{option}: “{text}” is not a date. Write it as 2026-03-15.") from None


def _plan(code: str):
    from lawlearn.extensions import db
    from lawlearn.models import Plan
    from lawlearn.plans.progress import load_plan_for_progress

    plan_id = db.session.scalar(sa.select(Plan.id).where(Plan.code == code))
    if plan_id is None:
        raise click.ClickException(f"no plan has the code {code}")
    return load_plan_for_progress(plan_id)


@plan_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_command(file: Path) -> None:
    """Create or replace a plan (by its code) from a YAML file: all of it or nothing."""
    from lawlearn.extensions import db
    from lawlearn.plans.operations import load_plan
    from lawlearn.plans.spec import PlanSpecError, parse_yaml

    try:
        spec = parse_yaml(file.read_bytes())
        plan, created = load_plan(spec)
    except PlanSpecError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) found; the plan was not loaded") from None
    db.session.commit()
    click.echo(f"{'Created' if created else 'Replaced'} plan {plan.code}: "
               f"{len(spec.stages)} stage(s), {len(spec.milestones)} milestone(s).")


@plan_group.command("check")
@click.argument("code")
@click.option("--milestone", "milestone_code", required=True, help="The milestone's code.")
@click.option("--area", "area_code", required=True, help="The code of one of the plan's areas.")
@click.option("--on", "on", required=True, help="The day it was done, YYYY-MM-DD.")
@click.option("--note", default=None, help="What was done, or where the evidence is.")
@with_appcontext
def check_command(code: str, milestone_code: str, area_code: str, on: str,
                  note: str | None) -> None:
    """Check off (销号) a manual milestone for one of the plan's areas."""
    from lawlearn.extensions import db
    from lawlearn.plans.operations import PlanError, check_off

    done_on = _day(on, "--on")
    plan = _plan(code)
    try:
        _checkoff, created = check_off(plan, milestone_code=milestone_code,
                                       area_code=area_code, done_on=done_on, note=note)
    except PlanError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{'Checked off' if created else 'Check-off updated:'} {milestone_code} for "
               f"{area_code} on {done_on.isoformat()}.")


@plan_group.command("progress")
@click.argument("code")
@click.option("--today", help="Count as of this day, YYYY-MM-DD (default: today in Beijing).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--approved-only", is_flag=True,
              help="Count approved study sessions only; the JSON then carries "
                   "\"basis\": \"approved\".")
@with_appcontext
def progress_command(code: str, today: str | None, fmt: str, out: Path | None,
                     approved_only: bool) -> None:
    """Each area's standing on each milestone: done (with the day), pending, overdue or not
    applicable."""
    from lawlearn import clock
    from lawlearn.plans.exports import to_csv, to_xlsx
    from lawlearn.plans.progress import progress

    as_of = _day(today, "--today") or clock.today()
    result = progress(_plan(code), as_of, approved_only)
    if fmt == "json":
        body = (json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n").encode()
    elif fmt == "csv":
        body = to_csv(result)
    else:
        if out is None and sys.stdout.isatty():
            raise click.ClickException("XLSX is binary: use --out FILE")
        body = to_xlsx(result, clock.now())
    if out:
        out.write_bytes(body)
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(body, nl=False)


COMMANDS = [plan_group]
