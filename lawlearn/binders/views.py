"""Evidence binders (台账) on the web: ask for one (the request only queues it and redirects),
watch its progress on its page (a reload link: no script, no meta refresh), download it when
done, and print its summary on A4.

Coordinators ask for and see their own town's binders, the office any town's; leaders have no
binders (403). A job is loaded through its town (scope.area_filter), so another town's binder
is a 404 like any object outside the user's scope."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from lawlearn import scope
from lawlearn.areas.queries import area_choices
from lawlearn.audit import record
from lawlearn.binders import jobs, summary
from lawlearn.binders.archive import download_name
from lawlearn.binders.forms import BinderForm
from lawlearn.binders.queries import Subject, read_index
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import BinderJob

bp = Blueprint("binders", __name__, url_prefix="/binders")
PER_PAGE = 25
# Binders one user may have waiting or being built at once: each is minutes of a server's time.
MAX_OPEN_JOBS = 1


@bp.before_request
def signed_in():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.is_leader:
        abort(403)
    return None


def _job_list() -> sa.Select:
    return (sa.select(BinderJob).join(BinderJob.area).where(scope.area_filter())
            .order_by(BinderJob.created_at.desc(), BinderJob.id.desc()))


def get_job_or_404(job_id: int) -> BinderJob:
    job = db.session.scalar(sa.select(BinderJob).join(BinderJob.area)
                            .where(BinderJob.id == job_id, scope.area_filter()))
    if job is None:
        abort(404)
    return job


@bp.route("/", methods=["GET", "POST"])
def index():
    form = BinderForm(towns=area_choices(("town",)))
    if form.validate_on_submit():
        start, end = form.period()
        town = scope.get_area_or_404(form.town.data)
        if (same := jobs.open_job(town, form.unit, start, end)) is not None:
            flash(_("The same binder is already being put together: here it is."), "info")
            return redirect(url_for("binders.show", job_id=same.id))
        if jobs.open_jobs_of(current_user) >= MAX_OPEN_JOBS:
            flash(_("Your last binder is still being put together: ask for the next one when "
                    "it is ready."), "error")
            page = db.paginate(_job_list(), per_page=PER_PAGE, error_out=False)
            return render_template("binders/index.html", form=form, page=page), 429
        job = jobs.request_binder(town, form.unit, start, end, actor=current_user,
                                  locale=str(get_locale() or "zh_Hans"))
        db.session.commit()
        job_id = job.id
        jobs.dispatch(job_id)
        jobs.purge()   # the week-old binders go without waiting for cron
        flash(_("The binder is being put together. This page shows how far it has got."),
              "success")
        return redirect(url_for("binders.show", job_id=job_id))
    page = db.paginate(_job_list(), per_page=PER_PAGE, error_out=False)
    return render_template("binders/index.html", form=form, page=page), \
        400 if form.errors else 200


@bp.get("/<int:job_id>")
def show(job_id: int):
    return render_template("binders/show.html", job=get_job_or_404(job_id))


@bp.get("/<int:job_id>/download")
def download(job_id: int):
    job = get_job_or_404(job_id)
    path = jobs.file_path(job)
    if path is None:
        abort(404)
    record(current_user, "export", job, {"format": "zip"}, area_id=job.area_id)
    db.session.commit()
    response = send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=download_name(Subject.of(job)), max_age=0)
    response.cache_control.public = False
    response.cache_control.private = True
    return response


@bp.get("/<int:job_id>/print")
def print_view(job_id: int):
    """The summary on A4, read live for the job's town (or unit) and period."""
    job = get_job_or_404(job_id)
    subject = Subject.of(job)
    return render_template("binders/print.html", job=job,
                           **summary.context(subject, read_index(subject)))


