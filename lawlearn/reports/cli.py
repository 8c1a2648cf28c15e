"""`lawlearn report coverage` and `lawlearn report rebuild`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext


@click.group("report")
def report_group() -> None:
    """Coverage reports."""


@report_group.command("coverage")
@click.option("--area", "area_code", help="Area code (default: the only root, e.g. the county).")
@click.option("--from", "start", help="First day, YYYY-MM-DD (default: 1 January).")
@click.option("--to", "end", help="Last day, YYYY-MM-DD (default: today).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of CSV/XLSX headers, level names and sheet names (default: the "
                   "shell's, LANG=zh_CN… gives zh). JSON keeps its English keys and codes.")
@click.option("--approved-only", is_flag=True,
              help="Count approved study sessions only (a leader's session counts once its "
                   "town approves it); the JSON then carries \"basis\": \"approved\". Quiz "
                   "figures are the same on both bases.")
@with_appcontext
def coverage_command(area_code, start, end, fmt, out, lang, approved_only) -> None:
    """The coverage report of an area for a period."""
    from lawlearn import clock
    from lawlearn.extensions import db
    from lawlearn.i18n import shell_locale, speaking
    from lawlearn.models import Area
    from lawlearn.reports.coverage import coverage
    from lawlearn.reports.exports import to_csv, to_xlsx
    from lawlearn.reports.periods import PeriodError, resolve

    try:
        period = resolve(start, end, clock.today())
    except PeriodError as error:
        raise click.ClickException(str(error)) from None
    if area_code:
        area = db.session.scalar(sa.select(Area).where(Area.code == area_code))
        if area is None:
            raise click.ClickException(f"no area has the code {area_code}")
    else:
        roots = db.session.scalars(sa.select(Area).where(Area.parent_id.is_(None))).all()
        if len(roots) != 1:
            raise click.ClickException("name the area with --area CODE")
        area = roots[0]
    report = coverage(area, period, approved_only=approved_only)
    if fmt == "json":
        body = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        if fmt == "xlsx" and out is None and sys.stdout.isatty():
            raise click.ClickException("XLSX is binary: use --out FILE")
        # Like the page: a file for a person is in their language (the shell's, unless
        # --lang says otherwise); the JSON is a contract for programs and never changes.
        locale = {"zh": "zh_Hans", "en": "en"}.get(lang) or shell_locale()
        with speaking(locale):
            body = to_csv(report) if fmt == "csv" else to_xlsx(report, clock.now())
    if out:
        out.write_bytes(body)
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(body, nl=False)


@report_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute the report's summary tables from the raw tables."""
    from lawlearn.extensions import db
    from lawlearn.ledger import rebuild

    totals = rebuild(db.session)
    db.session.commit()
    click.echo("Rebuilt: " + ", ".join(f"{k} {v}" for k, v in totals.items()))


COMMANDS = [report_group]
