"""Recognised units on the web, for staff: the list, nominating a unit, a recognition's page
with the next steps its status and the user's role allow, the printable plaque and its QR code.

Scope first (another town's recognition or unit is a 404), then the role (403), then the
status (409: approving twice, reviewing a rejected nomination), then the input (400: a
rejection without a reason). One commit per request, Post/Redirect/Get.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lawlearn import clock, codes, scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.recognition import operations, queries, words
from lawlearn.recognition.forms import ConfirmForm, NominationForm, NoteForm, ReasonForm
from lawlearn.recognition.operations import RecognitionError
from lawlearn.recognition.signing import token_for

bp = Blueprint("recognition", __name__, url_prefix="/recognitions")
PER_PAGE = 25


@bp.before_request
@login_required
def signed_in():
    pass


@bp.app_template_global("recognition_label")
def recognition_label(code: str, which: str = "STATUSES") -> str:
    """The title a kind earns (which="TITLES"), a status or a public standing, translated."""
    return getattr(words, which).label(code)


def verification_url(recognition) -> str:
    return url_for("recognition_public.verify", token=token_for(recognition.id), _external=True)


# --- the list --------------------------------------------------------------------------------

def _filters() -> tuple[int | None, str | None, str | None]:
    year = request.args.get("year", type=int)
    year = year if year and 2000 <= year <= 2100 else None
    status = request.args.get("status")
    status = status if status in words.STATUSES else None
    kind = request.args.get("kind")
    kind = kind if kind in codes.KINDS else None
    return year, status, kind


@bp.get("/")
def index():
    year, status, kind = _filters()
    page = db.paginate(queries.recognition_list(year, status, kind), per_page=PER_PAGE,
                       error_out=False)
    counts = queries.status_counts(year, kind)
    this_year = clock.today().year
    return render_template("recognition/index.html", page=page, counts=counts, year=year,
                           status=status, kind=kind, statuses=words.STATUSES,
                           years=list(range(this_year + 1, this_year - 5, -1)))


# --- nominating ------------------------------------------------------------------------------

def nomination_years() -> list[int]:
    """This year or next: a recognition is for a year still to be lived."""
    year = clock.today().year
    return [year, year + 1]


@bp.route("/units/<int:unit_id>/nominate", methods=["GET", "POST"])
def nominate(unit_id: int):
    unit = scope.get_unit_or_404(unit_id)
    scope.require(operations.may("nominate", current_user))
    form = NominationForm(years=nomination_years())
    if form.validate_on_submit():
        try:
            recognition = operations.nominate(unit, form.year.data, form.statement.data,
                                              actor=current_user)
        except RecognitionError as error:
            db.session.rollback()
            form.year.errors = [*form.year.errors, str(error)]
        else:
            db.session.commit()
            flash(_("%(unit)s is nominated for %(year)s.", unit=unit.name,
                    year=recognition.year), "success")
            return redirect(url_for("recognition.show", recognition_id=recognition.id))
    return render_template("recognition/nominate.html", unit=unit, form=form), \
        400 if form.errors else 200


# --- one recognition -------------------------------------------------------------------------

FORMS = {"forward": NoteForm, "reject": ReasonForm, "approve": ConfirmForm, "revoke": ReasonForm,
         "renew": NoteForm}


def _show(recognition, forms=None, error=None, status=200):
    steps = operations.next_steps(recognition, current_user)
    forms = {step: (forms or {}).get(step) or FORMS[step](formdata=None) for step in steps}
    public = recognition.status in words.PUBLIC_STATUSES
    return render_template(
        "recognition/show.html", recognition=recognition, unit=recognition.unit,
        steps=steps, forms=forms, error=error, today=clock.today(),
        verify_url=verification_url(recognition) if public else None,
        renewals=queries.renewals_of(recognition)), status


@bp.get("/<int:recognition_id>")
def show(recognition_id: int):
    return _show(queries.get_or_404(recognition_id))


def _step(recognition_id: int, step: str, run, done: str):
    recognition = queries.get_or_404(recognition_id)
    scope.require(operations.may(step, current_user))
    form = FORMS[step]()
    if not form.validate_on_submit():
        return _show(recognition, {step: form}, status=400)
    try:
        result = run(recognition, form)
    except RecognitionError as error:
        db.session.rollback()
        return _show(queries.get_or_404(recognition_id), {step: form}, error=str(error),
                     status=409)
    target = result if result is not None else recognition
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("recognition.show", recognition_id=target.id))


@bp.post("/<int:recognition_id>/forward")
def forward(recognition_id: int):
    return _step(recognition_id, "forward", lambda r, f: operations.forward(
        r, f.note.data, actor=current_user), _("Forwarded to the county office."))


@bp.post("/<int:recognition_id>/reject")
def reject(recognition_id: int):
    return _step(recognition_id, "reject", lambda r, f: operations.reject(
        r, f.reason.data, actor=current_user), _("The nomination is rejected."))


@bp.post("/<int:recognition_id>/approve")
def approve(recognition_id: int):
    return _step(recognition_id, "approve", lambda r, f: operations.approve(
        r, actor=current_user), _("Approved: the unit is recognised. Print its plaque."))


@bp.post("/<int:recognition_id>/revoke")
def revoke(recognition_id: int):
    return _step(recognition_id, "revoke", lambda r, f: operations.revoke(
        r, f.reason.data, actor=current_user),
        _("Revoked: the verification page now says so."))


@bp.post("/<int:recognition_id>/renew")
def renew(recognition_id: int):
    return _step(recognition_id, "renew", lambda r, f: operations.renew(
        r, f.note.data, actor=current_user), _("Renewed for the next year."))


# --- the plaque ------------------------------------------------------------------------------

def _approved_or_404(recognition_id: int):
    recognition = queries.get_or_404(recognition_id)
    if recognition.status != "approved":
        abort(404)
    return recognition


@bp.get("/<int:recognition_id>/plaque")
def plaque(recognition_id: int):
    recognition = _approved_or_404(recognition_id)
    unit = recognition.unit
    return render_template("recognition/plaque.html", recognition=recognition, unit=unit,
                           area_line=queries.area_line(unit.area),
                           issuer=queries.issuer(unit.area),
                           verify_url=verification_url(recognition))


@bp.get("/<int:recognition_id>/qr.svg")
def qr(recognition_id: int):
    from lawlearn.sessions.checkin import qr_svg

    recognition = _approved_or_404(recognition_id)
    response = Response(qr_svg(verification_url(recognition)), mimetype="image/svg+xml")
    response.cache_control.private = True
    return response
