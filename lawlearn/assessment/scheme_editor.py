"""The scheme editor (考核细则 on the web): the county office starts a year's scheme from last
year's, and changes it in the browser, item by item on one page, without a file.

What is saved goes through lawlearn.assessment.scheme.check, as a YAML upload and `lawlearn
assess load` do, and through operations.load_scheme (audited); a refused scheme stores nothing
and comes back as typed, each problem beside its field. A published year's scheme is final on
the web, as its entries are: the snapshot already holds the scheme the results used.
"""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lawlearn import scope
from lawlearn.assessment import operations
from lawlearn.assessment.forms import CopySchemeForm
from lawlearn.assessment.results import scheme_for
from lawlearn.assessment.scheme import SchemeError, check
from lawlearn.assessment.scheme_form import MAX_ITEMS, SchemeEditForm
from lawlearn.assessment.views import _scheme_or_404, bp
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _


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


@bp.post("/copy")
def copy():
    """Start a year's scheme from last year's: the same items and grades, the period moved
    on by the years between."""
    scope.require(current_user.is_admin)
    form = CopySchemeForm()
    if not form.validate_on_submit():
        flash(_("Enter a year between 2001 and 2100."), "error")
        return redirect(url_for("assessment.index")), 303
    year = form.year.data
    source = scheme_for(year - 1)
    if source is None:
        flash(_("There is no scheme for %(year)s to copy.", year=year - 1), "error")
        return redirect(url_for("assessment.index")), 303
    if scheme_for(year) is not None:
        flash(_("%(year)s already has a scheme; upload a file to replace it.", year=year),
              "error")
        return redirect(url_for("assessment.index")), 303
    document = dict(source.document, year=year,
                    title=source.document["title"].replace(str(year - 1), str(year)),
                    period=_moved(source.document["period"], 1))
    operations.load_scheme(check(document), actor=current_user)
    db.session.commit()
    flash(_("Scheme for %(year)s copied from %(last)s.", year=year, last=year - 1), "success")
    return redirect(url_for("assessment.scheme", year=year))


def _moved(period: dict, years: int) -> dict:
    def move(text: str) -> str:
        day = date.fromisoformat(text)
        try:
            return day.replace(year=day.year + years).isoformat()
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28).isoformat()

    return {"from": move(period["from"]), "to": move(period["to"])}
