"""Staff accounts: the office creates coordinators and leaders; a coordinator creates leaders
for the units of their town."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from lawlearn import codes, scope
from lawlearn.accounts.forms import AccountForm
from lawlearn.areas.queries import area_choices
from lawlearn.auth import operations
from lawlearn.auth.forms import ResetPasswordForm
from lawlearn.extensions import db
from lawlearn.models import Area, StudyUnit, User, leader_units

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.before_request
@login_required
def staff_only():
    if current_user.is_leader:
        abort(403)


def accounts_in_scope() -> sa.Select:
    """Accounts whose scope lies inside the user's: coordinators and admins by their area,
    leaders by any of their units."""
    in_area = User.area_id.in_(sa.select(Area.id).where(scope.area_filter()))
    leads_here = User.id.in_(
        sa.select(leader_units.c.user_id)
        .join(StudyUnit, StudyUnit.id == leader_units.c.unit_id)
        .where(scope.unit_filter())
    )
    stmt = sa.select(User).options(
        sa.orm.selectinload(User.units).joinedload(StudyUnit.area), sa.orm.joinedload(User.area))
    if current_user.is_admin and current_user.area is None:
        return stmt.order_by(User.username)
    return stmt.where(sa.or_(in_area, leads_here, User.id == current_user.user.id)).order_by(
        User.username)


def get_account_or_404(user_id: int) -> User:
    user = db.session.scalar(accounts_in_scope().where(User.id == user_id))
    if user is None:
        abort(404)
    return user


def may_reset_password(user: User) -> bool:
    """The office resets anyone's password; a coordinator their town's leaders'. Nobody resets
    their own (they change it, knowing the current one)."""
    if user.id == current_user.user.id:
        return False
    return current_user.is_admin or (current_user.is_coordinator and user.role == "leader")


@bp.get("/")
def index():
    page = db.paginate(accounts_in_scope(), per_page=50, error_out=False)
    return render_template("accounts/index.html", page=page,
                           may_manage=scope.may_manage_account, may_reset=may_reset_password)


@bp.route("/<int:user_id>/reset-password", methods=["GET", "POST"])
def reset_password(user_id: int):
    user = get_account_or_404(user_id)
    if not may_reset_password(user):
        abort(403)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/reset.html", account=user, form=form)
    password = operations.reset_password(user, actor=current_user, address=get_remote_address())
    db.session.commit()
    # Rendered, not flashed: a flash would sit in the (signed, not encrypted) session cookie.
    response = make_response(render_template("accounts/reset_done.html", account=user,
                                             password=password))
    response.headers["Cache-Control"] = "no-store"
    return response


def _form() -> AccountForm:
    roles = ["coordinator", "leader"] if current_user.is_admin else ["leader"]
    towns = area_choices(("town",)) if current_user.is_admin else []
    units = [(u.id, f"{u.name}（{u.code}）") for u in db.session.scalars(
        sa.select(StudyUnit).where(scope.unit_filter(), StudyUnit.status == "active")
        .order_by(StudyUnit.code))]
    form = AccountForm(roles=[(r, codes.ROLES.label(r)) for r in roles], towns=towns, units=units)
    if not current_user.is_admin:
        del form.area_id
    return form


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = _form()
    if form.validate_on_submit():
        area = None
        if form.role.data == "coordinator":
            area = scope.get_area_or_404(form.area_id.data)
        units = [scope.get_unit_or_404(i) for i in form.unit_ids.data] \
            if form.role.data == "leader" else []
        try:
            user = operations.create_user(
                username=form.username.data, password=form.password.data, role=form.role.data,
                area=area, units=units, display_name=form.display_name.data or None,
                actor=current_user)
        except operations.AccountError as error:
            db.session.rollback()
            form.username.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("accounts.index"))
    return render_template("accounts/form.html", form=form), 400 if form.errors else 200


@bp.post("/<int:user_id>/disable")
def disable(user_id: int):
    user = get_account_or_404(user_id)
    scope.require(scope.may_manage_account(user))
    user.active = False
    operations.end_all_logins(user)
    from lawlearn.audit import record

    record(current_user, "disable", user)
    db.session.commit()
    flash(_("Account %(name)s disabled; its sessions have ended.", name=user.username), "success")
    return redirect(url_for("accounts.index"))


@bp.post("/<int:user_id>/enable")
def enable(user_id: int):
    user = get_account_or_404(user_id)
    scope.require(scope.may_enable_account(user))
    user.active = True
    from lawlearn.audit import record

    record(current_user, "enable", user)
    db.session.commit()
    flash(_("Account %(name)s enabled.", name=user.username), "success")
    return redirect(url_for("accounts.index"))
