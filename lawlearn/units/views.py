"""Registering, browsing and maintaining study units and their rosters."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lawlearn import codes, scope
from lawlearn.areas.queries import ancestors, area_choices
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import RosterMember
from lawlearn.recognition import queries as recognition_queries
from lawlearn.units import operations, queries
from lawlearn.units.forms import MemberForm, UnitForm
from lawlearn.validation import database_id

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.before_request
@login_required
def signed_in():
    pass


@bp.get("/")
def index():
    kind = request.args.get("kind") if request.args.get("kind") in codes.KINDS else None
    status = request.args.get("status", "active")
    status = status if status in codes.UNIT_STATUSES else None  # "all"
    area = None
    if area_id := request.args.get("area", type=database_id):
        area = scope.get_area_or_404(area_id)
    q = request.args.get("q", "").strip()
    page = db.paginate(queries.unit_list(kind=kind, status=status, area=area, q=q),
                       per_page=25, error_out=False)
    towns = [] if current_user.is_leader else area_choices(("county", "town"))
    return render_template("units/index.html", page=page, kind=kind, status=status or "all",
                           area=area, q=q, towns=towns,
                           may_register=scope.may_register_units())


@bp.get("/new")
def choose_kind():
    scope.require(scope.may_register_units())
    return render_template("units/choose_kind.html")


@bp.route("/new/<kind>", methods=["GET", "POST"])
def register(kind: str):
    scope.require(scope.may_register_units())
    if kind not in codes.KINDS:
        abort(404)
    form = UnitForm(kind=kind)
    if request.method == "GET" and request.args.get("area", type=database_id):
        form.area_id.data = request.args.get("area", type=database_id)
    if form.validate_on_submit():
        area = scope.get_area_or_404(form.area_id.data)
        unit = operations.register_unit(kind=kind, area=area, code=form.code.data or None,
                                        actor=current_user, **form.unit_fields())
        db.session.commit()
        flash(_("Study unit %(name)s registered with code %(code)s.", name=unit.name,
                code=unit.code), "success")
        return redirect(url_for("units.show", unit_id=unit.id))
    return render_template("units/form.html", form=form, kind=kind, unit=None), \
        400 if form.errors else 200


@bp.get("/<int:unit_id>")
def show(unit_id: int):
    unit = scope.get_unit_or_404(unit_id)
    members = db.paginate(queries.roster(unit), per_page=50, error_out=False)
    return render_template("units/show.html", unit=unit, members=members,
                           trail=_trail(unit), member_form=MemberForm(),
                           may_edit=scope.may_register_units(),
                           quizzes=queries.suggested_quizzes(unit.kind),
                           recognitions=recognition_queries.for_unit(unit))


def _trail(unit) -> list:
    """Breadcrumb areas down to the unit's, starting at the user's own top area: a link
    above it would only lead to a 404."""
    root = scope.scope_root()
    return [a for a in ancestors(unit.area) + [unit.area] if root is None or root.contains(a)]


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
def edit(unit_id: int):
    unit = scope.get_unit_or_404(unit_id)
    scope.require(scope.may_register_units())
    form = UnitForm(obj=unit, kind=unit.kind, unit=unit)
    if form.validate_on_submit():
        area = scope.get_area_or_404(form.area_id.data)
        operations.update_unit(unit, area=area, actor=current_user, **form.unit_fields())
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("units.show", unit_id=unit.id))
    return render_template("units/form.html", form=form, kind=unit.kind, unit=unit), \
        400 if form.errors else 200


@bp.route("/<int:unit_id>/retire", methods=["GET", "POST"])
def retire(unit_id: int):
    """A confirmation page first (GET), the change on its button (POST)."""
    if request.method == "GET":
        unit = scope.get_unit_or_404(unit_id)
        scope.require(scope.may_register_units())
        back = url_for("units.show", unit_id=unit.id)
        return render_template(
            "_confirm.html", question=_("Retire %(name)s?", name=unit.name),
            consequences=[
                _("No new sessions can be logged for %(name)s (%(code)s), and it no longer "
                  "counts as registered in reports.", name=unit.name, code=unit.code),
                _("Its sessions, attendance and roster are kept. You can reactivate it later.")],
            action_label=_("Retire"), cancel_url=back,
            trail=[(unit.name, back), (_("Retire"), None)])
    return _change_status(unit_id, operations.retire_unit, _("Study unit retired."))


@bp.post("/<int:unit_id>/reactivate")
def reactivate(unit_id: int):
    return _change_status(unit_id, operations.reactivate_unit, _("Study unit reactivated."))


def _change_status(unit_id: int, operation, done: str):
    unit = scope.get_unit_or_404(unit_id)
    scope.require(scope.may_register_units())
    try:
        operation(unit, actor=current_user)
    except operations.UnitError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("units.show", unit_id=unit.id))


@bp.post("/<int:unit_id>/members")
def add_member(unit_id: int):
    # Leaders keep their own rosters too: they know who comes.
    unit = scope.get_unit_or_404(unit_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            person = operations.add_member(unit, name=form.name.data.strip(),
                                           mobile=form.mobile.data or None, actor=current_user)
        except operations.UnitError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s added to the roster.", name=person.name), "success")
            return redirect(url_for("units.show", unit_id=unit.id) + "#roster")
    members = db.paginate(queries.roster(unit), per_page=50, error_out=False)
    return render_template("units/show.html", unit=unit, members=members,
                           trail=_trail(unit), member_form=form,
                           may_edit=scope.may_register_units(),
                           quizzes=queries.suggested_quizzes(unit.kind)), 400


@bp.route("/<int:unit_id>/members/<int:member_id>/remove", methods=["GET", "POST"])
def remove_member(unit_id: int, member_id: int):
    """A confirmation page first (GET), the removal on its button (POST)."""
    unit = scope.get_unit_or_404(unit_id)
    member = db.session.scalar(sa.select(RosterMember).where(
        RosterMember.id == member_id, RosterMember.unit_id == unit.id))
    if member is None:
        abort(404)
    if request.method == "GET":
        back = url_for("units.show", unit_id=unit.id) + "#roster"
        name = member.person.name
        return render_template(
            "_confirm.html", question=_("Remove %(name)s from the roster?", name=name),
            consequences=[
                _("%(name)s will no longer be listed for marking at sessions of %(unit)s.",
                  name=name, unit=unit.name),
                _("Attendance already recorded is kept. You can add them to the roster again.")],
            action_label=_("Remove"), cancel_url=back,
            trail=[(unit.name, back), (_("Remove"), None)])
    operations.remove_member(unit, member, actor=current_user)
    db.session.commit()
    flash(_("Removed from the roster."), "success")
    return redirect(url_for("units.show", unit_id=unit.id) + "#roster")
