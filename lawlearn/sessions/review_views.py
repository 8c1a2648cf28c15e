"""The review queue (审核) on a coordinator's phone: the town's submitted study sessions with
their photos, approved with one tap each or a week at a time; returning one needs a reason.

Every route loads sessions through the user's scope (another town's session is a 404, exactly
as an unknown one); leaders, who may see their own sessions, are refused (403). Each POST calls
one operation of lawlearn.sessions.review, commits once and redirects.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lawlearn import clock, scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.sessions import review, review_queries
from lawlearn.sessions.blueprint import bp
from lawlearn.sessions.forms import ApproveManyForm, ReturnForm
from lawlearn.validation import sane_date

PER_PAGE = 50


def _reviewer_only() -> None:
    scope.require(review.may_review(current_user))


def _week() -> tuple[date, date] | None:
    """The week asked for (any day of it), else every waiting session."""
    day = request.args.get("week", type=sane_date)
    return review_queries.week_of(day) if day else None


def _queue_url(week: str | None = None) -> str:
    return url_for("sessions.review_queue", **({"week": week} if week else {}))


@bp.get("/review/")
def review_queue():
    _reviewer_only()
    week = _week()
    page = db.paginate(review_queries.waiting(week), per_page=PER_PAGE, error_out=False)
    today = clock.today()
    this_week, _sunday = review_queries.week_of(today)
    form = ApproveManyForm(formdata=None, week=week[0].isoformat() if week else "")
    return render_template(
        "sessions/review_queue.html", page=page, week=week, form=form,
        this_week=this_week, last_week=this_week - timedelta(days=7))


@bp.post("/review/approve")
def approve_many():
    """"Approve all shown": the ticked sessions of the page (a week's, or every waiting one)."""
    _reviewer_only()
    form = ApproveManyForm()
    if not form.validate_on_submit():
        flash(_("Nothing was approved: reload the page and try again."), "error")
        return redirect(_queue_url()), 303
    sessions = review_queries.in_scope(form.sessions.data or [])
    approved = review.approve_many(sessions, actor=current_user)
    db.session.commit()
    if approved:
        flash(_("%(n)s sessions approved.", n=approved), "success")
    else:
        flash(_("No session was ticked, or the ticked ones were reviewed meanwhile: nothing "
                "changed."), "info")
    return redirect(_queue_url(form.week.data or None))


@bp.post("/sessions/<int:session_id>/approve")
def approve(session_id: int):
    session = scope.get_session_or_404(session_id)
    _reviewer_only()
    try:
        review.approve_study_session(session, actor=current_user)
    except review.ReviewRefused as refused:
        db.session.rollback()
        flash(str(refused), "info")
        return redirect(_back(session.id))
    db.session.commit()
    flash(_("Session %(code)s approved.", code=session.code), "success")
    return redirect(_back(session.id))


@bp.route("/sessions/<int:session_id>/return", methods=["GET", "POST"])
def return_session(session_id: int):
    session = scope.get_session_or_404(session_id)
    _reviewer_only()
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            review.return_study_session(session, form.reason.data, actor=current_user)
        except review.ReviewRefused as refused:
            db.session.rollback()
            flash(str(refused), "info")
            return redirect(url_for("sessions.show", session_id=session.id))
        db.session.commit()
        flash(_("Session %(code)s returned to its leader.", code=session.code), "success")
        return redirect(_queue_url())
    return render_template("sessions/return.html", session=session, form=form), \
        400 if form.errors else 200


def _back(session_id: int) -> str:
    """Back to the queue when the tap came from there, else to the session's page."""
    if request.args.get("from") == "queue":
        week = request.args.get("week", type=sane_date)
        return _queue_url(week.isoformat() if week else None)
    return url_for("sessions.show", session_id=session_id)
