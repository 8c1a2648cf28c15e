"""Question banks and their statistics, for the county office and town coordinators (read
only for coordinators; leaders see their sessions' paper quizzes only)."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from lawlearn import codes, scope
from lawlearn.extensions import db
from lawlearn.quiz import queries, stats
from lawlearn.quiz.bank_export import EXPORT_FORMATS, export_bank
from lawlearn.quiz.blueprint import bp
from lawlearn.quiz.sync import shipped_slugs
from lawlearn.quiz.xlsx import template_xlsx
from lawlearn.validation import sane_date

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_office_or_town() -> None:
    scope.require(not current_user.is_leader)


def may_manage_banks() -> bool:
    return current_user.is_admin


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/quizzes/")
def index():
    require_office_or_town()
    topic = request.args.get("topic") if request.args.get("topic") in codes.BANK_TOPICS else None
    q = request.args.get("q", "").strip()
    page = db.paginate(queries.quiz_list(topic=topic, q=q), per_page=25, error_out=False)
    ids = [quiz.id for quiz in page.items]
    return render_template("quiz/index.html", page=page, topic=topic, q=q,
                           counts=queries.question_counts(ids),
                           summaries=stats.bank_summaries(ids),
                           may_manage=may_manage_banks())


@bp.get("/quizzes/banks/<slug>")
def bank(slug: str):
    require_office_or_town()
    quiz = queries.quiz_or_404(slug)
    return render_template("quiz/bank.html", quiz=quiz, questions=queries.bank_questions(quiz),
                           stats=stats.question_stats(quiz),
                           summary=stats.bank_summaries([quiz.id]).get(quiz.id,
                                                                       stats.BankSummary()),
                           shipped=slug in shipped_slugs(),
                           formats=("yaml",) if quiz.mixed else EXPORT_FORMATS,
                           low=stats.LOW_DISCRIMINATION)


@bp.get("/quizzes/banks/<slug>/export.<fmt>")
def export(slug: str, fmt: str):
    require_office_or_town()
    if fmt not in EXPORT_FORMATS:
        abort(404)
    exported = export_bank(queries.quiz_or_404(slug), fmt)
    return _download(exported.body, exported.mimetype, exported.filename)


@bp.get("/quizzes/template.xlsx")
def xlsx_template():
    require_office_or_town()
    return _download(template_xlsx(), XLSX_TYPE, "quiz-bank-template.xlsx")


@bp.get("/quizzes/gaps")
def gaps():
    """Knowledge gaps: mean score by law topic × the areas below the user's own."""
    require_office_or_town()
    start = request.args.get("from", type=sane_date)
    end = request.args.get("to", type=sane_date)
    root = scope.scope_root()
    table = stats.knowledge_gaps(root, start, end)
    return render_template("quiz/gaps.html", table=table, root=root, start=start, end=end,
                           band=stats.band)
