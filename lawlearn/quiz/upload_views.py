"""Uploading a question bank: check it, preview the questions, skips and problems, confirm.
As with /imports, the checked file waits on the server under a random token that only this
browser's session knows."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.forms import ConfirmForm
from lawlearn.quiz.bank_import import apply_import, prepare_import
from lawlearn.quiz.banks import BankError
from lawlearn.quiz.blueprint import bp
from lawlearn.quiz.forms import BankUploadForm

KEEP_UPLOADS_SECONDS = 24 * 3600
PENDING = "quiz_uploads"


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_UPLOADS_SECONDS
    for old in folder.glob("bank-*"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return folder


def _options(form: BankUploadForm) -> dict:
    return {"fmt": form.fmt.data or None, "slug": (form.slug.data or "").strip() or None,
            "topic": form.topic.data or None, "title": (form.title.data or "").strip() or None}


@bp.route("/quizzes/upload", methods=["GET", "POST"])
def upload():
    scope.require(current_user.is_admin)
    form = BankUploadForm()
    if not form.validate_on_submit():
        return render_template("quiz/upload.html", form=form), 400 if form.errors else 200
    filename = form.file.data.filename or "bank.yaml"
    data = form.file.data.read()
    options = _options(form)
    try:
        prepared = prepare_import(data, filename, **options)
    except BankError as error:
        return render_template("quiz/upload.html", form=form, problems=error.problems,
                               filename=filename), 400
    token = secrets.token_urlsafe(16)
    (_folder() / f"bank-{token}").write_bytes(data)
    session.setdefault(PENDING, {})[token] = {"filename": filename, **options}
    session.modified = True
    return render_template("quiz/upload_preview.html", prepared=prepared, filename=filename,
                           form=ConfirmForm(token=token))


@bp.post("/quizzes/upload/confirm")
def confirm_upload():
    scope.require(current_user.is_admin)
    form = ConfirmForm()
    pending = session.get(PENDING, {}).get(form.token.data or "")
    # Only a token this session was given names a file: nothing else reaches the path.
    path = _folder() / f"bank-{form.token.data}" if pending else None
    if not form.validate_on_submit() or path is None or not path.exists():
        flash(_("That upload has expired. Please upload the file again."), "error")
        return redirect(url_for("quiz.upload"))
    options = {k: v for k, v in pending.items() if k != "filename"}
    try:
        # Check again: the bank may have changed since the preview.
        prepared = prepare_import(path.read_bytes(), pending["filename"], **options)
    except BankError as error:
        return render_template("quiz/upload.html", form=BankUploadForm(),
                               problems=error.problems, filename=pending["filename"]), 400
    result = apply_import(prepared, actor=current_user)
    db.session.commit()
    path.unlink(missing_ok=True)
    session[PENDING].pop(form.token.data, None)
    session.modified = True
    if prepared.paper is not None:
        flash(_("Mixed paper %(slug)s saved: %(n)d questions drawn per attempt.",
                slug=prepared.bank.slug, n=prepared.bank.draw), "success")
        return redirect(url_for("quiz.bank", slug=prepared.bank.slug))
    flash(_("Bank %(slug)s: imported %(imported)d, skipped %(skipped)d (%(added)d new, "
            "%(updated)d changed, %(retired)d removed).", slug=prepared.bank.slug,
            imported=len(prepared.bank.questions), skipped=len(prepared.skipped),
            added=result.added, updated=result.updated, retired=result.retired), "success")
    return redirect(url_for("quiz.bank", slug=prepared.bank.slug))
