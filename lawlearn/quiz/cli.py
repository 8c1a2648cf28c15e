"""`lawlearn quiz …`: check, import and export question banks; close expired attempts."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from lawlearn.paths import QUIZZES_DIR


@click.group("quiz", cls=AppGroup)
def quiz_group() -> None:
    """Question banks (题库) and attempts."""


@quiz_group.command("check")
@click.argument("path", required=False,
                type=click.Path(exists=True, path_type=Path))
@click.option("--laws", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of law texts (<topic>.md) to check citations against "
                   "(default: the texts shipped with lawlearn).")
@click.option("--strict", is_flag=True,
              help="Treat lint warnings (numbers, near-duplicates, throwaway options, balance) "
                   "as errors, as CI does for the shipped banks.")
def check(path: Path | None, laws: Path | None, strict: bool) -> None:
    """Validate banks (default: the shipped quizzes/ folder), and that every `source` cites an
    existing article of the bank's law.

    A folder is checked by the shipped banks' rules (file name = slug = topic, at least 20
    questions of two kinds or more); a single file elsewhere as a bank to import. Then the
    lints of quizzes/README.md run and print warnings, each naming the question; --strict makes
    them errors."""
    from lawlearn.quiz.banks import check_folder
    from lawlearn.quiz.citations import LawTextError, LawTexts
    from lawlearn.quiz.lints import lint_folder

    try:
        law_texts = LawTexts(laws) if laws else LawTexts()
        count, problems = check_folder(path or QUIZZES_DIR, law_texts, QUIZZES_DIR)
        warnings = lint_folder(path or QUIZZES_DIR, law_texts)
    except LawTextError as error:
        raise click.ClickException(str(error)) from None
    for problem in problems:
        click.echo(problem, err=True)
    for warning in warnings:
        click.echo(("error (strict): " if strict else "warning: ") + warning, err=True)
    if strict:
        problems = problems + warnings
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in {count} bank(s)")
    if count == 0:
        raise click.ClickException(f"no banks (*.yaml) found in {path or QUIZZES_DIR}")
    summary = f"{count} bank(s) checked (structure and citations): no problems"
    click.echo(f"{summary}; {len(warnings)} lint warning(s) (--strict makes them errors)."
               if warnings else f"{summary}, no lint warnings.")


@quiz_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="The bank's slug (default: the file name without extension).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "gift", "aiken", "xlsx"]),
              help="Default: from the extension (.yaml, .gift, .gift.txt, .aiken.txt, .xlsx).")
@click.option("--topic", help="Law topic code (e.g. civil-code) or general (综合); without one "
                               "(and none in the file or slug) the bank is general.")
@click.option("--title", help="Title shown to participants.")
def import_bank(file: Path, slug: str | None, fmt: str | None, topic: str | None,
                title: str | None) -> None:
    """Import a bank from YAML, GIFT, Aiken or XLSX: all questions or none. A YAML file with a
    `blueprint:` list instead of questions is a mixed paper drawing from several banks."""
    from lawlearn.extensions import db
    from lawlearn.quiz.bank_import import apply_import, prepare_import
    from lawlearn.quiz.banks import BankError

    try:
        prepared = prepare_import(file.read_bytes(), file.name, fmt=fmt, slug=slug, topic=topic,
                                  title=title)
    except BankError as error:
        for problem in error.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException("the file was not imported; nothing was written") from None
    for skipped in prepared.skipped:
        click.echo(f"warning: {file.name}: skipped {skipped}", err=True)
    result = apply_import(prepared)
    db.session.commit()
    if prepared.paper is not None:
        parts = ", ".join(f"{bank.slug} {n}" for bank, n in prepared.paper.banks)
        click.echo(f"{prepared.bank.slug}: mixed paper saved, {prepared.bank.draw} questions "
                   f"drawn per attempt ({parts}).")
        return
    click.echo(f"{prepared.bank.slug}: imported {len(prepared.bank.questions)}, skipped "
               f"{len(prepared.skipped)} ({result.added} new, {result.updated} changed, "
               f"{result.retired} removed, {result.unchanged} unchanged).")


@quiz_group.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["yaml", "gift", "xlsx"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output; required for xlsx).")
def export(slug: str, fmt: str, out: Path | None) -> None:
    """Export a bank's active questions."""
    from lawlearn.extensions import db
    from lawlearn.models import Quiz
    from lawlearn.quiz.bank_export import export_bank

    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        raise click.ClickException(f"no bank has the slug {slug}")
    if fmt == "xlsx" and out is None:
        raise click.ClickException("an xlsx export needs --out FILE")
    exported = export_bank(quiz, fmt)
    if out is None:
        click.echo(exported.body.decode("utf-8"), nl=False)
        return
    out.write_bytes(exported.body)
    click.echo(f"Wrote {exported.questions} questions of {slug} to {out}.")


@quiz_group.command("close-expired")
def close_expired() -> None:
    """Close attempts past their time limit with what was answered (run it from cron)."""
    from lawlearn.extensions import db
    from lawlearn.quiz.operations import close_expired_attempts

    closed = close_expired_attempts()
    db.session.commit()
    click.echo(f"Closed {closed} expired attempt(s).")


COMMANDS = [quiz_group]
