"""`lawlearn assess load` and `lawlearn assess score` (docs/contracts.md, "Assessment")."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext


@click.group("assess")
def assess_group() -> None:
    """Quantitative assessment of towns (定量考核)."""


@assess_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_command(file: Path) -> None:
    """Create or replace the scheme of the file's year; a scheme with any problem is refused
    whole."""
    from lawlearn.assessment.operations import load_scheme
    from lawlearn.assessment.scheme import SchemeError, parse_yaml
    from lawlearn.extensions import db

    try:
        document = parse_yaml(file.read_bytes())
    except SchemeError as error:
        for problem in error.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) found; the scheme was not loaded") from None
    scheme, created = load_scheme(document)
    db.session.commit()
    click.echo(f"{'Loaded' if created else 'Replaced'} the {scheme.year} scheme "
               f"“{scheme.title}”: {len(scheme.items)} items, "
               f"{scheme.period_start.isoformat()} to {scheme.period_end.isoformat()}.")


@assess_group.command("score")
@click.option("--year", type=int, required=True, help="The scheme's year.")
@click.option("--area", "area_code", help="Area code (default: the only root, e.g. the county); "
                                          "its children are scored.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--approved-only", is_flag=True,
              help="Auto items count approved study sessions only; the JSON then carries "
                   "\"basis\": \"approved\".")
@with_appcontext
def score_command(year: int, area_code: str | None, fmt: str, out: Path | None,
                  approved_only: bool) -> None:
    """Score the children of an area against the scheme of a year."""
    from lawlearn import clock
    from lawlearn.assessment.exports import to_csv, to_xlsx
    from lawlearn.assessment.results import scheme_for, score_report
    from lawlearn.extensions import db
    from lawlearn.models import Area

    scheme = scheme_for(year)
    if scheme is None:
        raise click.ClickException(f"there is no assessment scheme for {year}; "
                                   "load one with `lawlearn assess load FILE.yaml`")
    if area_code:
        area = db.session.scalar(sa.select(Area).where(Area.code == area_code))
        if area is None:
            raise click.ClickException(f"no area has the code {area_code}")
    else:
        roots = db.session.scalars(sa.select(Area).where(Area.parent_id.is_(None))).all()
        if len(roots) != 1:
            raise click.ClickException("name the area with --area CODE")
        area = roots[0]
    if fmt == "xlsx" and out is None and sys.stdout.isatty():
        raise click.ClickException("XLSX is binary: use --out FILE")
    report = score_report(scheme, area, approved_only=approved_only)
    items = [item["code"] for item in scheme.items]
    if fmt == "json":
        body = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif fmt == "csv":
        body = to_csv(report, items)
    else:
        body = to_xlsx(report, items, clock.now())
    if out:
        out.write_bytes(body)
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(body, nl=False)


COMMANDS = [assess_group]
