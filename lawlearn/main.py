"""The home page: a dashboard of what the signed-in user looks after."""

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, StudyUnit

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("main.home"))


@bp.get("/home")
@login_required
def home():
    counts = dict(
        db.session.execute(
            sa.select(StudyUnit.kind, sa.func.count())
            .where(scope.unit_filter(), StudyUnit.status == "active")
            .group_by(StudyUnit.kind)
        ).all()
    )
    areas_by_level = dict(
        db.session.execute(
            sa.select(Area.level, sa.func.count())
            .where(scope.area_filter(), Area.active)
            .group_by(Area.level)
        ).all()
    )
    my_units = []
    if current_user.is_leader:
        my_units = db.session.scalars(
            sa.select(StudyUnit).where(scope.unit_filter()).order_by(StudyUnit.code)
        ).all()
    recent = []
    if not current_user.is_leader:
        recent = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.user_id == current_user.user.id)
            .order_by(AuditEvent.at.desc()).limit(8)
        ).all()
    return render_template("main/home.html", counts=counts, areas_by_level=areas_by_level,
                           my_units=my_units, recent=recent, root=scope.scope_root())
