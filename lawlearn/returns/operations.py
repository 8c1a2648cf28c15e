"""Submitting a monthly return: the figures of the month as the coverage report has them now,
and the town's summary. Submitting again replaces the figures and summary but keeps the day of
first submission, which decides whether the return was on time."""

from __future__ import annotations

import calendar
from datetime import date

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.audit import record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, MonthlyReturn

MAX_SUMMARY = 5000
FIGURES = ("sessions", "attendances", "participants", "active_units", "quiz_attempts")


class ReturnError(ValueError):
    pass


def month_figures(area: Area, month: date, today: date) -> dict:
    from lawlearn.reports.coverage import coverage
    from lawlearn.reports.periods import Period

    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    total = coverage(area, Period(month, min(last, today)), today=today)["total"]
    return {"units": total["units"]["total"], **{k: total[k] for k in FIGURES}}


def submit_return(area: Area, month: date, summary: str, *, actor=None) -> MonthlyReturn:
    today = clock.today()
    if area.level != "town":
        raise ReturnError(_("Monthly returns are made by towns."))
    if month > today.replace(day=1):
        raise ReturnError(_("The month has not begun yet."))
    summary = (summary or "").strip()
    if not summary:
        raise ReturnError(_("Write a short summary of the month's work."))
    if len(summary) > MAX_SUMMARY:
        raise ReturnError(_("The summary is longer than %(n)d characters.", n=MAX_SUMMARY))
    found = db.session.scalar(sa.select(MonthlyReturn).where(
        MonthlyReturn.area_id == area.id, MonthlyReturn.month == month))
    figures = month_figures(area, month, today)
    user_id = getattr(getattr(actor, "user", actor), "id", None)
    if found is None:
        found = MonthlyReturn(area_id=area.id, month=month, submitted_on=today,
                              submitted_by_id=user_id, figures=figures, summary=summary)
        db.session.add(found)
        action = "submit_return"
    else:
        found.figures, found.summary, found.submitted_by_id = figures, summary, user_id
        action = "update_return"
    db.session.flush()
    record(actor, action, found, object_type="monthly_returns",
           object_code=f"{area.code}-{month:%Y-%m}", area_id=area.id,
           changes={"month": f"{month:%Y-%m}", "figures": figures})
    return found
