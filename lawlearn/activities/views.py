"""County-wide activities on the web: the list, creating one, its page (stops with visitors,
check-ins and photos; visiting units; the cohort's completion), adding and correcting stops,
and the lecturer pool.

Every route loads its activity through queries.get_activity_or_404 (the organiser's area must
be in the user's scope: another town's activity is a 404); views validate, call one
operation, commit once and redirect. A stop's study session (its QR code, sign-in sheet,
photos) is managed on the study session's own pages.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lawlearn import scope
from lawlearn.activities import operations, queries
from lawlearn.activities.forms import (
    KIND_LABELS,
    NO_LECTURER,
    ActivityForm,
    CohortMemberForm,
    LecturerForm,
    StopEditForm,
    StopForm,
    VisitingUnitForm,
)
from lawlearn.areas.queries import area_choices
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, Lecturer, StudyUnit
from lawlearn.models.activities import ACTIVITY_KINDS
from lawlearn.sessions.queries import paginate_rows
from lawlearn.validation import database_id

bp = Blueprint("activities", __name__, url_prefix="/activities")
PER_PAGE = 25
COHORT_PER_PAGE = 100


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not queries.may_create():
        abort(403)  # leaders: their members check in at a stop like at any session
    return None


def _filters() -> dict:
    args, found = request.args, {}
    found["kind"] = args.get("kind") if args.get("kind") in ACTIVITY_KINDS else None
    year = args.get("year", type=int)
    found["year"] = year if year and 2000 <= year <= 2100 else None
    area_id = args.get("area", type=database_id)
    found["area"] = scope.get_area_or_404(area_id) if area_id else None
    return found


@bp.get("/")
def index():
    filters = _filters()
    page = paginate_rows(queries.activity_list(**filters), PER_PAGE)
    return render_template("activities/index.html", page=page, filters=filters,
                           towns=area_choices(("county", "town")), kinds=KIND_LABELS,
                           filtered=any(v is not None for v in filters.values()))


def _organiser_choices() -> list[tuple[int, str]]:
    """The office organises for the county or any town in it; a coordinator for their town."""
    levels = ("county", "town") if current_user.role == "admin" else ("town",)
    return area_choices(levels)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ActivityForm(areas=_organiser_choices())
    if request.method == "GET" and request.args.get("kind") in ACTIVITY_KINDS:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        area = db.session.get(Area, form.area_id.data)
        try:
            activity = operations.create_activity(
                kind=form.kind.data, title=form.title.data.strip(), year=form.year.data,
                area=area, notes=(form.notes.data or "").strip() or None,
                completion_percent=form.completion_percent.data, actor=current_user)
        except operations.ActivityError as error:
            db.session.rollback()
            form.kind.errors = [*form.kind.errors, str(error)]
        else:
            db.session.commit()
            flash(_("Activity created. Now add its first stop."), "success")
            return redirect(url_for("activities.show", activity_id=activity.id))
    return render_template("activities/form.html", form=form), 400 if form.errors else 200


@bp.get("/<int:activity_id>")
def show(activity_id: int):
    activity = queries.get_activity_or_404(activity_id)
    rows = queries.stop_rows(activity)
    context = {"activity": activity, "rows": rows, "totals": queries.stop_totals(rows),
               "kinds": KIND_LABELS, "printing": request.args.get("print") == "1"}
    if activity.kind == "site_visit":
        visiting = queries.visiting_units(activity)
        context["visiting"] = visiting
        # Not offered: units already listed, and the hosts themselves.
        listed = {v.id for v in visiting} | {r.unit_id for r in rows}
        context["visit_form"] = VisitingUnitForm(units=queries.unit_choices_in_scope(listed),
                                                 formdata=None)
    if activity.kind == "rotational_training":
        context.update(_cohort_context(activity, len(rows)))
        context["member_form"] = CohortMemberForm(formdata=None)
    return render_template("activities/show.html", **context)


def _cohort_context(activity, classes: int) -> dict:
    members = paginate_rows(queries.cohort_page_stmt(activity, classes), COHORT_PER_PAGE)
    return {"members": members, "completion": queries.completion(activity, classes),
            "mask_name": queries.mask_name}


@bp.route("/<int:activity_id>/stops/new", methods=["GET", "POST"])
def new_stop(activity_id: int):
    activity = queries.get_activity_or_404(activity_id)
    form = StopForm(units=queries.host_unit_choices(activity),
                    lecturers=queries.lecturer_choices())
    if form.validate_on_submit():
        unit = db.session.get(StudyUnit, form.unit_id.data)
        lecturer = (db.session.get(Lecturer, form.lecturer_id.data)
                    if form.lecturer_id.data != NO_LECTURER else None)
        try:
            operations.add_stop(activity, unit, place=form.place.data.strip(),
                                visitors=form.visitors.data or 0, lecturer=lecturer,
                                actor=current_user, prepared_photos=form.prepared,
                                **form.session_fields())
        except operations.ActivityError as error:
            db.session.rollback()
            form.unit_id.errors = [*form.unit_id.errors, str(error)]
        else:
            db.session.commit()
            flash(_("Stop added: participants check in with its QR code."), "success")
            return redirect(url_for("activities.show", activity_id=activity.id))
    skip = () if activity.kind == "exhibition" else ("visitors",)
    return render_template("activities/stop_form.html", form=form, activity=activity,
                           kinds=KIND_LABELS, skip=skip), 400 if form.errors else 200


@bp.route("/<int:activity_id>/stops/<int:stop_id>/edit", methods=["GET", "POST"])
def edit_stop(activity_id: int, stop_id: int):
    activity = queries.get_activity_or_404(activity_id)
    stop = queries.get_stop_or_404(activity, stop_id)
    form = StopEditForm(obj=stop)
    if form.validate_on_submit():
        operations.update_stop(stop, place=form.place.data.strip(),
                               visitors=form.visitors.data or 0, actor=current_user)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("activities.show", activity_id=activity.id))
    skip = () if activity.kind == "exhibition" else ("visitors",)
    return render_template("activities/stop_edit.html", form=form, activity=activity,
                           stop=stop, skip=skip), 400 if form.errors else 200


@bp.post("/<int:activity_id>/visiting-units")
def add_visiting_unit(activity_id: int):
    activity = queries.get_activity_or_404(activity_id)
    form = VisitingUnitForm(units=queries.unit_choices_in_scope())
    if not form.validate_on_submit():
        return _refused(activity, form)
    try:
        operations.add_visiting_unit(activity, db.session.get(StudyUnit, form.unit_id.data),
                                     actor=current_user)
    except operations.ActivityError as error:
        db.session.rollback()
        form.unit_id.errors = [str(error)]
        return _refused(activity, form)
    db.session.commit()
    flash(_("Visiting unit added."), "success")
    return redirect(url_for("activities.show", activity_id=activity.id) + "#visiting")


@bp.post("/<int:activity_id>/cohort")
def add_cohort_member(activity_id: int):
    activity = queries.get_activity_or_404(activity_id)
    form = CohortMemberForm()
    if not form.validate_on_submit():
        return _refused(activity, form)
    try:
        operations.add_cohort_member(activity, name=form.name.data, mobile=form.mobile.data,
                                     actor=current_user)
    except operations.ActivityError as error:
        db.session.rollback()
        form.mobile.errors = [str(error)]
        return _refused(activity, form)
    db.session.commit()
    flash(_("Added to the cohort."), "success")
    return redirect(url_for("activities.show", activity_id=activity.id) + "#cohort")


def _refused(activity, form):
    """A small form posted from the activity's page: its errors on a page of their own, with
    what was typed, and the way back."""
    return render_template("activities/refused.html", activity=activity, form=form), 400


@bp.route("/lecturers/", methods=["GET", "POST"])
def lecturers():
    """The lecturer pool: the user's own area's and the county's. New lecturers join the
    pool of the user's own area (the office's: the county's, which every town sees)."""
    form = LecturerForm()
    own_area = scope.scope_root()
    if form.validate_on_submit() and own_area is not None:
        try:
            operations.add_lecturer(own_area, name=form.name.data, title=form.title.data.strip(),
                                    topics=(form.topics.data or "").strip() or None,
                                    actor=current_user)
        except operations.ActivityError as error:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(error)]
        else:
            db.session.commit()
            flash(_("Lecturer added to the pool."), "success")
            return redirect(url_for("activities.lecturers"))
    page = paginate_rows(queries.lecturer_list(), PER_PAGE)
    return render_template("activities/lecturers.html", form=form, page=page,
                           may_add=own_area is not None), 400 if form.errors else 200

