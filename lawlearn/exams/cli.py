"""`lawlearn exam results EXAM_ID --format csv|xlsx [--out FILE]`: an exam's results per unit,
per town and in total, as the staff page exports them, for the whole county (the command
line sees everything, like the county office without an area)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import click
from flask.cli import with_appcontext

# Who the command line is when a query asks: the whole tree, as an office without an area.
COMMAND_LINE = SimpleNamespace(role="admin", area=None, id=None)


@click.group("exam")
def exam_group() -> None:
    """The annual law exam (年度学法考试)."""


@exam_group.command("results")
@click.argument("exam_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@with_appcontext
def results_command(exam_id: int, fmt: str, out: Path | None) -> None:
    """Eligible, sat, sitting rate, passed, pass rate and mean score per unit and town."""
    from lawlearn.exams import exports, queries
    from lawlearn.extensions import db
    from lawlearn.models import Exam

    exam = db.session.get(Exam, exam_id) if 0 < exam_id < 2**31 else None
    if exam is None:
        raise click.ClickException(f"no exam has the id {exam_id}")
    found = queries.results(exam, COMMAND_LINE)
    if fmt == "csv":
        body = exports.to_csv(found)
    else:
        if out is None and sys.stdout.isatty():
            raise click.ClickException("XLSX is binary: use --out FILE")
        body = exports.to_xlsx(exam, found)
    if out:
        out.write_bytes(body)
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(body, nl=False)


COMMANDS = [exam_group]
