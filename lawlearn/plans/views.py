"""Plans on the web: the list, a plan's board (areas × milestones), a cell's sessions, check-offs
(销号), upload and download of the plan file, building a plan in a form, exports.

Every route loads its plan through queries.get_plan_or_404 (the plan's area must meet the
user's scope) and shows or changes only the rows the user may see; views validate, call one
operation, commit once and redirect.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, Checkoff, Milestone
from lawlearn.plans import operations, queries
from lawlearn.plans.exports import to_csv, to_xlsx
from lawlearn.plans.forms import MAX_ROWS, CheckoffForm, PlanForm, PlanUploadForm
from lawlearn.plans.progress import progress, progress_of
from lawlearn.plans.spec import PlanSpecError, parse_yaml, read_spec, to_data, to_yaml
from lawlearn.validation import database_id, sane_date

bp = Blueprint("plans", __name__, url_prefix="/plans")


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def _today():
    """The board as of a day: ?today= (to look back), else the county's today."""
    return request.args.get("today", type=sane_date) or clock.today()


@bp.get("/")
def index():
    plans = queries.visible_plans()
    rows = queries.RowScope()
    results = {pid: queries.scoped(r, rows) for pid, r in progress_of(plans).items()}
    return render_template("plans/index.html", plans=plans, results=results,
                           may_create=queries.may_create())


@bp.get("/<int:plan_id>")
def show(plan_id: int):
    plan = queries.get_plan_or_404(plan_id)
    rows = queries.RowScope()
    result = queries.scoped(progress(plan, _today()), rows)
    return render_template("plans/show.html", plan=plan, result=result, rows=rows,
                           may_edit=queries.may_edit(plan),
                           printing=request.args.get("print") == "1")


@bp.get("/<int:plan_id>/cell")
def cell(plan_id: int):
    plan = queries.get_plan_or_404(plan_id)
    rows = queries.RowScope()
    today = _today()
    result = queries.scoped(progress(plan, today), rows)
    area_id = request.args.get("area", type=database_id)
    area = next((a for a in result.areas if a.id == area_id), None)
    milestone = next((m for m in result.milestones if m.code == request.args.get("milestone")),
                     None)
    if area is None or milestone is None:
        abort(404)
    page = None
    if milestone.kind != "manual":
        page = db.paginate(queries.cell_sessions(plan, milestone, area.id, today),
                           per_page=50, error_out=False)
    form = None
    if milestone.kind == "manual" and rows.may_check_off(area.path):
        form = _checkoff_form(plan, result, rows, formdata=None)
        form.area_id.data, form.milestone.data = area.id, milestone.code
    checkoff = db.session.scalar(sa.select(Checkoff).where(
        Checkoff.milestone_id == milestone.id, Checkoff.area_id == area.id))
    return render_template("plans/cell.html", plan=plan, result=result, area=area,
                           milestone=milestone, cell=result.cell(area.id, milestone.id),
                           page=page, form=form, checkoff=checkoff, today=today)


def _checkoff_form(plan, result, rows, **kwargs) -> CheckoffForm:
    areas = [(a.id, f"{a.name}（{a.code}）") for a in result.areas if rows.may_check_off(a.path)]
    manual = [(m.code, f"{m.code} {m.name}") for m in result.milestones if m.kind == "manual"]
    return CheckoffForm(areas=areas, milestones=manual, **kwargs)


@bp.post("/<int:plan_id>/checkoffs")
def check_off(plan_id: int):
    plan = queries.get_plan_or_404(plan_id)
    scope_rows = queries.RowScope()
    if scope_rows.role not in ("admin", "coordinator"):
        abort(403)
    result = queries.scoped(progress(plan), scope_rows)
    form = _checkoff_form(plan, result, scope_rows)
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            for error in errors:
                flash(f"{getattr(form, field).label.text}: {error}", "error")
        area_id = form.area_id.data if isinstance(form.area_id.data, int) else None
        back = url_for("plans.cell", plan_id=plan.id, area=area_id,
                       milestone=form.milestone.data) if area_id else url_for(
                           "plans.show", plan_id=plan.id)
        return render_template("plans/refused.html", plan=plan, back=back), 400
    area = db.session.get(Area, form.area_id.data)
    try:
        operations.check_off(plan, milestone_code=form.milestone.data, area_code=area.code,
                             done_on=form.done_on.data, note=form.note.data, actor=current_user)
    except operations.PlanError as error:
        db.session.rollback()
        flash(str(error), "error")
        return render_template("plans/refused.html", plan=plan, back=url_for(
            "plans.show", plan_id=plan.id)), 400
    db.session.commit()
    flash(_("%(milestone)s checked off for %(area)s on %(day)s.", milestone=form.milestone.data,
            area=area.name, day=form.done_on.data.isoformat()), "success")
    return redirect(url_for("plans.cell", plan_id=plan.id, area=area.id,
                            milestone=form.milestone.data))


