"""The scheme editor (考核细则 on the web): the county office changes a year's scheme in the
browser, item by item on one page, without a file.

What is saved goes through lawlearn.assessment.scheme.check, as a YAML upload and `lawlearn
assess load` do, and through operations.load_scheme (audited); a refused scheme stores nothing
and comes back as typed, each problem beside its field. A published year's scheme is final on
the web, as its entries are: the snapshot already holds the scheme the results used.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lawlearn import scope
from lawlearn.assessment import operations
from lawlearn.assessment.scheme import SchemeError, check
from lawlearn.assessment.scheme_form import MAX_ITEMS, SchemeEditForm
from lawlearn.assessment.views import _scheme_or_404, bp
from lawlearn.extensions import db


@bp.route("/<int:year>/scheme/edit", methods=["GET", "POST"])
def edit_scheme(year: int):
    scope.require(current_user.is_admin)
    found = _scheme_or_404(year)
    if operations.published(year) is not None:
        flash(_("The results for %(year)s are published; their scheme can no longer change.",
                year=year), "error")
        return redirect(url_for("assessment.scheme", year=year)), 303
    form = SchemeEditForm()
    problems: list[str] = []
    status = 200
    if request.method == "GET":
        form.fill(found.document)
        _blank_rows(form)
    elif request.form.get("more"):
        _blank_rows(form, items=3)
    elif form.validate_on_submit():
        try:
            document = check(form.document(found.document))
        except SchemeError as error:
            problems = form.show(error.problems)
            status = 400
        else:
            _scheme, _created = operations.load_scheme(document, actor=current_user)
            db.session.commit()
            flash(_("Scheme for %(year)s saved.", year=year), "success")
            return redirect(url_for("assessment.scheme", year=year))
    else:
        status = 400
    return render_template("assessment/scheme_edit.html", scheme=found, form=form,
                           problems=problems), status


def _blank_rows(form: SchemeEditForm, items: int = 1) -> None:
    """Empty blocks to add an item, a grade or a tier (left empty, they are ignored)."""
    for _i in range(items):
        if len(form.items) < MAX_ITEMS:
            form.items.append_entry()
    if len(form.grades) < form.grades.max_entries:
        form.grades.append_entry()
    if len(form.tiers) < form.tiers.max_entries:
        form.tiers.append_entry()
