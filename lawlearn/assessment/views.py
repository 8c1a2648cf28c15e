"""The assessment pages: schemes (upload, download, view; copying and editing are in
scheme_editor), the county's ranking, and each town's scores with the arithmetic in words
and its entries.

Who sees what: the county office everything in its scope; a town's coordinator only their own
town (its scores, its entries as self-assessment, the scheme); leaders nothing.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import orm

from lawlearn import clock, scope
from lawlearn.assessment import explain, operations, scheme_sheet
from lawlearn.assessment.exports import to_csv, to_xlsx
from lawlearn.assessment.forms import (
    CopySchemeForm,
    EntryForm,
    EvidenceForm,
    ReviewForm,
    SchemeUploadForm,
)
from lawlearn.assessment.results import scheme_for, score_towns
from lawlearn.assessment.scheme import (
    SchemeError,
    entry_items,
    parse_yaml,
    tier_of,
    to_yaml,
)
from lawlearn.assessment.scoring import as_json_number, tier_ranks
from lawlearn.assessment.sheet import sheet_rows
from lawlearn.assessment.sheet import to_xlsx as sheet_to_xlsx
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, AssessmentEntry, AssessmentRectification, AssessmentScheme
from lawlearn.models.assessment import RECTIFICATION_ACCEPTED, SELF_ASSESSED

bp = Blueprint("assessment", __name__, url_prefix="/assessment")


@bp.before_request
@login_required
def staff_only():
    if current_user.is_leader:
        abort(403)


def _scheme_or_404(year: int) -> AssessmentScheme:
    scheme = scheme_for(year) if 2000 <= year <= 2100 else None
    if scheme is None:
        abort(404)
    return scheme


def _county() -> Area:
    """The area whose children are ranked: the office's own area, else the only root."""
    root = scope.scope_root()
    if root is None:
        roots = db.session.scalars(sa.select(Area).where(Area.parent_id.is_(None))
                                   .order_by(Area.code).limit(2)).all()
        if len(roots) != 1:
            abort(404)
        root = roots[0]
    return root


def _town_or_404(area_id: int) -> Area:
    """A town the user may assess: a coordinator's own town only; for the office, any child
    of its area."""
    area = scope.get_area_or_404(area_id)
    if current_user.is_coordinator and area.id != current_user.user.area_id:
        abort(404)
    if current_user.is_admin and area.parent_id != _county().id:
        abort(404)
    return area


@bp.get("/")
def index():
    schemes = db.session.scalars(sa.select(AssessmentScheme)
                                 .order_by(AssessmentScheme.year.desc())).all()
    copy_form = None
    if current_user.is_admin and schemes:
        copy_form = CopySchemeForm(data={"year": schemes[0].year + 1})
    return render_template("assessment/index.html", schemes=schemes, copy_form=copy_form,
                           this_year=clock.today().year)


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    scope.require(current_user.is_admin)
    form = SchemeUploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            data = form.file.data.read()
            is_xlsx = (form.file.data.filename or "").lower().endswith(".xlsx")
            document = scheme_sheet.read_xlsx(data) if is_xlsx else parse_yaml(data)
        except SchemeError as error:
            problems = error.problems
        else:
            if operations.published(document["year"]) is not None:
                return render_template("assessment/upload.html", form=form, problems=[_(
                    "The results for %(year)s are published; their scheme can no longer "
                    "change.", year=document["year"])]), 409
            scheme, created = operations.load_scheme(document, actor=current_user)
            db.session.commit()
            flash(_("Scheme for %(year)s loaded.", year=scheme.year) if created else
                  _("Scheme for %(year)s replaced.", year=scheme.year), "success")
            return redirect(url_for("assessment.scheme", year=scheme.year))
    status = 400 if form.errors or problems else 200
    return render_template("assessment/upload.html", form=form, problems=problems), status


@bp.get("/<int:year>/scheme")
def scheme(year: int):
    found = _scheme_or_404(year)
    groups: list[tuple[str | None, list[dict]]] = []
    for item in found.items:
        group = item.get("group")
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(item)
    return render_template("assessment/scheme.html", scheme=found, groups=groups,
                           rule_words=explain.rule_words)


@bp.get("/<int:year>/scheme.yaml")
def download_scheme(year: int):
    found = _scheme_or_404(year)
    return Response(to_yaml(found.document), mimetype="application/yaml; charset=utf-8",
                    headers={"Content-Disposition":
                             f"attachment; filename=assessment-{year}.yaml"})


