"""Marking attendance from the roster: the whole roster in one form post, one transaction."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.participants import NameConflict
from lawlearn.period_locks import locked_period, refusal
from lawlearn.sessions import operations, queries
from lawlearn.sessions.blueprint import bp
from lawlearn.sessions.forms import RosterForm


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
def mark(session_id: int):
    session = scope.get_session_or_404(session_id)
    marks = queries.roster_marks(session)
    people = {person.id: person for person, _status in marks}
    if request.method == "GET":
        form = RosterForm(allowed_ids=set(people), data={"marks": [
            {"person_id": person.id, "initial": status or "", "status": status}
            for person, status in marks]})
    else:
        form = RosterForm(allowed_ids=set(people))
    refused = False
    lock = locked_period(db.session, session.unit.area_id, session.held_on)
    if lock is not None and form.is_submitted():
        flash(refusal(lock), "error")
        return render_template("sessions/attendance.html", session=session, form=form,
                               people=people), 409
    if form.validate_on_submit():
        try:
            counts = operations.mark_roster(session, form.changes(), form.new_people(),
                                            actor=current_user)
        except NameConflict as conflict:
            db.session.rollback()
            form.walk_in_entries()[conflict.walk_in].form.name.errors.append(str(conflict))
            refused = True
        else:
            db.session.commit()
            if any(counts.values()):
                flash(_("Attendance saved: %(added)d added, %(changed)d changed.", **counts),
                      "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("sessions.show", session_id=session.id))
    return render_template("sessions/attendance.html", session=session, form=form,
                           people=people), 400 if refused or form.errors else 200
