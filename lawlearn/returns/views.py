"""Monthly returns on the web: the county's year board (submitted on time, late, missing) and
a town's return for a month, pre-filled from that month's coverage figures."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lawlearn import clock, scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, MonthlyReturn
from lawlearn.returns import queries
from lawlearn.returns.forms import ReturnForm
from lawlearn.returns.operations import ReturnError, month_figures, submit_return

bp = Blueprint("returns", __name__, url_prefix="/returns")


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.is_leader:
        abort(403)
    return None


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.today().year


@bp.get("/")
def index():
    year = _year()
    towns = db.session.execute(
        sa.select(Area.id, Area.code, Area.name, Area.path)
        .where(Area.level == "town", scope.area_filter()).order_by(Area.code)).all()
    today = clock.today()
    board = queries.year_board(towns, year, today)
    return render_template("returns/index.html", board=board, year=year, today=today,
                           months=queries.months_of(year, today), due_day=queries.due_day())


@bp.route("/<int:area_id>/<int:year>/<int:month>", methods=["GET", "POST"])
def month(area_id: int, year: int, month: int):
    area = scope.get_area_or_404(area_id)
    if area.level != "town" or not (2000 <= year <= 2100 and 1 <= month <= 12):
        abort(404)
    first, today = date(year, month, 1), clock.today()
    if first > today.replace(day=1):
        abort(404)
    found = db.session.scalar(sa.select(MonthlyReturn).where(
        MonthlyReturn.area_id == area.id, MonthlyReturn.month == first))
    form = ReturnForm(obj=found)
    if form.validate_on_submit():
        try:
            submit_return(area, first, form.summary.data, actor=current_user)
        except ReturnError as error:
            db.session.rollback()
            form.summary.errors = [*form.summary.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The return for %(month)s was submitted.", month=f"{first:%Y-%m}"),
                  "success")
            return redirect(url_for("returns.index", year=year))
    figures = found.figures if found is not None else month_figures(area, first, today)
    status = queries.status(first, found.submitted_on if found else None, today)
    code = 400 if request.method == "POST" else 200
    return render_template("returns/month.html", area=area, month=first, form=form,
                           found=found, figures=figures, status=status,
                           due=queries.due_date(first)), code
