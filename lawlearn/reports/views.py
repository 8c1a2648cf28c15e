"""The coverage report on screen, on paper and as files; targets.

The figures come from `coverage()`, the function the CLI calls: the page never counts on its
own. The views add what a reader needs around them: drill-down links, charts, targets. Every
page costs the same number of queries whatever the number of areas.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from lawlearn import clock, codes, scope
from lawlearn.areas.queries import ancestors, area_choices
from lawlearn.audit import record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, Target
from lawlearn.period_locks import PeriodLocked, locks_over, period_label
from lawlearn.recognition.queries import recognised_by_area
from lawlearn.reports import charts, queries, targets
from lawlearn.reports.coverage import coverage as coverage_report
from lawlearn.reports.exports import to_csv, to_xlsx
from lawlearn.reports.forms import CoverageFilterForm, TargetForm
from lawlearn.reports.periods import PRESETS, Period

bp = Blueprint("reports", __name__, url_prefix="/reports")

LEAF_LEVELS = ("village", "community", "enterprise")
PASS_MARK = 60  # the quizzes' default pass mark (docs/contracts.md), drawn as the scores' reference
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@bp.before_request
@login_required
def staff_only():
    # Leaders see their own units on the home page; area reports are for the office and towns.
    if current_user.is_leader:
        abort(403)


# --- the coverage report ---------------------------------------------------------------------

def _filters() -> tuple[CoverageFilterForm, Area | None, bool]:
    """The filter form read from the query string, the area it names (scoped: an area the
    user may not see reads as an unknown code, 400), and whether the input made sense."""
    form = CoverageFilterForm(request.args, today=clock.today(), choices=[])
    ok = form.validate()
    area = scope.get_area_or_404(form.found_area.id) if form.found_area else None
    if area is None and not form.area.data:
        area = queries.default_area()
    form.area.choices = queries.area_options(area)
    if area is not None:
        form.area.data = area.code
    elif form.area.data:  # keep the unknown code on screen next to its message
        form.area.choices.append((form.area.data, form.area.data))
    if ok:  # show the dates the report covers, a preset's and the default ones included
        form.start.data = form.start.data or form.period.start.isoformat()
        form.end.data = form.end.data or form.period.end.isoformat()
    return form, area, ok


def _refused(form: CoverageFilterForm, area: Area | None, ok: bool):
    """The filter page without a report: bad input (400, the form kept with its messages),
    or nothing to report on yet."""
    return render_template("reports/coverage.html", form=form, area=area, report=None,
                           presets=_preset_links(area)), 200 if ok else 400


@bp.get("/coverage")
def coverage():
    form, area, ok = _filters()
    if not ok or area is None:
        return _refused(form, area, ok)
    report = coverage_report(area, form.period, today=clock.today(),
                             approved_only=form.approved_only)
    fmt = form.format.data or "html"
    if fmt != "html":
        return _download(report, fmt)
    return render_template("reports/coverage.html", form=form, area=area, report=report,
                           presets=_preset_links(area), **_context(form, area, report))


@bp.get("/coverage/print")
def print_view():
    form, area, ok = _filters()
    if not ok or area is None:
        return _refused(form, area, ok)
    report = coverage_report(area, form.period, today=clock.today(),
                             approved_only=form.approved_only)
    return render_template("reports/print.html", area=area, report=report,
                           generated_at=clock.now(),
                           **_context(form, area, report))


def period_args(form: CoverageFilterForm) -> dict:
    """How links carry the period on: a preset stays a preset (a bookmarked "this year" is
    still this year next month); dates stay dates."""
    basis = {"basis": "approved"} if form.approved_only else {}
    if form.preset.data:
        return {"preset": form.preset.data, **basis}
    return {"from": form.period.start.isoformat(), "to": form.period.end.isoformat(), **basis}


def _preset_links(area: Area | None) -> list[dict]:
    keep = {"area": area.code} if area is not None else {}
    if request.args.get("basis") == "approved":
        keep["basis"] = "approved"
    current = request.args.get("preset")
    return [{"name": name, "url": url_for("reports.coverage", preset=name, **keep),
             "current": current == name} for name in PRESETS]


def _context(form: CoverageFilterForm, area: Area, report: dict) -> dict:
    root = scope.scope_root()
    leaf = area.level in LEAF_LEVELS
    return {
        "trail": [a for a in ancestors(area) if root is None or root.contains(a)],
        "period_args": period_args(form), "period": form.period,
        "units": queries.unit_table(area, form.period, form.approved_only) if leaf else None,
        "approved_only": form.approved_only,
        "unit_link": _unit_link(form.period),
        "target_rows": _target_rows(report, form.period.year),
        "retired_codes": queries.retired_codes([r["code"] for r in report["rows"]]),
        "target_year": form.period.year,
        # Recognised units (issue 14): a panel of the page only; the JSON, CSV and XLSX
        # reports keep their contract's layout.
        "recognised": recognised_by_area(
            [*(r["code"] for r in report["rows"]), report["total"]["code"]], form.period.year),
        "locks": locks_over(db.session, area, form.period.start, form.period.end),
        "period_label": period_label,
        **_charts(area, form.period, report, form.approved_only),
    }


def _charts(area: Area, period: Period, report: dict, approved_only: bool = False) -> dict:
    series = queries.monthly_series(area, period, approved_only)
    scores = queries.scores_by_topic(area, period)
    months = charts.month_chart(
        _("Sessions and attendances by month"), [s["month"] for s in series],
        [("sessions", _("Sessions"), [s["sessions"] for s in series]),
         ("attendances", _("Attendances (person-times)"), [s["attendances"] for s in series])])
    return {
        "series": series, "scores": scores, "month_chart": months,
        "coverage_chart": charts.coverage_chart(
            _("Active units as a share of registered units"), report["rows"],
            _coverage_tip) if report["rows"] else None,
        "score_chart": charts.score_chart(
            _("Mean quiz score by law topic"), scores, PASS_MARK, codes.BANK_TOPICS.label,
            _score_tip, _("pass mark %(mark)s", mark=PASS_MARK)) if scores else None,
    }


def _coverage_tip(row: dict, rate: float | None) -> str:
    return _("%(name)s: %(active)s of %(registered)s registered units active (%(rate)s)",
             name=row["name"], active=row["active_units"], registered=row["units"]["total"],
             rate=charts.percent(rate))


def _score_tip(score: dict) -> str:
    return _("%(topic)s: mean score %(score)s over %(n)s attempts, %(rate)s passed",
             topic=codes.BANK_TOPICS.label(score["topic"]),
             score=format(score["mean_score"], ".1f"),
             n=score["attempts"], rate=charts.percent(score["pass_rate"], 1))


def _target_rows(report: dict, year: int) -> list[dict]:
    """Achieved (registered units of the kind, as the report counts them) against the year's
    target, for each row that has a target."""
    rows = [*report["rows"], report["total"]]
    found = queries.targets_for([r["code"] for r in rows], year)
    out = []
    for row in rows:
        cells = {kind: targets.achievement(row["units"][kind], found[(row["code"], kind)])
                 for kind in codes.KINDS.codes if (row["code"], kind) in found}
        if cells:
            out.append({"row": row, "cells": cells, "total": row is report["total"]})
    return out


def _unit_link(period):
    """Drilling down from a unit leads to its sessions in the report's period, so the list
    counts what the report counted (the list reads dates, not the report's presets)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    return lambda unit_id: url_for("sessions.index", unit=unit_id, **{"from": start, "to": end})


def _download(report: dict, fmt: str) -> Response:
    approved = report.get("basis") == "approved"
    name = (f"coverage-{report['area']['code']}-{report['from']}-{report['to']}"
            f"{'-approved' if approved else ''}.{fmt}")
    # Who exported which report: a file leaves the system, so the audit trail says so.
    record(current_user, "export", object_type="report", object_code=report["area"]["code"],
           area_id=db.session.scalar(sa.select(Area.id).where(
               Area.code == report["area"]["code"])),
           changes={"report": "coverage", "format": fmt, "from": report["from"],
                    "to": report["to"], **({"basis": "approved"} if approved else {})})
    db.session.commit()
    if fmt == "csv":
        body = to_csv(report)
    elif fmt == "xlsx":
        body = to_xlsx(report, clock.now())
    else:
        body = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return Response(body, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


# --- targets ---------------------------------------------------------------------------------

def _target_year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.today().year


@bp.route("/targets", methods=["GET", "POST"])
def target_list():
    year = _target_year()
    form = None
    if current_user.is_admin:
        form = TargetForm(areas=area_choices(("county", "town")))
        if request.method == "GET":
            form.year.data = year
            if (chosen := queries.find_area(request.args.get("area", ""))) is not None:
                form.area_id.data = chosen.id
        elif form.validate_on_submit():
            area = scope.get_area_or_404(form.area_id.data)
            try:
                targets.set_target(area=area, year=form.year.data, kind=form.kind.data,
                                   target=form.target.data, actor=current_user)
            except PeriodLocked as locked:
                db.session.rollback()
                form.year.errors = [*form.year.errors, str(locked.description)]
                return _target_page(form, year, 409)
            db.session.commit()
            flash(_("Target saved: %(area)s, %(year)s, %(kind)s: %(target)s units.",
                    area=area.name, year=form.year.data, kind=codes.KINDS.label(form.kind.data),
                    target=form.target.data), "success")
            return redirect(url_for("reports.target_list", year=form.year.data))
    elif request.method == "POST":
        abort(403)
    return _target_page(form, year, 400 if form is not None and form.errors else 200)


def _target_page(form, year: int, status: int):
    as_of = min(date(year, 12, 31), clock.today())
    page = db.paginate(queries.target_list(year), per_page=60, error_out=False)
    achieved = queries.achieved_for(page.items, as_of)
    rows = [(t, targets.achievement(achieved.get(t.id, 0), t.target)) for t in page.items]
    return render_template("reports/targets.html", form=form, page=page, rows=rows, year=year,
                           as_of=as_of), status


@bp.post("/targets/<int:target_id>/delete")
def delete_target(target_id: int):
    scope.require(current_user.is_admin)
    found = db.session.scalar(sa.select(Target).join(Target.area).where(
        Target.id == target_id, scope.area_filter()))
    if found is None:
        abort(404)
    year = found.year
    try:
        targets.remove_target(found, actor=current_user)
    except PeriodLocked as locked:
        db.session.rollback()
        flash(str(locked.description), "error")
        return redirect(url_for("reports.target_list", year=year))
    db.session.commit()
    flash(_("Target removed."), "success")
    return redirect(url_for("reports.target_list", year=year))
