"""Evidence that is one of the town's own study sessions: choosing it (only the town's
sessions held in the scheme's period are offered or accepted) and removing the link."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, url_for
from flask_login import current_user

from lawlearn.assessment import operations
from lawlearn.assessment.forms import SessionLinkForm
from lawlearn.assessment.views import _locked, _scheme_or_404, _town_or_404, _town_page, bp
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import (
    Area,
    AssessmentScheme,
    AssessmentSessionLink,
    StudySession,
    StudyUnit,
)

CHOICES_LIMIT = 500  # the newest sessions offered in the list


def town_sessions(scheme: AssessmentScheme, town: Area):
    """The town's study sessions held in the scheme's period, newest first."""
    return sa.select(StudySession).join(StudyUnit, StudyUnit.id == StudySession.unit_id).join(
        Area, Area.id == StudyUnit.area_id).where(
        Area.path.startswith(town.path, autoescape=True),
        StudySession.held_on.between(scheme.period_start, scheme.period_end))


def link_form(scheme: AssessmentScheme, town: Area, item: str, submitted: bool = False):
    """The form with the town's sessions as its choices; `submitted` reads the request."""
    form = SessionLinkForm(prefix=f"link-{item}") if submitted else \
        SessionLinkForm(formdata=None, prefix=f"link-{item}")
    rows = db.session.execute(town_sessions(scheme, town).with_only_columns(
        StudySession.id, StudySession.code, StudySession.held_on)
        .order_by(StudySession.held_on.desc(), StudySession.id.desc())
        .limit(CHOICES_LIMIT)).all()
    form.study_session.choices = [(row.id, f"{row.held_on.isoformat()} {row.code}")
                                  for row in rows]
    return form


@bp.post("/<int:year>/towns/<int:area_id>/entries/<item>/sessions")
def link_session(year: int, area_id: int, item: str):
    found = _scheme_or_404(year)
    area = _town_or_404(area_id)
    entry = operations.entry_for(area, year, item)
    if entry is None:
        abort(404)
    if (locked := _locked(found, area)) is not None:
        return locked
    form = link_form(found, area, item, submitted=True)
    if form.validate_on_submit():
        study_session = db.session.scalar(town_sessions(found, area).where(
            StudySession.id == form.study_session.data))
        if study_session is not None:
            operations.link_session(entry, study_session, actor=current_user)
            db.session.commit()
            flash(_("Study session linked as evidence."), "success")
            return redirect(url_for("assessment.town", year=year, area_id=area.id)
                            + f"#item-{item}")
    flash(_("Choose one of the town's study sessions in the scheme's period."), "error")
    return _town_page(found, area, status=400)


@bp.post("/session-links/<int:link_id>/remove")
def unlink_session(link_id: int):
    link = db.session.get(AssessmentSessionLink, link_id) if 0 < link_id < 2**31 else None
    if link is None:
        abort(404)
    entry = link.entry
    area = _town_or_404(entry.area_id)
    found = _scheme_or_404(entry.year)
    if (locked := _locked(found, area)) is not None:
        return locked
    operations.unlink_session(link, actor=current_user)
    db.session.commit()
    flash(_("Link removed."), "success")
    return redirect(url_for("assessment.town", year=entry.year, area_id=entry.area_id)
                    + f"#item-{entry.item}")
