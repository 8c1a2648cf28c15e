"""Budgets on the web: the overview of every town the user sees, the county's standard, and a
town's page (planned / allocated / disbursed / spent, allocations, disbursements with their
vouchers, spending per activity).

Who does what: the county office sets the standard and allocates; a town's coordinator (or
the office) records the town's disbursements with their vouchers. A coordinator sees their
own town only: another town's page, payment or voucher is a 404. Leaders have no budget pages
(403).
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
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from lawlearn import clock, scope
from lawlearn.audit import record
from lawlearn.budgets import exports, operations, queries, vouchers
from lawlearn.budgets.forms import AllocationForm, DisbursementForm, StandardForm
from lawlearn.budgets.money import percent, plain_yuan, yuan
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, BudgetAllocation, BudgetDisbursement, StudySession
from lawlearn.validation import sent_file_name

bp = Blueprint("budgets", __name__, url_prefix="/budgets")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.is_leader:
        abort(403)
    return None


@bp.app_template_filter("yuan")
def yuan_filter(fen):
    return yuan(fen)


@bp.app_template_filter("percent_rate")
def percent_filter(share):
    return percent(share)


def _office_only() -> None:
    if current_user.role != "admin":
        abort(403)


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _query_year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.today().year


def _town_or_404(area_id: int) -> Area:
    area = scope.get_area_or_404(area_id)
    if area.level != "town":
        abort(404)
    return area


@bp.get("/")
def index():
    year = _query_year()
    rows = queries.town_budgets(year, lambda area: scope.area_filter())
    counties = db.session.execute(
        sa.select(Area.id, Area.code, Area.name).where(Area.level == "county",
                                                       scope.area_filter())
        .order_by(Area.code)).all() if current_user.role == "admin" else []
    return render_template("budgets/index.html", year=year, rows=rows, counties=counties,
                           totals=queries.totals(rows), today=clock.today())


@bp.get("/budgets.xlsx")
def export():
    year = _query_year()
    rows = queries.town_budgets(year, lambda area: scope.area_filter())
    data = exports.overview_xlsx(rows, queries.totals(rows), year, clock.utcnow())
    _audit_export("overview", year)
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="budgets-{year}.xlsx"'})


def _audit_export(what: str, year: int, town_: Area | None = None) -> None:
    """Money figures leaving the system as a file: the audit trail says who took which."""
    record(current_user, "export", object_type="budgets",
           object_code=town_.code if town_ else None, area_id=town_.id if town_ else None,
           changes={"budget": what, "year": year, "format": "xlsx"})
    db.session.commit()


@bp.route("/standards/<int:area_id>/<int:year>", methods=["GET", "POST"])
def standard(area_id: int, year: int):
    _office_only()
    county = scope.get_area_or_404(area_id)
    if county.level != "county":
        abort(404)
    found = queries.standard_for(county.id, _year_or_404(year))
    form = StandardForm()
    if request.method == "GET" and found is not None:
        for name, column in StandardForm.FIELDS.items():
            getattr(form, name).data = plain_yuan(getattr(found, column))
    if form.validate_on_submit():
        operations.set_standard(county, year, form.values(), actor=current_user)
        db.session.commit()
        flash(_("The budget standard for %(year)d was saved.", year=year), "success")
        return redirect(url_for("budgets.index", year=year))
    code = 400 if request.method == "POST" else 200
    return render_template("budgets/standard.html", county=county, year=year, form=form,
                           found=found), code


def _town_page(town: Area, year: int, *, allocation_form=None, payment_form=None,
               status: int = 200):
    allocation_form = allocation_form or AllocationForm(prefix="allocation")
    payment_form = payment_form or _payment_form(town, year)
    return render_template(
        "budgets/town.html", town=town, year=year, figures=queries.town_budget(town, year),
        standard=queries.standard_for(town.parent_id, year),
        breakdown=queries.breakdown(town, year), allocations=queries.allocations(town, year),
        payments=queries.disbursements(town, year), activities=queries.by_activity(town, year),
        allocation_form=allocation_form, payment_form=payment_form,
        may_allocate=current_user.role == "admin", today=clock.today(),
        printing=request.args.get("print") == "1"), status


def _payment_form(town: Area, year: int) -> DisbursementForm:
    form = DisbursementForm(prefix="payment")
    form.study_session.choices = [(0, _("No study session"))] + [
        (s.id, f"{s.held_on.isoformat()} · {s.name} · {s.code}")
        for s in queries.session_choices(town, year)]
    return form


@bp.get("/towns/<int:area_id>/<int:year>")
def town(area_id: int, year: int):
    return _town_page(_town_or_404(area_id), _year_or_404(year))


@bp.get("/towns/<int:area_id>/<int:year>/budget.xlsx")
def town_export(area_id: int, year: int):
    town_ = _town_or_404(area_id)
    data = exports.town_xlsx(town_, _year_or_404(year), queries.town_budget(town_, year),
                             queries.allocations(town_, year),
                             queries.disbursements(town_, year), clock.utcnow())
    _audit_export("town", year, town_)
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="budget-{town_.code}-{year}.xlsx"'})


@bp.post("/towns/<int:area_id>/<int:year>/allocations")
def allocate(area_id: int, year: int):
    _office_only()
    town_ = _town_or_404(area_id)
    _year_or_404(year)
    form = AllocationForm(prefix="allocation")
    if form.validate_on_submit():
        try:
            operations.allocate(town_, year, amount_fen=form.amount.fen,
                                allocated_on=form.allocated_on.data, note=form.note.data,
                                actor=current_user)
        except operations.BudgetError as error:
            db.session.rollback()
            form.allocated_on.errors = [*form.allocated_on.errors, str(error)]
        else:
            db.session.commit()
            flash(_("%(amount)s allocated to %(town)s.", amount=yuan(form.amount.fen),
                    town=town_.name), "success")
            return redirect(url_for("budgets.town", area_id=town_.id, year=year))
    return _town_page(town_, year, allocation_form=form, status=400)


@bp.post("/towns/<int:area_id>/<int:year>/disbursements")
def disburse(area_id: int, year: int):
    town_ = _town_or_404(area_id)
    _year_or_404(year)
    form = _payment_form(town_, year)
    if form.validate_on_submit():
        problem = _record_payment(town_, year, form)
        if problem is None:
            flash(_("The payment of %(amount)s was recorded.", amount=yuan(form.amount.fen)),
                  "success")
            return redirect(url_for("budgets.town", area_id=town_.id, year=year))
        form.voucher.errors = [*form.voucher.errors, problem]
    return _town_page(town_, year, payment_form=form, status=400)


def _record_payment(town_: Area, year: int, form: DisbursementForm) -> str | None:
    """Check and store the voucher, record the payment, commit; the problem's words if not."""
    session_ = None
    if form.study_session.data:
        session_ = db.session.get(StudySession, form.study_session.data)
    upload = form.voucher.data
    try:
        prepared = vouchers.prepare_voucher(upload.stream, upload.filename or "")
    except vouchers.EvidenceError as error:
        return str(error)
    name = vouchers.store(prepared)
    try:
        operations.disburse(
            town_, year, paid_on=form.paid_on.data, amount_fen=form.amount.fen,
            payee=form.payee.data, purpose=form.purpose.data, activity=form.activity.data,
            study_session=session_,
            voucher=(name, sent_file_name(upload.filename), prepared.content_type),
            actor=current_user)
        db.session.commit()
    except operations.BudgetError as error:
        db.session.rollback()
        vouchers.remove_files([name])
        return str(error)
    return None


