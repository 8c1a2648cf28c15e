"""The audit page and its CSV export."""

from __future__ import annotations

import json
from collections.abc import Iterator

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import current_user, login_required

from lawlearn import clock
from lawlearn.audit import record
from lawlearn.audit_log import queries
from lawlearn.audit_log.forms import AuditFilterForm
from lawlearn.audit_log.labels import action_label, object_label
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import AuditEvent
from lawlearn.spreadsheets import csv_bytes

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50


@bp.before_request
@login_required
def office_and_towns():
    if current_user.is_leader:
        abort(403)


def _filters() -> tuple[AuditFilterForm, bool]:
    form = AuditFilterForm(request.args, find_area=queries.area_in_scope)
    return form, form.validate()


def _events(form: AuditFilterForm):
    return queries.filtered(who=(form.who.data or "").strip() or None,
                            action=form.action.data or None, area=form.found_area,
                            start=form.start_day, end=form.end_day)


def local_time(event: AuditEvent) -> str:
    return clock.local(event.at).strftime("%Y-%m-%d %H:%M:%S")


def details(event: AuditEvent) -> str:
    return json.dumps(event.changes, ensure_ascii=False, sort_keys=True) if event.changes else ""


@bp.get("/")
def index():
    form, ok = _filters()
    if not ok:
        return render_template("audit/index.html", form=form, page=None), 400
    if request.args.get("format") == "csv":
        return _csv(form)
    page = db.paginate(_events(form), per_page=PER_PAGE, error_out=False)
    return render_template("audit/index.html", form=form, page=page, local_time=local_time,
                           details=details, action_label=action_label,
                           object_label=object_label,
                           csv_args={**request.args.to_dict(), "format": "csv"})


def _csv(form: AuditFilterForm) -> Response:
    stmt = _events(form)
    record(current_user, "export", object_type="audit", changes={
        "format": "csv", **{k: v for k, v in request.args.items() if k not in ("format", "page")}})
    db.session.commit()
    header = [_("Time (Beijing)"), _("Account"), _("What"), _("Object"), _("Code"), _("Area"),
              _("Address"), _("Details")]

    def rows() -> Iterator[bytes]:
        # Streamed a batch at a time; every cell goes through the one neutraliser
        # (lawlearn.spreadsheets), so a name like "=HYPERLINK(…)" stays text.
        yield csv_bytes([header])  # with a BOM, so Excel reads the Chinese as UTF-8
        for event in db.session.scalars(stmt.execution_options(yield_per=500)):
            yield csv_bytes([[
                local_time(event), event.user.username if event.user else "",
                action_label(event.action), object_label(event.object_type),
                event.object_code, event.area.code if event.area else "", event.address,
                details(event)]], bom=False)

    return Response(stream_with_context(rows()), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="audit.csv"'})
