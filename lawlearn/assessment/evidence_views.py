"""Evidence files on an entry (考核依据): adding, reading and removing them, with the same
scoping as the entry itself (the county office, or the town's own coordinator)."""

from __future__ import annotations

from flask import abort, flash, redirect, send_file, url_for
from flask_login import current_user

from lawlearn.assessment import evidence, operations
from lawlearn.assessment.forms import EvidenceForm
from lawlearn.assessment.views import _locked, _scheme_or_404, _town_or_404, _town_page, bp
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import AssessmentEvidence
from lawlearn.validation import sent_file_name


@bp.post("/<int:year>/towns/<int:area_id>/entries/<item>/evidence")
def add_evidence(year: int, area_id: int, item: str):
    """Attach a file to the town's entry for the item (the county's or the town's own)."""
    found = _scheme_or_404(year)
    area = _town_or_404(area_id)
    entry = operations.entry_for(area, year, item)
    if entry is None:
        abort(404)
    if (locked := _locked(found, area)) is not None:
        return locked
    form = EvidenceForm(prefix=f"evidence-{item}")
    problem = None
    if form.validate_on_submit() and len(entry.evidence) >= evidence.MAX_FILES:
        problem = _("At most %(n)d files per entry.", n=evidence.MAX_FILES)
    elif form.validate_on_submit():
        try:
            prepared = evidence.prepare(form.file.data.stream, form.file.data.filename or "")
        except evidence.EvidenceError as error:
            problem = str(error)
        else:
            name = evidence.store(prepared)
            operations.add_evidence(entry, filename=name,
                                    original_name=sent_file_name(form.file.data.filename),
                                    content_type=prepared.content_type,
                                    size=len(prepared.data), actor=current_user)
            db.session.commit()
            flash(_("Evidence added."), "success")
            return redirect(url_for("assessment.town", year=year, area_id=area.id)
                            + f"#item-{item}")
    for error in [*form.file.errors, *([problem] if problem else [])]:
        flash(error, "error")
    return _town_page(found, area, status=400)


def _evidence_or_404(evidence_id: int) -> AssessmentEvidence:
    found = db.session.get(AssessmentEvidence, evidence_id) if 0 < evidence_id < 2**31 \
        else None
    if found is None:
        abort(404)
    _town_or_404(found.entry.area_id)
    return found


@bp.get("/evidence/<int:evidence_id>")
def evidence_file(evidence_id: int):
    found = _evidence_or_404(evidence_id)
    path = evidence.path_of(found.filename)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=found.content_type, download_name=found.original_name,
                     as_attachment=found.content_type == "application/pdf")


@bp.post("/evidence/<int:evidence_id>/remove")
def remove_evidence(evidence_id: int):
    found = _evidence_or_404(evidence_id)
    entry = found.entry
    scheme_ = _scheme_or_404(entry.year)
    if (locked := _locked(scheme_, entry.area)) is not None:
        return locked
    name = operations.remove_evidence(found, actor=current_user)
    db.session.commit()
    evidence.remove_files([name])
    flash(_("Evidence removed."), "success")
    return redirect(url_for("assessment.town", year=entry.year, area_id=entry.area_id)
                    + f"#item-{entry.item}")