@bp.get("/<int:year>/")
def results(year: int):
    found = _scheme_or_404(year)
    if current_user.is_coordinator:
        return redirect(url_for("assessment.town", year=year,
                                area_id=current_user.user.area_id))
    county = _county()
    approved_only = request.args.get("basis") == "approved"  # live scores of approved sessions
    report, towns = score_towns(found, county, approved_only=approved_only)
    pending = db.session.scalar(sa.select(sa.func.count()).select_from(AssessmentEntry).join(
        Area, Area.id == AssessmentEntry.area_id).where(
        AssessmentEntry.year == year, AssessmentEntry.status == SELF_ASSESSED,
        Area.parent_id == county.id))
    ids = dict(db.session.execute(sa.select(Area.code, Area.id).where(
        Area.parent_id == county.id)).all())
    publication = operations.published(year)
    frozen = {row["code"]: row for row in publication.results["rows"]} if publication else {}
    tiers = tier_of(found.document)
    # Year over year: the published results of the year before, when there are any.
    last = operations.published(year - 1)
    last_year = {row["code"]: row for row in last.results["rows"]} if last else {}
    return render_template("assessment/results.html", scheme=found, county=county,
                           rectifications=rectifications(year, county=county),
                           report=report, towns=towns, ids=ids, pending=pending,
                           plain=explain.plain, publication=publication, frozen=frozen,
                           as_json_number=as_json_number, tiers=tiers,
                           tier_ranks=tier_ranks(towns, tiers), last_year=last_year,
                           approved_only=approved_only)


@bp.post("/<int:year>/publish")
def publish(year: int):
    """Freeze the year's results as they are now; publishing again replaces the snapshot."""
    scope.require(current_user.is_admin)
    found = _scheme_or_404(year)
    from lawlearn.assessment.results import score_report

    operations.publish(found, score_report(found, _county()), actor=current_user)
    db.session.commit()
    flash(_("Results for %(year)s published; entries for the year are now locked.",
            year=year), "success")
    return redirect(url_for("assessment.results", year=year))


@bp.get("/<int:year>/towns/<int:area_id>/sheet")
def sheet(year: int, area_id: int):
    found = _scheme_or_404(year)
    area = _town_or_404(area_id)
    totals, rows = sheet_rows(found, area)
    return render_template("assessment/sheet.html", scheme=found, area=area, totals=totals,
                           rows=rows, plain=explain.plain, generated_at=clock.now())


@bp.get("/<int:year>/towns/<int:area_id>/sheet.xlsx")
def sheet_xlsx(year: int, area_id: int):
    found = _scheme_or_404(year)
    area = _town_or_404(area_id)
    totals, rows = sheet_rows(found, area)
    body = sheet_to_xlsx(found, area, totals, rows, clock.now())
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument."
                                    "spreadsheetml.sheet", headers={
        "Content-Disposition": f"attachment; filename=assessment-{year}-{area.code}.xlsx"})


@bp.get("/<int:year>/scheme.xlsx")
def download_scheme_xlsx(year: int):
    """The scheme in the office's columns (考核细则表); uploading it back loads it."""
    found = _scheme_or_404(year)
    return Response(scheme_sheet.to_xlsx(found.document),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition":
                             f"attachment; filename=assessment-{year}.xlsx"})


@bp.get("/<int:year>/scores.<fmt>")
def export(year: int, fmt: str):
    found = _scheme_or_404(year)
    scope.require(current_user.is_admin)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    from lawlearn.assessment.results import score_report

    report = score_report(found, _county())
    items = [item["code"] for item in found.items]
    if fmt == "csv":
        body, mimetype = to_csv(report, items), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(report, items, clock.now())
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=assessment-{year}.{fmt}"})


def _town_page(found: AssessmentScheme, area: Area, forms: dict | None = None,
               review_forms: dict | None = None, status: int = 200):
    parent = db.session.get(Area, area.parent_id)
    _report, towns = score_towns(found, parent)
    town = next(t for t in towns if t.code == area.code)
    entries = {e.item: e for e in db.session.scalars(sa.select(AssessmentEntry).where(
        AssessmentEntry.area_id == area.id, AssessmentEntry.year == found.year))}
    items = entry_items(found.document)
    forms = forms or {}
    review_forms = review_forms or {}
    for code in items:
        entry = entries.get(code)
        if code not in forms:
            value = entry.claimed if entry and current_user.is_coordinator and entry.claimed \
                is not None else (entry.value if entry else None)
            forms[code] = EntryForm(formdata=None, prefix=code, data={
                "value": None if value is None else format(value.normalize(), "f"),
                "note": entry.note if entry else ""})
        if current_user.is_admin and entry and entry.status == SELF_ASSESSED \
                and code not in review_forms:
            review_forms[code] = ReviewForm(formdata=None, prefix=f"review-{code}", data={
                "value": format(entry.claimed.normalize(), "f")})
    return render_template("assessment/town.html", scheme=found, area=area, town=town,
                           ranked=len(towns), entries=entries, entry_items=items, forms=forms,
                           review_forms=review_forms, explain=explain.explain,
                           locked=operations.published(found.year) is not None,
                           rectification=operations.rectification_for(area, found.year),
                           evidence_form=lambda code: EvidenceForm(formdata=None,
                                                                   prefix=f"evidence-{code}"),
                           link_form=lambda code: session_links.link_form(found, area, code),
                           lost=explain.lost, plain=explain.plain), status


