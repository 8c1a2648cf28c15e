"""Who sees which plans and which of their rows, the sessions behind a board's cell, and the
milestones the dashboards show.

A plan is seen by everyone whose scope meets its area: the county office (its county's plans
and its towns' plans), a town's coordinator (the county's plans, for their town's row, and
their town's own plans), a unit's leader (the plans over their units, read only). Rows are
filtered the same way: a coordinator's board of the county plan has one row, their town.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort, current_app
from flask_login import current_user
from sqlalchemy.orm import aliased, contains_eager, selectinload

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.models import Area, Milestone, Plan, StudySession, StudyUnit, leader_units
from lawlearn.plans import progress as progress_module
from lawlearn.plans.progress import Progress, progress_of


def _user(actor=None):
    actor = actor if actor is not None else current_user
    return getattr(actor, "user", actor)


def _leader_unit_paths(user) -> sa.Select:
    return (sa.select(Area.path).join(StudyUnit, StudyUnit.area_id == Area.id)
            .join(leader_units, leader_units.c.unit_id == StudyUnit.id)
            .where(leader_units.c.user_id == user.id))


def plan_filter(actor=None) -> sa.ColumnElement[bool]:
    """Plans `actor` may see: the plan's area inside their scope, or above it."""
    user = _user(actor)
    plan_area = aliased(Area)
    if user.role == "leader":
        unit_area = aliased(Area)
        below = (sa.select(unit_area.id).join(StudyUnit, StudyUnit.area_id == unit_area.id)
                 .join(leader_units, leader_units.c.unit_id == StudyUnit.id)
                 .where(leader_units.c.user_id == user.id,
                        unit_area.path.startswith(plan_area.path)))
        return Plan.area_id.in_(sa.select(plan_area.id).where(below.exists()))
    if user.area is None:
        return sa.true()
    return Plan.area_id.in_(sa.select(plan_area.id).where(sa.or_(
        plan_area.path.startswith(user.area.path, autoescape=True),
        sa.literal(user.area.path).startswith(plan_area.path))))


def visible_plans(actor=None) -> list[Plan]:
    return list(db.session.scalars(
        sa.select(Plan).join(Plan.area).where(plan_filter(actor))
        .options(contains_eager(Plan.area),
                 selectinload(Plan.milestones).selectinload(Milestone.format_rows),
                 selectinload(Plan.milestones).selectinload(Milestone.topic_rows))
        .order_by(Plan.created_at.desc(), Plan.id.desc())))


def get_plan_or_404(plan_id: int, actor=None) -> Plan:
    found = db.session.scalar(sa.select(Plan.id).where(Plan.id == plan_id, plan_filter(actor)))
    if found is None:
        abort(404)
    return progress_module.load_plan_for_progress(found)


class RowScope:
    """Which of a plan's rows the user may see (and, for staff, check off)."""

    def __init__(self, actor=None):
        user = _user(actor)
        self.role = user.role
        self.root_path = user.area.path if user.area is not None else None
        self.unit_paths = (list(db.session.scalars(_leader_unit_paths(user)))
                           if user.role == "leader" else [])

    def sees(self, row_path: str) -> bool:
        if self.role == "leader":
            return any(p.startswith(row_path) for p in self.unit_paths)
        return self.root_path is None or row_path.startswith(self.root_path)

    def may_check_off(self, row_path: str) -> bool:
        return self.role in ("admin", "coordinator") and self.sees(row_path)


def may_edit(plan: Plan, actor=None) -> bool:
    """The county office edits plans in its county; a coordinator their own town's plans."""
    user = _user(actor)
    if user.role not in ("admin", "coordinator"):
        return False
    return user.area is None or user.area.contains(plan.area)


def may_create(actor=None) -> bool:
    return _user(actor).role in ("admin", "coordinator")


def scoped(result: Progress, rows: RowScope) -> Progress:
    """The progress with only the rows the user may see."""
    keep = [a for a in result.areas if rows.sees(a.path)]
    ids = {a.id for a in keep}
    return Progress(plan=result.plan, today=result.today, areas=keep,
                    milestones=result.milestones,
                    cells={k: v for k, v in result.cells.items() if k[0] in ids})


def cell_sessions(plan: Plan, milestone: Milestone, area_id: int, today: date) -> sa.Select:
    """The study sessions that count for one cell of the board, seen through the user's scope
    (the same matching statement the progress reads)."""
    matches = progress_module._MATCHES
    ids = sa.select(matches.c.session_id).where(matches.c.milestone_id == milestone.id,
                                                matches.c.area_id == area_id)
    return (sa.select(StudySession).join(StudySession.unit)
            .options(contains_eager(StudySession.unit), selectinload(StudySession.topic_rows))
            .where(StudySession.id.in_(ids), scope.unit_filter())
            .order_by(StudySession.held_on, StudySession.id)
            .params(plans=[plan.id], today=today))


@dataclass
class Owed:
    """A milestone an area has not met yet, for the dashboards."""

    plan: Plan
    milestone: Milestone
    area: object          # the row (id, code, name, level, path, parent_id)
    status: str           # overdue or pending
    days_late: int        # 0 when pending
    escalated: bool


def owed_milestones(actor=None, *, today: date, soon_days: int = 30) -> list[Owed]:
    """Milestones not met in the rows the user sees: overdue ones (escalated after
    PLAN_ESCALATION_DAYS), and pending ones due within `soon_days`; the most overdue first.
    The same statements for any number of plans and rows."""
    escalate_after = current_app.config.get("PLAN_ESCALATION_DAYS", 14)
    rows = RowScope(actor)
    plans = visible_plans(actor)
    owed = []
    for result in progress_of(plans, today).values():
        for area in result.areas:
            if not rows.sees(area.path):
                continue
            for m in result.milestones:
                cell = result.cell(area.id, m.id)
                if cell.status == "overdue":
                    late = (today - m.due).days
                    owed.append(Owed(result.plan, m, area, "overdue", late, late > escalate_after))
                elif cell.status == "pending" and (m.due - today).days <= soon_days:
                    owed.append(Owed(result.plan, m, area, "pending", 0, False))
    owed.sort(key=lambda o: (-o.days_late, o.milestone.due, o.area.code, o.plan.code))
    return owed
