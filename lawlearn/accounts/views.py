"""Staff accounts: the office creates coordinators and leaders; a coordinator creates leaders
for the units of their town."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from lawlearn import codes, scope
from lawlearn.accounts import queries
from lawlearn.accounts.forms import AccountForm, UnitPickForm
from lawlearn.areas.queries import area_choices
from lawlearn.auth import operations
from lawlearn.auth.forms import ResetPasswordForm
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, StudyUnit, User, leader_units
from lawlearn.validation import database_id

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


# --- creating an account, in steps that need no JavaScript --------------------------------
# 1. the role (the office only: a coordinator creates leaders), GET ?role=…;
# 2. for a leader, the units: a GET form that narrows by town and name or code and keeps the
#    ticks, so a county of thousands of units is never one list;
# 3. the details (only the fields the role needs), POSTed to create the account.

def _roles() -> list[str]:
    return ["coordinator", "leader"] if current_user.is_admin else ["leader"]


def _towns() -> list[tuple[int, str]]:
    return area_choices(("town",)) if current_user.is_admin else []


def _details_form(role: str, units: list, formdata=None) -> AccountForm:
    return AccountForm(formdata=formdata, roles=[(r, codes.ROLES.label(r)) for r in _roles()],
                       role=role, towns=_towns() if role == "coordinator" else [],
                       units=[(u.id, u.name) for u, _area in units])


@bp.route("/new", methods=["GET", "POST"])
def create():
    roles = _roles()
    if request.method == "POST":
        # A role the user may not give fails the form's role choice (400), as before.
        return _create(request.form.get("role") or roles[0])
    role = request.args.get("role")
    if role not in roles:
        if len(roles) > 1:
            return render_template("accounts/choose_role.html",
                                   roles=[(r, codes.ROLES.label(r)) for r in roles])
        role = roles[0]
    if role == "leader" and not request.args.get("next"):
        return _pick_units()
    ids = request.args.getlist("unit", type=database_id) if role == "leader" else []
    units = queries.chosen_units(ids)
    if role == "leader" and not units:
        return _pick_units(_("Tick at least one study unit."))
    form = _details_form(role, units)
    form.role.data = role
    if role == "leader":
        form.unit_ids.data = [u.id for u, _area in units]
    return render_template("accounts/form.html", form=form, role=role, units=units,
                           roles=roles)


def _pick_units(problem: str | None = None):
    towns = _towns()
    pick = UnitPickForm(request.args, towns=towns)
    pick.validate()
    town = None
    if "town" in pick and pick.town.data and pick.town.data in {t for t, _l in towns}:
        town = scope.get_area_or_404(pick.town.data)
    q = (pick.q.data or "").strip() if not pick.q.errors else ""
    chosen = queries.chosen_units(request.args.getlist("unit", type=database_id))
    found, total = queries.unit_search(town, q) if (town or q or not towns) else ([], 0)
    chosen_ids = {u.id for u, _area in chosen}
    rows = chosen + [(u, a) for u, a in found if u.id not in chosen_ids]
    pick.unit.choices = [(u.id, f"{u.name}（{u.code}）· {area}") for u, area in rows]
    pick.unit.data = sorted(chosen_ids)
    return render_template("accounts/pick_units.html", pick=pick, total=total,
                           shown=len(found), searched=bool(town or q or not towns),
                           problem=problem, roles=_roles(), role="leader"), \
        400 if problem else 200


def _create(role: str):
    units = queries.chosen_units(request.form.getlist("unit_ids", type=database_id)) \
        if role == "leader" else []
    form = _details_form(role, units, formdata=request.form)
    if form.validate_on_submit():
        area = None
        if form.role.data == "coordinator":
            area = scope.get_area_or_404(form.area_id.data)
        chosen = [u for u, _area in units] if form.role.data == "leader" else []
        try:
            user = operations.create_user(
                username=form.username.data, password=form.password.data, role=form.role.data,
                area=area, units=chosen, display_name=form.display_name.data or None,
                actor=current_user)
        except operations.AccountError as error:
            db.session.rollback()
            form.username.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("accounts.index"))
    return render_template("accounts/form.html", form=form, role=role, units=units,
                           roles=_roles()), 400 if form.errors else 200


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
