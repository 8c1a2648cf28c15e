"""Paper quizzes for a session: the printable A4 sheet with its answer key, and the form where a
leader types in the scores from the collected sheets."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.plan import ImportPlan
from lawlearn.imports.reader import RowError
from lawlearn.models import Quiz, StudySession
from lawlearn.quiz import paper, queries
from lawlearn.quiz.blueprint import bp
from lawlearn.quiz.forms import PaperScoresForm, QuizChoiceForm
from lawlearn.quiz.operations import QuizError
from lawlearn.quiz.public_views import answer_text
from lawlearn.quiz.result_imports import parse_score

MAX_ROWS = 200


def _quizzes(study_session: StudySession) -> list[Quiz]:
    """Quizzes a leader may use, the session's own topics first."""
    topics = study_session.topics
    return sorted(queries.public_quizzes(), key=lambda q: (q.topic not in topics, q.topic, q.slug))


# The banks' choice questions carry their own answer brackets: "…应当（ ）。"
_BLANK = re.compile(r"[（(]\s*[)）]")


def needs_bracket(stem: str) -> bool:
    """Whether the printed question needs brackets for the answer after its text."""
    return not _BLANK.search(stem)


def stem_with_blanks(stem: str) -> Markup:
    """The question's text, escaped, each answer blank kept whole on paper: the space inside
    "（ ）" is a place to break a line, and a blank split over two lines cannot be filled in."""
    return Markup(_BLANK.sub(lambda m: Markup('<span class="bracket">{}</span>').format(m.group()),
                             str(escape(stem))))


def _chosen(quizzes: list[Quiz], slug: str | None) -> Quiz | None:
    return next((q for q in quizzes if q.slug == slug), quizzes[0] if quizzes else None)


@bp.route("/quizzes/sessions/<int:session_id>/sheet", methods=["GET", "POST"])
def paper_sheet(session_id: int):
    study_session = scope.get_session_or_404(session_id)
    quizzes = _quizzes(study_session)
    form = QuizChoiceForm(quizzes=quizzes)
    if form.validate_on_submit():
        quiz = _chosen(quizzes, form.quiz.data)
        try:
            paper.prepare_sheet(study_session, quiz, actor=current_user)
        except QuizError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
        return redirect(url_for("quiz.paper_sheet", session_id=session_id, quiz=quiz.slug))
    quiz = _chosen(quizzes, request.args.get("quiz"))
    if quiz is not None:
        form.quiz.data = quiz.slug
    sheet = paper.sheet_for(study_session, quiz) if quiz else None
    return render_template("quiz/paper/sheet.html", study_session=study_session, quiz=quiz,
                           sheet=sheet, form=form, answer_text=answer_text,
                           needs_bracket=needs_bracket, stem_with_blanks=stem_with_blanks)


def _entries(form: PaperScoresForm, quiz: Quiz, study_session: StudySession):
    ref = paper.SessionRef(study_session.id, study_session.code, study_session.unit_id,
                           study_session.unit.area_id, study_session.held_on)
    return [paper.PaperEntry(row=i, quiz=quiz, session=ref, name=row.name.data,
                             mobile=row.mobile.data or None, score=parse_score(row.score.data),
                             taken_on=study_session.held_on)
            for i, row in form.filled_rows()]


@bp.route("/quizzes/sessions/<int:session_id>/scores", methods=["GET", "POST"])
def paper_scores(session_id: int):
    study_session = scope.get_session_or_404(session_id)
    quizzes = _quizzes(study_session)
    form = PaperScoresForm(quizzes=quizzes)
    if request.method == "GET":
        form.quiz.data = _chosen(quizzes, request.args.get("quiz")).slug if quizzes else None
        wanted = min(request.args.get("rows", 10, type=int) or 10, MAX_ROWS)
        while len(form.rows) < wanted:
            form.rows.append_entry()
    elif form.validate_on_submit():
        quiz = _chosen(quizzes, form.quiz.data)
        plan = ImportPlan("quiz-results")

        def report(entry, column: str, message: str) -> None:
            form.rows[entry.row - 1].form[column].errors.append(message)
            plan.errors.append(RowError(entry.row, column, message))

        paper.plan_results(_entries(form, quiz, study_session), plan, report,
                           actor=current_user)
        if plan.ok:
            paper.apply_results(plan, actor=current_user)
            db.session.commit()
            s = plan.summary()
            flash(_("Scores saved: %(created)d new, %(updated)d corrected, %(unchanged)d "
                    "unchanged.", **{k: s[k] for k in ("created", "updated", "unchanged")}),
                  "success")
            return redirect(url_for("quiz.paper_scores", session_id=session_id, quiz=quiz.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("quiz/paper/scores.html", study_session=study_session, form=form,
                           results=queries.session_results(study_session.id),
                           quizzes=quizzes, max_rows=MAX_ROWS), status
