"""The home page: a dashboard of what the signed-in user looks after.

The office and a town coordinator see this year's coverage of their area (the report's own
figures), its parts ranked by the share of units that are active, and the units gone quiet.
A leader sees their units: sessions this month, the last one, when the next is due.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from lawlearn import clock, scope
from lawlearn.extensions import db
from lawlearn.models import Area, AuditEvent, StudyUnit

bp = Blueprint("main", __name__)

# The sessions page for logging a session of a unit, and the name of its unit argument.


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
    board = _leader_board() if current_user.is_leader else _staff_board()
    return render_template("main/home.html", counts=counts, root=scope.scope_root(),
                           owed=_owed_milestones(), **board)


def _owed_milestones() -> dict:
    """Plan milestones not met in the user's rows: overdue ones (escalated after
    PLAN_ESCALATION_DAYS) and those due within a month (lawlearn.plans.queries)."""
    from lawlearn.plans.queries import owed_milestones

    items = owed_milestones(today=clock.today())
    return {"rows": items[:12], "count": len(items),
            "overdue": sum(1 for o in items if o.status == "overdue"),
            "escalated": sum(1 for o in items if o.escalated),
            "escalate_after": current_app.config.get("PLAN_ESCALATION_DAYS", 14)}


def _staff_board() -> dict:
    from lawlearn.reports import queries
    from lawlearn.reports.coverage import coverage
    from lawlearn.reports.periods import preset

    today = clock.today()
    area = queries.default_area()
    report = coverage(area, preset("this_year", today), today=today) if area else None
    # The same figures counting approved study sessions only, beside them (a few more reads
    # of the summaries).
    approved = coverage(area, preset("this_year", today), today=today,
                        approved_only=True)["total"] if area else None
    days = current_app.config.get("DORMANT_DAYS", 60)
    dormant_count, dormant = queries.dormant_units(today, days)
    areas_by_level = dict(db.session.execute(
        sa.select(Area.level, sa.func.count()).where(scope.area_filter(), Area.active)
        .group_by(Area.level)).all())
    from lawlearn.audit_log.names import described

    recent = described(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.user_id == current_user.user.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(8)).all())
    dormant_url = url_for("sessions.dormant", days=days)
    assessment, rectifications = None, []
    if current_user.is_coordinator and current_user.user.area is not None:
        from lawlearn.assessment.views import provisional
        from lawlearn.assessment.views import rectifications as town_rectifications

        assessment = provisional(current_user.user.area, today)
        rectifications = town_rectifications(town=current_user.user.area)
    from lawlearn.sessions.review_queries import waiting_count

    return {"assessment": assessment, "rectifications": rectifications, "area": area,
            "waiting_review": waiting_count(),
            "report": report, "approved": approved,
            "ranked": _ranked(report["rows"]) if report else [],
            "dormant": dormant, "dormant_count": dormant_count, "dormant_days": days,
            "dormant_url": dormant_url,
            "areas_by_level": areas_by_level,
            "retired_codes": queries.retired_codes([r["code"] for r in report["rows"]])
            if report else set(), "recent": recent, "today": today}


def _ranked(rows: list[dict]) -> list[dict]:
    """The report's rows by active-unit rate, best first; areas with no units come last
    (there is nothing to rate)."""
    def rate(row):
        return row["active_units"] / row["units"]["total"] if row["units"]["total"] else -1

    return sorted(rows, key=lambda row: (-rate(row), row["code"]))


def _leader_board() -> dict:
    from lawlearn.reports import queries

    today = clock.today()
    due_days = current_app.config.get("SESSION_DUE_DAYS", 30)
    units = queries.leader_units(today)
    for unit in units:
        last = unit["last_held_on"]
        unit["next_due"] = last + timedelta(days=due_days) if last else None
        unit["overdue"] = last is None or unit["next_due"] < today
    def log_url(unit_id: int) -> str:
        return url_for("sessions.new", unit_id=unit_id)

    from lawlearn.sessions.review_queries import returned_to_me

    return {"my_units": units, "today": today, "due_days": due_days, "log_url": log_url,
            "returned_sessions": returned_to_me()}
