"""Study sessions: the list, logging one on a phone, its page, correcting and deleting it.

Every route loads its session through scope.get_session_or_404 (the session's unit must be
in the user's scope), validates, calls one operation, commits once and redirects.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from lawlearn import codes, scope
from lawlearn.areas.queries import area_choices
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import SessionPhoto
from lawlearn.period_locks import locked_period, refusal
from lawlearn.sessions import operations, photos, queries
from lawlearn.sessions.blueprint import bp
from lawlearn.sessions.checkin import checkin_window
from lawlearn.sessions.forms import SessionForm
from lawlearn.units.queries import unit_list
from lawlearn.validation import database_id, sane_date

PER_PAGE = 25
ATTENDANCE_PER_PAGE = 100


def _filters() -> dict:
    """The list's filters from the query string; anything unreadable is simply ignored."""
    args, found = request.args, {}
    if unit_id := args.get("unit", type=database_id):
        found["unit"] = scope.get_unit_or_404(unit_id)
    if (area_id := args.get("area", type=database_id)) and not current_user.is_leader:
        found["area"] = scope.get_area_or_404(area_id)
    found["start"] = args.get("from", type=sane_date)
    found["end"] = args.get("to", type=sane_date)
    found["format"] = args.get("format") if args.get("format") in codes.SESSION_FORMATS else None
    found["topic"] = args.get("topic") if args.get("topic") in codes.TOPICS else None
    return found


@bp.get("/sessions/")
def index():
    filters = _filters()
    page = db.paginate(queries.session_list(**filters), per_page=PER_PAGE, error_out=False)
    towns = [] if current_user.is_leader else area_choices(("county", "town"))
    return render_template("sessions/index.html", page=page, filters=filters, towns=towns,
                           totals=queries.session_totals(**filters),
                           filtered=any(v is not None for v in filters.values()))


@bp.get("/sessions/new")
def choose_unit():
    """Which unit the session is for. A leader of one unit goes straight to its form."""
    q = request.args.get("q", "").strip()
    page = db.paginate(unit_list(status="active", q=q), per_page=PER_PAGE, error_out=False)
    if current_user.is_leader and page.total == 1 and page.items and not q:
        return redirect(url_for("sessions.new", unit_id=page.items[0].id))
    return render_template("sessions/choose_unit.html", page=page, q=q)


@bp.route("/units/<int:unit_id>/sessions/new", methods=["GET", "POST"])
def new(unit_id: int):
    unit = scope.get_unit_or_404(unit_id)
    if not unit.active:
        flash(_("This study unit is retired: reactivate it before logging sessions."), "error")
        return redirect(url_for("units.show", unit_id=unit.id))
    previous = queries.previous_session(unit)
    form = SessionForm(area=unit.area_id)
    if request.method == "GET" and previous is not None and request.args.get("repeat"):
        _repeat(form, previous)
    if form.validate_on_submit():
        session = operations.log_session(unit, actor=current_user, **form.session_fields(),
                                         prepared_photos=form.prepared)
        db.session.commit()
        flash(_("Session %(code)s logged. Now mark who came.", code=session.code), "success")
        return redirect(url_for("sessions.mark", session_id=session.id))
    return render_template("sessions/form.html", form=form, unit=unit, session=None,
                           previous=previous), 400 if form.errors else 200


def _repeat(form: SessionForm, previous) -> None:
    """'Repeat last session': everything but the date, which stays today."""
    form.format.data = previous.format
    form.topics.data = previous.topics
    form.lecturer.data = previous.lecturer
    form.duration_minutes.data = previous.duration_minutes
    form.notes.data = previous.notes


