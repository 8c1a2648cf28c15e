"""Following people and units up: a participant's attendance history, and dormant units."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.sessions import queries
from lawlearn.sessions.blueprint import bp
from lawlearn.validation import database_id

DEFAULT_DORMANT_DAYS = 60


@bp.get("/people/<int:person_id>")
def person(person_id: int):
    person = scope.get_person_or_404(person_id)
    history = db.paginate(queries.person_history(person), per_page=50, error_out=False)
    return render_template("sessions/person.html", person=person, history=history,
                           units=queries.person_units(person))


@bp.get("/sessions/dormant")
def dormant():
    """Units with no session in the last N days. Coordinators see their town, the county
    office every town with its count, a leader their own units."""
    days = request.args.get("days", DEFAULT_DORMANT_DAYS, type=int)
    if not 1 <= days <= 3650:
        abort(400)
    area = None
    if (area_id := request.args.get("area", type=database_id)) and not current_user.is_leader:
        area = scope.get_area_or_404(area_id)
    page = queries.paginate_rows(queries.dormant_units(days, area=area), per_page=50)
    towns = queries.dormant_by_town(days) if current_user.is_admin else []
    return render_template("sessions/dormant.html", page=page, days=days, area=area,
                           towns=towns)

