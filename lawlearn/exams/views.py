"""The annual exam for staff: the list, an exam's results (per unit and town), the exam form
(window in Beijing time, roster) and the results export.

Every route loads its exam through queries.get_exam_or_404 (scoped); views validate, call one
operation, commit once and redirect. Leaders have no exam pages.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from lawlearn import clock, scope
from lawlearn.exams import exports, operations, queries
from lawlearn.exams.forms import ExamForm, local_input
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, Exam, StudyUnit
from lawlearn.participants import NameConflict
from lawlearn.quiz.queries import public_quizzes

bp = Blueprint("exams", __name__, url_prefix="/exams")


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.is_leader:
        abort(403)
    return None


@bp.get("/")
def index():
    exams = list(db.session.scalars(queries.visible_exams()))
    return render_template("exams/index.html", exams=exams,
                           totals=queries.exam_totals(exams), may_create=queries.may_create())


@bp.get("/<int:exam_id>")
def show(exam_id: int):
    exam = queries.get_exam_or_404(exam_id)
    return render_template("exams/show.html", exam=exam, results=queries.results(exam),
                           may_edit=queries.may_edit(exam),
                           state=operations.window_state(exam, clock.utcnow()))


@bp.get("/<int:exam_id>/results.<fmt>")
def export(exam_id: int, fmt: str):
    exam = queries.get_exam_or_404(exam_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    results = queries.results(exam)
    if fmt == "csv":
        body, mimetype = exports.to_csv(results), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(exam, results)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=exam-{exam.id}-results.{fmt}"})


def _form(exam: Exam | None = None, **kwargs) -> ExamForm:
    """The form with the quizzes, and the units and areas the user may put on the roster."""
    units = db.session.scalars(sa.select(StudyUnit).where(
        scope.unit_filter(), StudyUnit.status == "active").order_by(StudyUnit.code)).all()
    areas = db.session.scalars(sa.select(Area).where(
        scope.area_filter(), Area.active, Area.level != "county").order_by(Area.path)).all()
    if exam is not None and "formdata" not in kwargs:
        kwargs["data"] = {"name": exam.name, "year": exam.year, "quiz": exam.quiz.slug,
                          "pass_score": exam.pass_score, "opens_at": local_input(exam.opens_at),
                          "closes_at": local_input(exam.closes_at),
                          "unit_ids": exam.roster_units, "area_ids": exam.roster_areas}
    return ExamForm(quizzes=public_quizzes(), units=units, areas=areas, **kwargs)


def _values(form: ExamForm) -> operations.ExamValues:
    opens, closes = form.window_utc()
    quiz = next(q for q in public_quizzes() if q.slug == form.quiz.data)
    return operations.ExamValues(
        name=form.name.data.strip(), year=form.year.data, quiz=quiz,
        pass_score=form.pass_score.data, opens_at=opens, closes_at=closes,
        unit_ids=form.unit_ids.data or [], area_ids=form.area_ids.data or [],
        people=form.typed_people)


def _save(form: ExamForm, exam: Exam | None):
    """Validate, save, commit once; the form again (400) with its errors otherwise."""
    template = "exams/form.html"
    if not form.validate_on_submit():
        return render_template(template, form=form, exam=exam), 400 if form.errors else 200
    try:
        saved = operations.save_exam(exam, _values(form), area=current_user.area,
                                     actor=current_user)
    except NameConflict as conflict:
        db.session.rollback()
        form.people.errors.append(str(conflict))
        return render_template(template, form=form, exam=exam), 400
    exam_id = saved.id
    db.session.commit()
    flash(_("The exam was saved."), "success")
    return redirect(url_for("exams.show", exam_id=exam_id))


@bp.route("/new", methods=["GET", "POST"])
def new():
    scope.require(queries.may_create())
    return _save(_form(), None)


@bp.route("/<int:exam_id>/edit", methods=["GET", "POST"])
def edit(exam_id: int):
    exam = queries.get_exam_or_404(exam_id)
    scope.require(queries.may_edit(exam))
    return _save(_form(exam), exam)
