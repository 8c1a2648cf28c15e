"""Browsing and maintaining the area tree."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lawlearn import scope
from lawlearn.areas import operations, queries
from lawlearn.areas.forms import AreaForm
from lawlearn.codes import PARENT_LEVEL
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area
from lawlearn.validation import database_id

bp = Blueprint("areas", __name__, url_prefix="/areas")


@bp.before_request
@login_required
def staff_only():
    # Leaders work from their units; the tree is for the office and the coordinators.
    if current_user.is_leader:
        abort(403)


def creatable_levels() -> list[str]:
    return scope.manageable_levels()


def may_edit(area: Area) -> bool:
    return scope.may_manage_area(area.level, area.path)


@bp.get("/")
def index():
    roots = queries.roots_in_scope()
    if len(roots) == 1:
        return redirect(url_for("areas.show", area_id=roots[0].id))
    counts = queries.unit_counts_by_child(roots)
    return render_template("areas/index.html", roots=roots, counts=counts,
                           may_create="county" in creatable_levels())


@bp.get("/<int:area_id>")
def show(area_id: int):
    area = scope.get_area_or_404(area_id)
    q = request.args.get("q", "").strip()
    show_retired = request.args.get("retired") == "1"
    stmt = sa.select(Area).where(Area.parent_id == area.id).order_by(Area.code)
    if q:
        stmt = stmt.where(sa.or_(Area.name.contains(q, autoescape=True),
                                 Area.code.startswith(q, autoescape=True)))
    if not show_retired:
        stmt = stmt.where(Area.active)
    children = db.paginate(stmt, per_page=50, error_out=False)
    counts = queries.unit_counts_by_child(children.items)
    own = queries.unit_counts_by_child([area])[area.id]
    root = scope.scope_root()
    trail = [a for a in queries.ancestors(area) if root is None or root.contains(a)]
    # A retired area takes no new areas under it (reactivate it first).
    child_levels = [lv for lv in creatable_levels()
                    if PARENT_LEVEL[lv] == area.level] if area.active else []
    return render_template("areas/show.html", area=area, children=children, counts=counts,
                           own=own, trail=trail, q=q, show_retired=show_retired,
                           child_levels=child_levels, may_edit=may_edit(area))


@bp.route("/new", methods=["GET", "POST"])
def create():
    levels = creatable_levels()
    wanted = request.args.get("level")
    if (parent_id := request.args.get("parent", type=database_id)) is not None:
        parent = scope.get_area_or_404(parent_id)
        if not parent.active:
            flash(operations.retired_parent_message(parent), "error")
            return redirect(url_for("areas.show", area_id=parent.id))
    form = AreaForm(levels=[wanted] if wanted in levels else levels)
    if request.method == "GET" and parent_id is not None:
        form.parent_id.data = parent_id
    if form.validate_on_submit():
        parent = scope.get_area_or_404(form.parent_id.data) if form.parent_id.data else None
        area = operations.create_area(
            code=form.code.data.strip(), name=form.name.data.strip(), level=form.level.data,
            parent=parent, employees=form.employees.data, industry=form.industry.data,
            actor=current_user)
        db.session.commit()
        flash(_("Area %(name)s created.", name=area.name), "success")
        return redirect(url_for("areas.show", area_id=area.id))
    status = 400 if form.errors else 200
    return render_template("areas/form.html", form=form.for_display(), area=None), status


@bp.route("/<int:area_id>/edit", methods=["GET", "POST"])
def edit(area_id: int):
    area = scope.get_area_or_404(area_id)
    scope.require(may_edit(area))
    form = AreaForm(obj=area, area=area, levels=[area.level])
    if request.method == "GET":
        form.parent_id.data = area.parent_id or 0
    if form.validate_on_submit():
        parent = scope.get_area_or_404(form.parent_id.data) if form.parent_id.data else None
        operations.update_area(area, name=form.name.data.strip(), parent=parent,
                               employees=form.employees.data, industry=form.industry.data,
                               actor=current_user)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("areas.show", area_id=area.id))
    status = 400 if form.errors else 200
    return render_template("areas/form.html", form=form.for_display(), area=area), status


@bp.route("/<int:area_id>/retire", methods=["GET", "POST"])
def retire(area_id: int):
    """A confirmation page first (GET), the change on its button (POST)."""
    if request.method == "GET":
        area = scope.get_area_or_404(area_id)
        scope.require(may_edit(area))
        back = url_for("areas.show", area_id=area.id)
        return render_template(
            "_confirm.html", question=_("Retire %(name)s?", name=area.name),
            consequences=[
                _("%(name)s (%(code)s) will no longer be offered for new study units, areas, "
                  "accounts or targets, and nothing new can be added under it.",
                  name=area.name, code=area.code),
                _("Reports keep its history, marked “Retired”. You can reactivate it later.")],
            problem=operations.retire_problem(area), action_label=_("Retire"),
            cancel_url=back, trail=[(area.name, back), (_("Retire"), None)])
    return _set_active(area_id, operations.retire_area, _("Area retired."))


@bp.post("/<int:area_id>/reactivate")
def reactivate(area_id: int):
    return _set_active(area_id, operations.reactivate_area, _("Area reactivated."))


def _set_active(area_id: int, operation, done: str):
    area = scope.get_area_or_404(area_id)
    scope.require(may_edit(area))
    try:
        operation(area, actor=current_user)
    except operations.AreaError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("areas.show", area_id=area.id))
