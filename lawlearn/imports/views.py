"""Uploading an import file: check it, show a preview with every problem, confirm, write."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user, login_required

from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports import pending
from lawlearn.imports.forms import ConfirmForm, UploadForm
from lawlearn.imports.reader import ImportFileError, RowError
from lawlearn.imports.registry import kinds, run_import
from lawlearn.imports.templates import template_csv, template_xlsx

bp = Blueprint("imports", __name__, url_prefix="/imports")

AFTER_IMPORT = {"areas": "areas.index", "units": "units.index", "sessions": "sessions.index",
                "attendance": "sessions.index", "targets": "reports.target_list",
                "quiz-results": "quiz.index", "assessment-entries": "assessment.index"}


@bp.before_request
@login_required
def staff_only():
    if current_user.is_leader:
        abort(403)


def _kind_or_404(kind: str):
    spec = kinds().get(kind)
    if spec is None:
        abort(404)
    return spec


def _max_age() -> float:
    return current_app.config["IMPORT_PENDING_SECONDS"]


@bp.get("/")
def index():
    return render_template("imports/index.html", kinds=kinds())


@bp.route("/<kind>", methods=["GET", "POST"])
def upload(kind: str):
    spec = _kind_or_404(kind)
    form = UploadForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("imports/upload.html", spec=spec, form=form), status
    filename = form.file.data.filename or "upload.csv"
    data = form.file.data.read()
    try:
        plan = run_import(kind, data, filename, actor=current_user, write=False)
    except ImportFileError as error:
        return render_template("imports/upload.html", spec=spec, form=form,
                               errors=error.errors, filename=filename), 400
    if not plan.ok:
        return render_template("imports/upload.html", spec=spec, form=form, plan=plan,
                               errors=plan.errors, filename=filename), 400
    if plan.rows == 0:
        # A blank template uploaded as it came: say so, rather than offer to import nothing.
        empty = RowError(2, None, _("The file holds no rows under its headers, so there is "
                                    "nothing to import. Fill in one row per record below the "
                                    "header row (the template's second sheet shows examples)."))
        return render_template("imports/upload.html", spec=spec, form=form,
                               errors=[empty], filename=filename), 400
    # Keep the checked file on the server until the user confirms; the session holds only a
    # random token, so nobody else can confirm (or read) it.
    token = secrets.token_urlsafe(16)
    suffix = filename.rsplit(".", 1)[-1].lower()
    pending.save(current_app.instance_path, token, suffix, data, _max_age())
    session.setdefault("imports", {})[token] = {"kind": kind, "filename": filename,
                                                "suffix": suffix}
    session.modified = True
    return render_template("imports/preview.html", spec=spec, plan=plan, filename=filename,
                           form=ConfirmForm(token=token))


@bp.post("/<kind>/confirm")
def confirm(kind: str):
    spec = _kind_or_404(kind)
    form = ConfirmForm()
    waiting = session.get("imports", {}).get(form.token.data or "")
    if not form.validate_on_submit() or not waiting or waiting["kind"] != kind:
        flash(_("That upload has expired. Please upload the file again."), "error")
        return redirect(url_for("imports.upload", kind=kind))
    data = pending.load(current_app.instance_path, form.token.data, waiting["suffix"],
                        _max_age())
    if data is None:
        flash(_("That upload has expired. Please upload the file again."), "error")
        return redirect(url_for("imports.upload", kind=kind))
    # Check again: the database may have changed since the preview.
    try:
        plan = run_import(kind, data, waiting["filename"], actor=current_user)
    except ImportFileError as error:
        return render_template("imports/upload.html", spec=spec, form=UploadForm(),
                               errors=error.errors, filename=waiting["filename"]), 400
    if not plan.ok:
        db.session.rollback()
        return render_template("imports/upload.html", spec=spec, form=UploadForm(), plan=plan,
                               errors=plan.errors, filename=waiting["filename"]), 400
    db.session.commit()
    pending.discard(current_app.instance_path, form.token.data, waiting["suffix"])
    session["imports"].pop(form.token.data, None)
    session.modified = True
    s = plan.summary()
    flash(_("Imported %(file)s: %(created)d created, %(updated)d updated, %(unchanged)d "
            "unchanged.", file=waiting["filename"], **{k: s[k] for k in
                                                       ("created", "updated", "unchanged")}),
          "success")
    return redirect(url_for(AFTER_IMPORT[kind]))


@bp.post("/<kind>/cancel")
def cancel(kind: str):
    """Not importing after all: the checked file (and the phones in it) goes at once."""
    _kind_or_404(kind)
    form = ConfirmForm()
    waiting = session.get("imports", {}).pop(form.token.data or "", None)
    session.modified = True
    if form.validate_on_submit() and waiting:
        pending.discard(current_app.instance_path, form.token.data, waiting["suffix"])
    flash(_("Import cancelled; the uploaded file is deleted."), "info")
    return redirect(url_for("imports.upload", kind=kind))


@bp.get("/<kind>/template.<fmt>")
def template(kind: str, fmt: str):
    spec = _kind_or_404(kind)
    if fmt == "csv":
        body, mimetype = template_csv(kind, spec.columns), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = template_xlsx(kind, spec.columns)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={kind}-template.{fmt}"})
