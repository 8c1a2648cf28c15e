"""Rectification (整改) after a year's results are published: the town graded lowest reports
how it put things right; the county sets the due date and accepts the report or returns it
with a reason. A coordinator acts only for their own town; the county office decides."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from lawlearn import clock, scope
from lawlearn.assessment import evidence, operations
from lawlearn.assessment.forms import (
    RectificationDecisionForm,
    RectificationDueForm,
    RectificationReportForm,
)
from lawlearn.assessment.views import _scheme_or_404, _town_or_404, bp
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models.assessment import (
    RECTIFICATION_ACCEPTED,
    RECTIFICATION_SUBMITTED,
    AssessmentRectification,
)


def _task_or_404(year: int, area_id: int) -> AssessmentRectification:
    _scheme_or_404(year)
    task = operations.rectification_for(_town_or_404(area_id), year)
    if task is None:
        abort(404)
    return task


def is_overdue(task: AssessmentRectification) -> bool:
    """Still waiting for the town's report after its due date."""
    return task.status != RECTIFICATION_ACCEPTED and task.status != RECTIFICATION_SUBMITTED \
        and task.due < clock.today()


def forms_for(task: AssessmentRectification) -> dict:
    """The forms the rectification panel shows this user, blank."""
    forms = {}
    if current_user.is_admin and task.status != RECTIFICATION_ACCEPTED:
        forms["due"] = RectificationDueForm(formdata=None, prefix="due", data={"due": task.due})
    if current_user.is_admin and task.status == RECTIFICATION_SUBMITTED:
        forms["decision"] = RectificationDecisionForm(formdata=None, prefix="decision")
    if task.status != RECTIFICATION_ACCEPTED:
        forms["report"] = RectificationReportForm(formdata=None, prefix="report")
    return forms


def _page(task: AssessmentRectification, forms: dict | None = None, status: int = 200):
    shown = forms_for(task)
    shown.update(forms or {})
    return render_template("assessment/rectification.html", task=task, forms=shown,
                           overdue=is_overdue(task)), status


@bp.get("/<int:year>/towns/<int:area_id>/rectification")
def rectification(year: int, area_id: int):
    return _page(_task_or_404(year, area_id))


@bp.post("/<int:year>/towns/<int:area_id>/rectification/due")
def rectification_due(year: int, area_id: int):
    scope.require(current_user.is_admin)
    task = _task_or_404(year, area_id)
    form = RectificationDueForm(prefix="due")
    if not form.validate_on_submit():
        return _page(task, {"due": form}, status=400)
    operations.set_rectification_due(task, form.due.data, actor=current_user)
    db.session.commit()
    flash(_("Due date saved."), "success")
    return redirect(url_for("assessment.rectification", year=year, area_id=area_id))


@bp.post("/<int:year>/towns/<int:area_id>/rectification/report")
def rectification_report(year: int, area_id: int):
    """The town's report (the county may upload it on the town's behalf)."""
    task = _task_or_404(year, area_id)
    if task.status == RECTIFICATION_ACCEPTED:
        flash(_("This rectification is accepted; its report can no longer change."), "error")
        return _page(task, status=409)
    form = RectificationReportForm(prefix="report")
    problem = None
    if form.validate_on_submit():
        try:
            prepared = evidence.prepare(form.file.data.stream, form.file.data.filename or "")
        except evidence.EvidenceError as error:
            problem = str(error)
        else:
            name = evidence.store(prepared)
            replaced = operations.submit_rectification(
                task, filename=name, original_name=form.file.data.filename or "",
                content_type=prepared.content_type,
                note=(form.note.data or "").strip() or None, actor=current_user)
            db.session.commit()
            if replaced:
                evidence.remove_files([replaced])
            flash(_("Rectification report submitted; the county office will review it."),
                  "success")
            return redirect(url_for("assessment.rectification", year=year, area_id=area_id))
    if problem:
        form.file.errors = [*form.file.errors, problem]
    return _page(task, {"report": form}, status=400)


@bp.post("/<int:year>/towns/<int:area_id>/rectification/decision")
def rectification_decision(year: int, area_id: int):
    scope.require(current_user.is_admin)
    task = _task_or_404(year, area_id)
    if task.status != RECTIFICATION_SUBMITTED:
        flash(_("There is no report waiting for a decision."), "error")
        return _page(task, status=409)
    form = RectificationDecisionForm(prefix="decision")
    if form.validate_on_submit():
        accept = form.decision.data == "accept"
        reason = (form.reason.data or "").strip() or None
        if not accept and not reason:
            form.reason.errors = [_("Give the town a reason for returning the report.")]
        else:
            operations.decide_rectification(task, accept=accept, reason=reason,
                                            actor=current_user)
            db.session.commit()
            flash(_("Rectification accepted.") if accept else
                  _("Report returned to the town."), "success")
            return redirect(url_for("assessment.rectification", year=year, area_id=area_id))
    return _page(task, {"decision": form}, status=400)


@bp.get("/<int:year>/towns/<int:area_id>/rectification/file")
def rectification_file(year: int, area_id: int):
    task = _task_or_404(year, area_id)
    if not task.filename or not evidence.path_of(task.filename).is_file():
        abort(404)
    return send_file(evidence.path_of(task.filename), mimetype=task.content_type,
                     download_name=task.original_name,
                     as_attachment=task.content_type == "application/pdf")