@bp.get("/sessions/<int:session_id>")
def show(session_id: int):
    session = scope.get_session_or_404(session_id)
    attendance = db.paginate(queries.attendance_list(session), per_page=ATTENDANCE_PER_PAGE,
                             error_out=False)
    lock = locked_period(db.session, session.unit.area_id, session.held_on)
    return render_template(
        "sessions/show.html", session=session, attendance=attendance,
        locked=refusal(lock) if lock is not None else None,
        counts=queries.attendance_counts(session), window=checkin_window(session.held_on),
        checkin_url=url_for("checkin.checkin", token=session.checkin_token, _external=True))


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit(session_id: int):
    session = scope.get_session_or_404(session_id)
    form = SessionForm(obj=session, photo_count=len(session.photos), area=session.unit.area_id,
                       was_held_on=session.held_on)
    if request.method == "GET":
        form.topics.data = session.topics
    if form.validate_on_submit():
        operations.update_session(session, actor=current_user, **form.session_fields(),
                                  prepared_photos=form.prepared)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("sessions.show", session_id=session.id))
    return render_template("sessions/form.html", form=form, unit=session.unit, session=session,
                           previous=None), 400 if form.errors else 200


@bp.route("/sessions/<int:session_id>/delete", methods=["GET", "POST"])
def delete(session_id: int):
    """A confirmation page first: one slip of a thumb must not delete 300 attendance rows."""
    session = scope.get_session_or_404(session_id)
    if request.method == "GET":
        return render_template("sessions/delete.html", session=session,
                               counts=queries.attendance_counts(session))
    # The POST carries only the CSRF token, which CSRFProtect checks for every POST.
    if refused := _locked(session):
        return refused
    unit_id, code = session.unit_id, session.code
    files = operations.delete_session(session, actor=current_user)
    db.session.commit()
    photos.remove_files(files)
    flash(_("Session %(code)s deleted.", code=code), "success")
    return redirect(url_for("units.show", unit_id=unit_id) + "#sessions")


def _locked(session):
    """The session's page, which says the period is locked (409), when its day is in a locked
    period."""
    lock = locked_period(db.session, session.unit.area_id, session.held_on)
    if lock is None:
        return None
    return show(session.id), 409


def _photo_of(session_id: int, photo_id: int) -> SessionPhoto:
    session = scope.get_session_or_404(session_id)
    photo = db.session.get(SessionPhoto, photo_id)
    if photo is None or photo.session_id != session.id:
        abort(404)
    return photo


@bp.get("/sessions/<int:session_id>/photos/<int:photo_id>")
@bp.get("/sessions/<int:session_id>/photos/<int:photo_id>/thumb", endpoint="thumbnail",
        defaults={"thumb": True})
def photo(session_id: int, photo_id: int, thumb: bool = False):
    photo = _photo_of(session_id, photo_id)
    name = photo.thumbnail if thumb else photo.filename
    path = photos.photo_dir() / name
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/jpeg" if thumb else photo.content_type,
                         max_age=0, conditional=True)
    # Revalidated on every view (the scope check runs each time) and never kept by a shared
    # proxy: these are pictures of villagers.
    response.cache_control.public = False
    response.cache_control.private = True
    return response


@bp.post("/sessions/<int:session_id>/photos/<int:photo_id>/remove")
def remove_photo(session_id: int, photo_id: int):
    photo = _photo_of(session_id, photo_id)
    if refused := _locked(photo.session):
        return refused
    files = operations.remove_photo(photo.session, photo, actor=current_user)
    db.session.commit()
    photos.remove_files(files)
    flash(_("Photo removed."), "success")
    return redirect(url_for("sessions.edit", session_id=session_id) + "#photos")


@bp.app_template_global()
def unit_session_history(unit):
    """The unit page's Sessions section (templates/sessions/_unit_sessions.html)."""
    return queries.unit_history(unit)


# The other pages of this blueprint live in their own modules; importing them registers them.
from lawlearn.sessions import (  # noqa: E402
    attendance_views,  # noqa: F401
    checkin_views,  # noqa: F401
    people_views,  # noqa: F401
    review_views,  # noqa: F401
)