@bp.post("/<int:plan_id>/checkoffs/<int:checkoff_id>/undo")
def undo_check_off(plan_id: int, checkoff_id: int):
    plan = queries.get_plan_or_404(plan_id)
    scope_rows = queries.RowScope()
    if scope_rows.role not in ("admin", "coordinator"):
        abort(403)
    found = db.session.scalar(
        sa.select(Checkoff).join(Checkoff.milestone).join(Checkoff.area)
        .where(Checkoff.id == checkoff_id, Milestone.plan_id == plan.id))
    if found is None or not scope_rows.may_check_off(found.area.path):
        abort(404)
    area_id, code = found.area_id, found.milestone.code
    operations.undo_check_off(plan, found, actor=current_user)
    db.session.commit()
    flash(_("The check-off was taken back."), "success")
    return redirect(url_for("plans.cell", plan_id=plan.id, area=area_id, milestone=code))


@bp.get("/<int:plan_id>/plan.yaml")
def download(plan_id: int):
    plan = queries.get_plan_or_404(plan_id)
    return Response(to_yaml(plan), mimetype="application/x-yaml", headers={
        "Content-Disposition": f"attachment; filename={plan.code}.yaml"})


@bp.get("/<int:plan_id>/progress.<any(csv, xlsx):fmt>")
def export(plan_id: int, fmt: str):
    plan = queries.get_plan_or_404(plan_id)
    result = queries.scoped(progress(plan, _today()), queries.RowScope())
    if fmt == "csv":
        body, mimetype = to_csv(result), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(result, clock.now())
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={plan.code}-progress.{fmt}"})


def _plan_areas() -> list[tuple[int, str]]:
    """Areas the user may plan for: the office its county and towns, a coordinator their town."""
    from lawlearn.areas.queries import area_choices

    levels = ("town",) if current_user.role == "coordinator" else ("county", "town")
    return area_choices(levels)


def _save(spec_data_or_text, *, from_file: bool):
    """Check and write a plan; returns (plan, created) or the problems."""
    # A coordinator plans for their town; an office for its county (or anywhere, without one).
    within = current_user.user.area
    try:
        spec = parse_yaml(spec_data_or_text) if from_file else read_spec(spec_data_or_text)
        return operations.load_plan(spec, actor=current_user, within=within), []
    except PlanSpecError as error:
        db.session.rollback()
        return None, error.problems


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    if not queries.may_create():
        abort(403)
    form = PlanUploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        saved, problems = _save(form.file.data.read(), from_file=True)
        if saved:
            plan, created = saved
            db.session.commit()
            flash(_("Plan %(code)s created.", code=plan.code) if created else
                  _("Plan %(code)s replaced.", code=plan.code), "success")
            return redirect(url_for("plans.show", plan_id=plan.id))
    status = 400 if request.method == "POST" else 200
    return render_template("plans/upload.html", form=form, problems=problems), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    if not queries.may_create():
        abort(403)
    return _builder(None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id: int):
    plan = queries.get_plan_or_404(plan_id)
    if not queries.may_edit(plan):
        abort(403)
    return _builder(plan)


def _builder(plan):
    form = PlanForm(areas=_plan_areas())
    problems: list[str] = []
    if request.method == "GET":
        if plan is not None:
            form.fill(to_data(plan))
            form.area_id.data = plan.area_id
        _add_rows(form, 3 if plan is not None else 5)
    elif request.form.get("more"):
        _add_rows(form, 3)
    elif form.validate_on_submit():
        area = db.session.get(Area, form.area_id.data)
        if plan is not None and form.code.data.strip() != plan.code:
            problems = [_("The code of a plan cannot change; make a new plan instead.")]
        else:
            saved, problems = _save(form.plan_data(area.code), from_file=False)
            if saved:
                plan, created = saved
                db.session.commit()
                flash(_("Plan %(code)s saved.", code=plan.code), "success")
                return redirect(url_for("plans.show", plan_id=plan.id))
    status = 400 if request.method == "POST" and not request.form.get("more") else 200
    return render_template("plans/form.html", form=form, plan=plan, problems=problems), status


def _add_rows(form: PlanForm, n: int) -> None:
    for _i in range(n):
        if len(form.rows) < MAX_ROWS:
            form.rows.append_entry()
