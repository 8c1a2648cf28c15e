"""Scoping of the budget pages: a town's coordinator gets a 404 for another town's budget,
payment or voucher, as if it did not exist, and reaches their own; the office gets a 404 for
another county's standard and allocations."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AuditEvent, BudgetAllocation, BudgetDisbursement
from tests.budgets.conftest import STANDARD
from tests.budgets.test_budgets import money, switch  # noqa: F401 (a fixture)
from tests.integration.helpers import count


def _payment(o):
    return {"payment-paid_on": "2026-05-01", "payment-amount": "10", "payment-payee": "甲",
            "payment-purpose": "乙", "payment-study_session": "0",
            "payment-voucher": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "v.pdf")}


# (endpoint, method, url, form data, who acts: a town's coordinator or the county office)
ROUTES = [
    ("budgets.town", "GET", "/budgets/towns/{town}/2026", None, "coordinator"),
    ("budgets.town_export", "GET", "/budgets/towns/{town}/2026/budget.xlsx", None,
     "coordinator"),
    ("budgets.voucher", "GET", "/budgets/vouchers/{payment}", None, "coordinator"),
    ("budgets.disburse", "POST", "/budgets/towns/{town}/2026/disbursements", _payment,
     "coordinator"),
    ("budgets.remove_disbursement", "POST", "/budgets/disbursements/{payment}/remove", None,
     "coordinator"),
    ("budgets.standard", "GET", "/budgets/standards/{county}/2026", None, "admin"),
    ("budgets.standard", "POST", "/budgets/standards/{county}/2026", lambda o: STANDARD,
     "admin"),
    ("budgets.allocate", "POST", "/budgets/towns/{town}/2026/allocations",
     lambda o: {"allocation-amount": "10", "allocation-allocated_on": "2026-05-01"}, "admin"),
    ("budgets.remove_allocation", "POST", "/budgets/allocations/{allocation}/remove", None,
     "admin"),
]


@pytest.fixture
def objects(app, money, make_area, make_user):  # noqa: F811
    """城关镇's objects (own) and 青山镇's (other); for the office, a neighbouring county's."""
    from lawlearn.budgets.operations import allocate, disburse, set_standard
    from lawlearn.models import Area

    neighbour = make_area("county", code="330200", name="邻县")
    far_town = make_area("town", parent=neighbour, code="330201", name="远镇")
    with app.test_request_context():
        qs = db.session.get(Area, money["qs"].id)
        far = db.session.get(Area, far_town.id)
        set_standard(db.session.get(Area, neighbour.id), 2026, {
            k: 100 for k in ("household_fen", "enterprise_group_fen", "building_fen",
                             "village_floor_fen", "town_floor_fen")})
        far_allocation = allocate(far, 2026, amount_fen=100, allocated_on=money_day())
        qs_payment = disburse(qs, 2026, paid_on=money_day(), amount_fen=100, payee="甲",
                              purpose="乙", activity=None, study_session=None,
                              voucher=("voucher-x.pdf", "v.pdf", "application/pdf"))
        db.session.commit()
        own_allocation = db.session.scalar(sa.select(BudgetAllocation.id).where(
            BudgetAllocation.area_id == money["cg"].id))
        own_payment = db.session.scalar(sa.select(BudgetDisbursement.id).where(
            BudgetDisbursement.area_id == money["cg"].id))
        found = {
            "coordinator": {
                "own": {"town": money["cg"].id, "payment": own_payment},
                "other": {"town": qs.id, "payment": qs_payment.id}},
            "admin": {
                "own": {"county": money["county"].id, "town": money["cg"].id,
                        "allocation": own_allocation},
                "other": {"county": neighbour.id, "town": far.id,
                          "allocation": far_allocation.id}},
        }
    return found, {"coordinator": money["cg_coord"], "admin": money["admin"]}


def money_day():
    from datetime import date

    return date(2026, 5, 1)


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {e}" for e, m, *_ in ROUTES])
def test_another_towns_or_countys_budget_is_not_found_and_ones_own_is(app, client, objects,
                                                                    route):
    _endpoint, method, url, data, who = route
    found, users = objects
    switch(client, users[who])

    def send(o):
        target = url.format(**o)
        if method == "GET":
            response = client.get(target)
        else:
            response = client.post(target, data=data(o) if data else None,
                                   content_type="multipart/form-data")
        response.close()
        return response

    events = count(app, AuditEvent)
    assert send(found[who]["other"]).status_code == 404
    assert count(app, AuditEvent) == events
    assert send(found[who]["own"]).status_code in (200, 302)
