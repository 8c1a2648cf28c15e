"""Changing budgets: the county's standard for a year, allocations to a town, a town's
disbursements. Each change is audited in the caller's transaction; nothing here commits (the
view commits once and redirects)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.audit import diff, record
from lawlearn.budgets.money import yuan
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Area, BudgetAllocation, BudgetDisbursement, BudgetStandard
from lawlearn.models.sessions import StudySession

STANDARD_FIELDS = ("household_fen", "enterprise_group_fen", "building_fen",
                   "village_floor_fen", "town_floor_fen")
NOTE_MAX = 1000


class BudgetError(ValueError):
    """Refused; the message says why, in the user's language."""


def set_standard(county: Area, year: int, values: dict[str, int], *,
                 actor=None) -> BudgetStandard:
    """Create or change the county's standard for `year` (amounts in fen)."""
    if county.level != "county":
        raise BudgetError(_("Budget standards are set for a county."))
    found = db.session.scalar(sa.select(BudgetStandard).where(
        BudgetStandard.area_id == county.id, BudgetStandard.year == year))
    user_id = getattr(getattr(actor, "user", actor), "id", None)
    values = {k: int(values[k]) for k in STANDARD_FIELDS}
    if found is None:
        found = BudgetStandard(area_id=county.id, year=year, updated_by_id=user_id, **values)
        db.session.add(found)
        db.session.flush()
        changes = {k: [None, v] for k, v in values.items()}
        action = "set_standard"
    else:
        changes = diff(found, values)
        found.updated_by_id = user_id
        action = "change_standard"
    found.area = county
    record(actor, action, found, changes=changes, area_id=county.id)
    return found


def _check_town(town: Area, year: int, on: date) -> None:
    if town.level != "town":
        raise BudgetError(_("Budgets are allocated to towns."))
    if on > clock.today():
        raise BudgetError(_("The date is in the future."))
    if on.year < year - 1 or on.year > year + 1:
        raise BudgetError(_("The date is more than a year away from the budget year %(year)d.",
                            year=year))


def allocate(town: Area, year: int, *, amount_fen: int, allocated_on: date,
             note: str | None = None, actor=None) -> BudgetAllocation:
    _check_town(town, year, allocated_on)
    allocation = BudgetAllocation(
        area_id=town.id, area=town, year=year, amount_fen=amount_fen, allocated_on=allocated_on,
        note=(note or "").strip() or None,
        created_by_id=getattr(getattr(actor, "user", actor), "id", None))
    db.session.add(allocation)
    db.session.flush()
    record(actor, "allocate_budget", allocation, changes={
        "year": year, "amount": yuan(amount_fen), "allocated_on": allocated_on.isoformat(),
        "note": allocation.note})
    return allocation


def remove_allocation(allocation: BudgetAllocation, *, actor=None) -> None:
    record(actor, "remove_allocation", allocation, changes={
        "year": allocation.year, "amount": yuan(allocation.amount_fen),
        "allocated_on": allocation.allocated_on.isoformat()})
    db.session.delete(allocation)


def disburse(town: Area, year: int, *, paid_on: date, amount_fen: int, payee: str,
             purpose: str, activity: str | None, study_session: StudySession | None,
             voucher: tuple[str, str, str], actor=None) -> BudgetDisbursement:
    """Record a payment; `voucher` is (stored file name, name as sent, content type)."""
    _check_town(town, year, paid_on)
    if study_session is not None and not (
            study_session.unit.area.path.startswith(town.path)
            and study_session.held_on.year == year):
        raise BudgetError(_("Choose a study session of this town in %(year)d.", year=year))
    filename, original, content_type = voucher
    payment = BudgetDisbursement(
        area_id=town.id, area=town, year=year, paid_on=paid_on, amount_fen=amount_fen,
        payee=payee.strip(), purpose=purpose.strip(), activity=(activity or "").strip() or None,
        study_session_id=study_session.id if study_session else None,
        voucher_filename=filename, voucher_name=original[:200] or filename,
        voucher_type=content_type,
        created_by_id=getattr(getattr(actor, "user", actor), "id", None))
    db.session.add(payment)
    db.session.flush()
    record(actor, "record_disbursement", payment, changes={
        "year": year, "amount": yuan(amount_fen), "paid_on": paid_on.isoformat(),
        "payee": payment.payee, "purpose": payment.purpose, "activity": payment.activity,
        "study_session": study_session.code if study_session else None,
        "voucher": payment.voucher_name})
    return payment


def remove_disbursement(payment: BudgetDisbursement, *, actor=None) -> str:
    """Delete the payment; returns its voucher's file name, to delete after the commit."""
    record(actor, "remove_disbursement", payment, changes={
        "year": payment.year, "amount": yuan(payment.amount_fen),
        "paid_on": payment.paid_on.isoformat(), "payee": payment.payee})
    name = payment.voucher_filename
    db.session.delete(payment)
    return name