def _allocation_or_404(allocation_id: int) -> BudgetAllocation:
    found = db.session.get(BudgetAllocation, allocation_id) if allocation_id < 2**31 else None
    if found is None:
        abort(404)
    _town_or_404(found.area_id)
    return found


def _payment_or_404(payment_id: int) -> BudgetDisbursement:
    found = db.session.get(BudgetDisbursement, payment_id) if payment_id < 2**31 else None
    if found is None:
        abort(404)
    _town_or_404(found.area_id)
    return found


@bp.post("/allocations/<int:allocation_id>/remove")
def remove_allocation(allocation_id: int):
    _office_only()
    found = _allocation_or_404(allocation_id)
    town_id, year = found.area_id, found.year
    operations.remove_allocation(found, actor=current_user)
    db.session.commit()
    flash(_("The allocation was removed."), "success")
    return redirect(url_for("budgets.town", area_id=town_id, year=year))


@bp.post("/disbursements/<int:payment_id>/remove")
def remove_disbursement(payment_id: int):
    found = _payment_or_404(payment_id)
    town_id, year = found.area_id, found.year
    name = operations.remove_disbursement(found, actor=current_user)
    db.session.commit()
    vouchers.remove_files([name])
    flash(_("The payment was removed."), "success")
    return redirect(url_for("budgets.town", area_id=town_id, year=year))


@bp.get("/vouchers/<int:payment_id>")
def voucher(payment_id: int):
    found = _payment_or_404(payment_id)
    path = vouchers.path_of(found.voucher_filename)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=found.voucher_type, download_name=found.voucher_name,
                     as_attachment=found.voucher_type == "application/pdf")