def _locked(found: AssessmentScheme, area: Area):
    """Published results are final: the year's entries can no longer change on the web."""
    if operations.published(found.year) is None:
        return None
    flash(_("The results for %(year)s are published; entries for the year are locked.",
            year=found.year), "error")
    return _town_page(found, area, status=409)


@bp.get("/<int:year>/towns/<int:area_id>")
def town(year: int, area_id: int):
    return _town_page(_scheme_or_404(year), _town_or_404(area_id))


@bp.post("/<int:year>/towns/<int:area_id>/entries/<item>")
def save_entry(year: int, area_id: int, item: str):
    found = _scheme_or_404(year)
    area = _town_or_404(area_id)
    if item not in entry_items(found.document):
        abort(404)
    if (locked := _locked(found, area)) is not None:
        return locked
    form = EntryForm(prefix=item)
    if not form.validate_on_submit():
        return _town_page(found, area, forms={item: form}, status=400)
    value, note = form.value.value, (form.note.data or "").strip() or None
    if current_user.is_admin:
        operations.set_entry(area=area, year=year, item=item, value=value, note=note,
                             actor=current_user)
        flash(_("Entry saved."), "success")
    else:
        operations.self_assess(area=area, year=year, item=item, claimed=value, note=note,
                               actor=current_user)
        flash(_("Self-assessment saved; the county office will review it."), "success")
    db.session.commit()
    return redirect(url_for("assessment.town", year=year, area_id=area.id) + f"#item-{item}")


@bp.post("/<int:year>/towns/<int:area_id>/entries/<item>/review")
def review_entry(year: int, area_id: int, item: str):
    scope.require(current_user.is_admin)
    found = _scheme_or_404(year)
    area = _town_or_404(area_id)
    entry = operations.entry_for(area, year, item)
    if entry is None or entry.status != SELF_ASSESSED:
        abort(404)
    if (locked := _locked(found, area)) is not None:
        return locked
    form = ReviewForm(prefix=f"review-{item}")
    if form.validate_on_submit():
        value = getattr(form.value, "value", None)
        reason = (form.reason.data or "").strip() or None
        if value is not None and value != entry.claimed and not reason:
            form.reason.errors.append(_("Give a reason for the adjustment."))
        else:
            operations.review_entry(entry, value=value, reason=reason, actor=current_user)
            db.session.commit()
            flash(_("Review saved."), "success")
            return redirect(url_for("assessment.town", year=year, area_id=area.id)
                            + f"#item-{item}")
    return _town_page(found, area, review_forms={item: form}, status=400)


def rectifications(year: int | None = None, *, county: Area | None = None,
                   town: Area | None = None) -> list:
    """Rectification tasks as (task, overdue) pairs, the county's towns' for a year or one
    town's still unaccepted, with their areas in the same query."""
    from lawlearn.assessment.rectification_views import is_overdue

    query = sa.select(AssessmentRectification).join(
        Area, Area.id == AssessmentRectification.area_id).options(
        orm.contains_eager(AssessmentRectification.area))
    if county is not None:
        query = query.where(Area.parent_id == county.id, AssessmentRectification.year == year)
    if town is not None:
        query = query.where(Area.id == town.id,
                            AssessmentRectification.status != RECTIFICATION_ACCEPTED)
    tasks = db.session.scalars(query.order_by(AssessmentRectification.year.desc(),
                                              Area.code)).all()
    return [(task, is_overdue(task)) for task in tasks]


def provisional(area: Area, today: date) -> dict | None:
    """A coordinator's home page: their town's live score against this year's scheme."""
    found = scheme_for(today.year)
    if found is None or area.parent_id is None:
        return None
    _report, towns = score_towns(found, db.session.get(Area, area.parent_id))
    town = next((t for t in towns if t.code == area.code), None)
    if town is None:
        return None
    return {"scheme": found, "town": town, "total": as_json_number(town.total)}


# The evidence, session-link, rectification and scheme-editor routes live in their own
# modules, on this blueprint.
from lawlearn.assessment import (  # noqa: E402, F401
    evidence_views,
    rectification_views,
    scheme_editor,
    session_links,
)
