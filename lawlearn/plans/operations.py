"""State changes of plans: load (create or replace by code) and check off (销号). Each leaves
the commit to its caller (the CLI command or the view), and audits what it changed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lawlearn.audit import record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import (
    Area,
    Checkoff,
    Milestone,
    MilestoneFormat,
    MilestoneTopic,
    Plan,
    PlanStage,
)
from lawlearn.plans.spec import PlanSpec, PlanSpecError

# A plan's rows are its area's children: a county's towns, or a town's villages, communities
# and enterprises. A village or an enterprise has no children to plan for.
PLAN_LEVELS = ("county", "town")
MAX_NOTE = 500


class PlanError(ValueError):
    """A request about a plan that can't be met, with a message for the user."""


def load_plan(spec: PlanSpec, *, actor=None, within: Area | None = None) -> tuple[Plan, bool]:
    """Create the plan `spec` describes, or replace the one with its code. Returns the plan and
    whether it was created.

    A replaced plan keeps the check-offs of milestones that are still manual under the same
    code (reloading a file to fix a typo must not undo the county's 销号); the rest go with
    their milestones. `within` (a coordinator's town) limits which areas a plan may cover.
    """
    area = db.session.scalar(sa.select(Area).where(Area.code == spec.area_code))
    problems = []
    if area is None:
        problems.append(_("No area has the code %(code)s.", code=spec.area_code))
    elif area.level not in PLAN_LEVELS:
        problems.append(_("The plan's area %(code)s is a %(level)s: a plan covers the towns of "
                          "a county or the villages, communities and enterprises of a town.",
                          code=area.code, level=area.level))
    elif within is not None and not within.contains(area):
        problems.append(_("The plan's area %(code)s is outside your area.", code=area.code))
    plan = db.session.scalar(sa.select(Plan).where(Plan.code == spec.code))
    if plan is not None and within is not None and not within.contains(plan.area):
        problems.append(_("A plan with the code %(code)s already exists outside your area.",
                          code=spec.code))
    if problems:
        raise PlanSpecError(problems)
    created = plan is None
    if created:
        plan = Plan(code=spec.code, title=spec.title, area=area,
                    created_by_id=getattr(getattr(actor, "user", actor), "id", None))
        db.session.add(plan)
    else:
        plan.title, plan.area = spec.title, area
    kept: set[str] = set()
    with db.session.no_autoflush:
        _rebuild(plan, spec, kept)
    db.session.flush()
    # A plan moved to another area keeps no check-offs of areas that are no longer its rows.
    if not created:
        db.session.execute(sa.delete(Checkoff).where(
            Checkoff.milestone_id.in_([m.id for m in plan.milestones]),
            Checkoff.area_id.not_in(sa.select(Area.id).where(Area.parent_id == area.id))))
    record(actor, "create" if created else "replace", plan, area_id=area.id, changes={
        "title": spec.title, "area": area.code, "stages": len(spec.stages),
        "milestones": [m.code for m in spec.milestones], "checkoffs_kept": sorted(kept)})
    return plan, created


def _rebuild(plan: Plan, spec: PlanSpec, kept: set[str]) -> None:
    """Stages afresh; milestones matched by code, so a kept manual milestone keeps its
    check-offs. Runs without autoflush: half-moved milestones must not be written."""
    old_stages = list(plan.stages)
    old_milestones = {m.code: m for m in plan.milestones}
    for m in old_milestones.values():  # loaded now, before anything moves
        m.format_rows, m.topic_rows, m.checkoffs  # noqa: B018
    plan.stages = []
    for s_position, s in enumerate(spec.stages, start=1):
        stage = PlanStage(name=s.name, starts_on=s.starts_on, position=s_position)
        plan.stages.append(stage)
        for position, m in enumerate(s.milestones, start=1):
            milestone = old_milestones.get(m.code)
            if milestone is None:
                milestone = Milestone(code=m.code)
                plan.milestones.append(milestone)
            elif milestone.kind == "manual" and m.kind == "manual":
                kept.add(m.code)
            milestone.stage = stage
            milestone.stage_position, milestone.position = s_position, position
            milestone.name, milestone.due, milestone.kind = m.name, m.due, m.kind
            milestone.unit_kind, milestone.min_count, milestone.min_share = (
                m.unit_kind, m.min_count, m.min_share)
            milestone.format_rows = [MilestoneFormat(format=f) for f in m.formats]
            milestone.topic_rows = [MilestoneTopic(topic=t) for t in m.topics]
            if m.code not in kept:
                milestone.checkoffs = []
    new_codes = {m.code for m in spec.milestones}
    for code, milestone in old_milestones.items():
        if code not in new_codes:
            plan.milestones.remove(milestone)
    for stage in old_stages:
        if stage.id is not None:
            db.session.delete(stage)


def check_off(plan: Plan, *, milestone_code: str, area_code: str, done_on: date,
              note: str | None = None, actor=None) -> tuple[Checkoff, bool]:
    """Check off (销号) a manual milestone for one of the plan's areas on `done_on`. Checking
    off again replaces the date and note. Returns the check-off and whether it is new."""
    milestone = next((m for m in plan.milestones if m.code == milestone_code), None)
    if milestone is None:
        raise PlanError(_("Plan %(plan)s has no milestone %(code)s.", plan=plan.code,
                          code=milestone_code))
    if milestone.kind != "manual":
        raise PlanError(_("Milestone %(code)s is met by the study sessions logged (rule "
                          "%(kind)s); only manual milestones are checked off.",
                          code=milestone.code, kind=milestone.kind))
    area = db.session.scalar(sa.select(Area).where(Area.code == area_code,
                                                   Area.parent_id == plan.area_id))
    if area is None:
        raise PlanError(_("%(code)s is not one of the areas of plan %(plan)s.", code=area_code,
                          plan=plan.code))
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise PlanError(_("The note is longer than %(n)d characters.", n=MAX_NOTE))
    checkoff = db.session.scalar(sa.select(Checkoff).where(
        Checkoff.milestone_id == milestone.id, Checkoff.area_id == area.id))
    created = checkoff is None
    before = None if created else {"done_on": checkoff.done_on.isoformat(),
                                   "note": checkoff.note}
    if created:
        checkoff = Checkoff(milestone=milestone, area=area)
        db.session.add(checkoff)
    checkoff.done_on, checkoff.note = done_on, note
    checkoff.checked_by_id = getattr(getattr(actor, "user", actor), "id", None)
    db.session.flush()
    record(actor, "check_off", plan, area_id=area.id, changes={
        "milestone": milestone.code, "area": area.code, "done_on": done_on.isoformat(),
        "note": note, "before": before})
    return checkoff, created


def undo_check_off(plan: Plan, checkoff: Checkoff, *, actor=None) -> None:
    """Take a check-off back (entered for the wrong town or milestone)."""
    record(actor, "undo_check_off", plan, area_id=checkoff.area_id, changes={
        "milestone": checkoff.milestone.code, "area": checkoff.area.code,
        "done_on": checkoff.done_on.isoformat(), "note": checkoff.note})
    db.session.delete(checkoff)
    db.session.flush()
