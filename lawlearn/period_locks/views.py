"""Period locks on the web: the county office locks and unlocks; coordinators see, read only,
which periods of their town are locked. Leaders have no business here (403)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lawlearn import clock, scope
from lawlearn.areas.queries import area_choices
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, PeriodLock
from lawlearn.period_locks import period_label
from lawlearn.period_locks.forms import LockForm, UnlockForm
from lawlearn.period_locks.operations import LockError, lock_period, parse_period, unlock_period
from lawlearn.period_locks.queries import lock_list

bp = Blueprint("period_locks", __name__, url_prefix="/locks")
PER_PAGE = 50


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.is_leader:
        abort(403)
    return None


def _visible():
    """The locks on the user's area and under it, and those of its ancestors, which cover it:
    a county office sees its county's (an office without an area, every one), a coordinator
    their town's and the county's."""
    root = scope.scope_root()
    return lock_list() if root is None else lock_list(root, with_ancestors=True)


@bp.route("/", methods=["GET", "POST"])
def index():
    form = None
    if current_user.is_admin:
        form = LockForm(areas=area_choices(("county", "town")), today=clock.today())
        if request.method == "GET":  # the month most often locked: the one just reported
            first = clock.today().replace(day=1)
            form.period.data = f"{first - timedelta(days=1):%Y-%m}"
        if form.validate_on_submit():
            area = scope.get_area_or_404(form.area_id.data)
            try:
                lock = lock_period(area, *parse_period(*_split(form.period.data)),
                                   form.reason.data, actor=current_user)
            except LockError as error:
                db.session.rollback()
                form.period.errors = [*form.period.errors, str(error)]
            else:
                db.session.commit()
                flash(_("%(period)s is locked for %(area)s.", period=period_label(lock),
                        area=area.name), "success")
                return redirect(url_for("period_locks.index"))
    elif request.method == "POST":
        abort(403)
    page = db.paginate(_visible(), per_page=PER_PAGE, error_out=False)
    status = 400 if form is not None and form.errors else 200
    return render_template("period_locks/index.html", form=form, page=page,
                           period_label=period_label), status


def _split(value: str) -> tuple[str | None, str | None]:
    return (None, value) if "Q" in value else (value, None)


def _lock_or_404(lock_id: int) -> PeriodLock:
    found = db.session.scalar(sa.select(PeriodLock).join(Area, Area.id == PeriodLock.area_id)
                              .where(PeriodLock.id == lock_id, scope.area_filter()))
    if found is None:
        abort(404)
    return found


@bp.route("/<int:lock_id>/unlock", methods=["GET", "POST"])
def unlock(lock_id: int):
    scope.require(current_user.is_admin)
    lock = _lock_or_404(lock_id)
    form = UnlockForm()
    if lock.in_force and form.validate_on_submit():
        try:
            unlock_period(lock, form.reason.data, actor=current_user)
        except LockError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            db.session.commit()
            flash(_("%(period)s is unlocked for %(area)s.", period=period_label(lock),
                    area=lock.area.name), "success")
            return redirect(url_for("period_locks.index"))
    status = 400 if form.errors else (409 if not lock.in_force and form.is_submitted() else 200)
    return render_template("period_locks/unlock.html", lock=lock, form=form,
                           period_label=period_label), status
