"""Budgets, against the county of conftest.py worked out by hand: the planned formula, the
money figures and execution rate, the forms' messages, the audit trail, scoping, query counts
and the XLSX export."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from lawlearn.budgets import queries
from lawlearn.budgets.money import amount_problem, parse_yuan, yuan
from lawlearn.extensions import db
from lawlearn.models import (
    Area,
    AuditEvent,
    BudgetAllocation,
    BudgetDisbursement,
    StudyUnit,
)
from tests.budgets.conftest import allocate, disburse, photo_with_gps, set_standard
from tests.conftest import login, recorded_queries
from tests.integration.helpers import EN, count, field_errors, input_value, table_rows, text


def switch(client, username: str) -> None:
    client.post("/logout")
    login(client, username)


def fen(yuan_: str) -> int:
    return parse_yuan(yuan_)


def _session_of(app, unit, held_on=date(2026, 4, 1)) -> int:
    from lawlearn.sessions.operations import log_session

    with app.test_request_context():
        made = log_session(db.session.get(StudyUnit, unit.id), held_on=held_on,
                           topics=["civil-code"], format="lecture", lecturer="张老师",
                           duration_minutes=60)
        db.session.commit()
        return made.id


@pytest.fixture
def money(app, client, budget_county):
    """The standard, 城关镇's allocations and payments, made on the web as the story says."""
    w = budget_county
    w["session"] = _session_of(app, w["units"]["H1"])
    login(client, w["admin"])
    assert set_standard(client, w["county"]).status_code == 302
    assert allocate(client, w["cg"], "6000").status_code == 302
    assert allocate(client, w["cg"], "4,000.00", on="2026-06-01").status_code == 302
    switch(client, w["cg_coord"])
    assert disburse(client, w["cg"], "1200.50", session=w["session"]).status_code == 302
    assert disburse(client, w["cg"], "800", activity="民法典宣传月").status_code == 302
    assert disburse(client, w["cg"], "¥500").status_code == 302
    return w


# --- money ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("1200", 120000), ("1200.5", 120050), ("1,200.50", 120050), (" ¥0.01 ", 1), ("0", 0),
    ("9999999999.99", 10**12 - 1)])
def test_an_amount_is_read_as_fen(typed, expected):
    assert parse_yuan(typed) == expected


@pytest.mark.parametrize("typed", ["１２００", "12.345", "-5", "1e3", "abc", "1,20", "", "NaN",
                                   "10000000000", "1.2.3", "٣"])
def test_what_is_not_an_amount_is_refused(typed):
    assert parse_yuan(typed) is None


def test_amounts_show_as_yuan_with_two_decimals():
    assert yuan(120050) == "¥1,200.50"
    assert yuan(1) == "¥0.01"
    assert yuan(None) == "–"


# --- the formula and the figures ---------------------------------------------------------------

def test_planned_is_the_formula_worked_out_by_hand(app, money):
    with app.app_context():
        rows = {r.code: r for r in queries.town_budgets(2026, lambda a: sa.true())}
        assert rows["330101"].planned == fen("4100")
        assert rows["330102"].planned == fen("3000")
        cg = db.session.get(Area, money["cg"].id)
        lines = {b.code: (b.household, b.enterprise_group, b.building, b.amount, b.planned)
                 for b in queries.breakdown(cg, 2026)}
    assert lines == {"330101001": (3, 0, 0, fen("1500"), fen("1500")),
                     "330101101": (0, 0, 1, fen("300"), fen("1000")),
                     "330101E01": (0, 2, 0, fen("1600"), fen("1600"))}


def test_without_a_standard_nothing_is_planned(app, money):
    with app.app_context():
        rows = queries.town_budgets(2025, lambda a: sa.true())
    assert [r.planned for r in rows] == [None, None]


def test_the_money_figures_and_the_rate_as_worked_out_by_hand(app, money):
    with app.app_context():
        cg = queries.town_budget(db.session.get(Area, money["cg"].id), 2026)
        qs = queries.town_budget(db.session.get(Area, money["qs"].id), 2026)
    assert (cg.allocated, cg.disbursed, cg.spent) == (fen("10000"), fen("2500.50"),
                                                      fen("2000.50"))
    assert cg.execution_rate == Decimal("0.25005")
    assert (qs.allocated, qs.disbursed, qs.execution_rate) == (0, 0, None)


def test_the_aggregates_equal_a_direct_count(app, money):
    with app.app_context():
        rows = {r.id: r for r in queries.town_budgets(2026, lambda a: sa.true())}
        for town_id, row in rows.items():
            allocations = db.session.scalars(sa.select(BudgetAllocation).where(
                BudgetAllocation.area_id == town_id, BudgetAllocation.year == 2026)).all()
            payments = db.session.scalars(sa.select(BudgetDisbursement).where(
                BudgetDisbursement.area_id == town_id, BudgetDisbursement.year == 2026)).all()
            assert row.allocated == sum(a.amount_fen for a in allocations)
            assert row.disbursed == sum(p.amount_fen for p in payments)
            assert row.spent == sum(p.amount_fen for p in payments
                                    if p.activity or p.study_session_id)


def test_a_new_unit_moves_the_planned_budget_at_once(app, money, make_unit):
    make_unit(money["cg_village"], registered_on=date(2026, 9, 1))
    with app.app_context():
        assert queries.town_budget(db.session.get(Area, money["cg"].id), 2026).planned == \
            fen("4600")


# --- the pages ---------------------------------------------------------------------------------

def test_the_town_page_shows_the_figures_and_spending_per_activity(client, money):
    page = text(client.get(f"/budgets/towns/{money['cg'].id}/2026", headers=EN))
    for shown in ("¥4,100.00", "¥10,000.00", "¥2,500.50", "¥2,000.50", "25.0 %"):
        assert shown in page
    activities = table_rows(page.split("Spending per activity")[1])
    assert ["1", "¥800.00"] in activities and ["1", "¥500.00"] in activities


def test_the_overview_lists_every_town_with_a_county_line(app, client, money):
    switch(client, money["admin"])
    page = text(client.get("/budgets/?year=2026", headers=EN))
    rows = table_rows(page, "budget-table")
    assert rows == [["¥4,100.00", "¥10,000.00", "¥2,500.50", "¥2,000.50", "25.0 %"],
                    ["¥3,000.00", "¥0.00", "¥0.00", "¥0.00", "–"]]
    assert "¥7,100.00" in page


def test_the_overview_costs_the_same_queries_for_more_towns(app, client, money, make_area):
    switch(client, money["admin"])
    with recorded_queries(app) as few:
        assert client.get("/budgets/?year=2026").status_code == 200
    county = money["county"]
    for i in range(5):
        town = make_area("town", parent=county, code=f"33019{i}")
        make_area("village", parent=town, code=f"33019{i}001")
    with recorded_queries(app) as many:
        assert client.get("/budgets/?year=2026").status_code == 200
    assert len(many) == len(few)


def test_the_town_page_costs_the_same_queries_for_more_payments(app, client, money):
    url = f"/budgets/towns/{money['cg'].id}/2026"
    with recorded_queries(app) as few:
        assert client.get(url).status_code == 200
    for i in range(6):
        assert disburse(client, money["cg"], f"{i + 1}", activity=f"活动{i}").status_code == 302
    with recorded_queries(app) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_overview_downloads_as_xlsx_with_chinese_headers(app, client, money):
    from openpyxl import load_workbook

    switch(client, money["admin"])
    response = client.get("/budgets/budgets.xlsx?year=2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编码", "镇（街道）", "计划预算（元）")
    assert rows[0][-1] == "执行率"
    assert rows[1][:7] == ("330101", "城关镇", 4100, 10000, 2500.5, 2000.5, 7499.5)
    assert rows[1][7] == pytest.approx(0.25005)
    assert rows[3][1] == "合计" and rows[3][2] == 7100
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet["C2"].number_format == "#,##0.00"
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "export")).one()
    assert event.changes == {"budget": "overview", "year": 2026, "format": "xlsx"}


def test_a_town_downloads_its_payments_as_xlsx(client, money):
    from openpyxl import load_workbook

    response = client.get(f"/budgets/towns/{money['cg'].id}/2026/budget.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["预算执行", "拨付", "支出"]
    payments = list(book["支出"].iter_rows(values_only=True))
    assert payments[0][:4] == ("支付日期", "金额（元）", "收款人", "用途")
    assert sorted(p[1] for p in payments[1:]) == [500, 800, 1200.5]


# --- forms ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, message", [
    ("１２００", "ordinary digits"), ("12.345", "at most two decimals"),
    ("-5", "cannot be negative"), ("0", "must be above 0"), ("", "Enter an amount"),
    ("abc", "is not an amount"), ("99999999999", "larger than any budget")])
def test_a_bad_amount_is_a_message_next_to_the_field_and_nothing_is_written(
        app, client, money, typed, message):
    before = count(app, BudgetDisbursement)
    response = disburse(client, money["cg"], typed)
    assert response.status_code == 400
    page = text(response)
    errors = field_errors(page, "payment-amount")
    assert errors and message in " ".join(errors)
    assert input_value(page, "payment-payee") == "县印刷厂"
    assert count(app, BudgetDisbursement) == before


def test_amount_words_are_the_same_for_allocations_and_standards():
    assert amount_problem("0", positive=False) is None
    assert "above 0" in amount_problem("0")


def test_a_payment_needs_a_voucher_that_is_a_pdf_or_a_photo(app, client, money):
    before = count(app, BudgetDisbursement)
    response = disburse(client, money["cg"], "10", voucher=(io.BytesIO(b"MZ\x90\x00"), "a.pdf"))
    assert response.status_code == 400
    assert "Upload a PDF" in text(response)
    response = client.post(f"/budgets/towns/{money['cg'].id}/2026/disbursements",
                           data={"payment-amount": "10", "payment-paid_on": "2026-04-01",
                                 "payment-payee": "x", "payment-purpose": "y"})
    assert response.status_code == 400
    assert field_errors(text(response), "payment-voucher")
    assert count(app, BudgetDisbursement) == before


def test_a_photo_voucher_is_kept_without_its_exif(app, client, money):
    from PIL import Image

    response = disburse(client, money["cg"], "66",
                        voucher=(io.BytesIO(photo_with_gps()), "receipt.jpg"))
    assert response.status_code == 302
    with app.app_context():
        payment = db.session.scalars(sa.select(BudgetDisbursement).where(
            BudgetDisbursement.amount_fen == 6600)).one()
    served = client.get(f"/budgets/vouchers/{payment.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    data = served.data
    served.close()
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()


def test_a_voucher_keeps_its_name_without_folders_or_control_characters(app, client, money):
    """The name as sent goes back in Content-Disposition, where a newline is refused: it is
    kept without control characters or folders."""
    from lawlearn.validation import sent_file_name

    assert sent_file_name("a\n三月\x00.pdf") == "a三月.pdf"
    assert sent_file_name("  ") == "file"
    response = disburse(client, money["cg"], "77",
                        voucher=(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "../票据/发票三月.pdf"))
    assert response.status_code == 302, field_errors(text(response), "payment-voucher")
    with app.app_context():
        payment = db.session.scalars(sa.select(BudgetDisbursement).where(
            BudgetDisbursement.amount_fen == 7700)).one()
        assert payment.voucher_name == "发票三月.pdf"
    served = client.get(f"/budgets/vouchers/{payment.id}")
    assert served.status_code == 200
    served.close()


def test_a_future_date_and_another_towns_session_are_refused(app, client, money):
    other = _session_of(app, money["units"]["E3"])
    response = disburse(client, money["cg"], "10", on="2026-12-30")
    assert response.status_code == 400
    assert field_errors(text(response), "payment-paid_on")
    response = disburse(client, money["cg"], "10", session=other)
    assert response.status_code == 400
    assert field_errors(text(response), "payment-study_session")


def test_the_standard_form_shows_the_saved_amounts_again(client, money):
    switch(client, money["admin"])
    page = text(client.get(f"/budgets/standards/{money['county'].id}/2026"))
    assert input_value(page, "village_floor") == "1000.00"
    response = set_standard(client, money["county"], building="３００")
    assert response.status_code == 400
    assert field_errors(text(response), "building")


def test_every_change_is_audited(app, client, money):
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type.like("budget_%")).order_by(AuditEvent.id)).all()
    assert actions == ["set_standard", "allocate_budget", "allocate_budget",
                       "record_disbursement", "record_disbursement", "record_disbursement"]
    switch(client, money["admin"])
    with app.app_context():
        first = db.session.scalar(sa.select(BudgetAllocation.id).order_by(BudgetAllocation.id))
        payment = db.session.scalar(sa.select(BudgetDisbursement.id))
    assert client.post(f"/budgets/allocations/{first}/remove").status_code == 302
    assert client.post(f"/budgets/disbursements/{payment}/remove").status_code == 302
    assert set_standard(client, money["county"], town_floor="3500").status_code == 302
    with app.app_context():
        last = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())
                                  .limit(3)).all()
    assert [e.action for e in last] == ["change_standard", "remove_disbursement",
                                        "remove_allocation"]
    assert last[0].changes == {"town_floor_fen": [300000, 350000]}


# --- who may do what -----------------------------------------------------------------------------

def test_a_coordinator_sees_their_town_only_and_may_not_allocate(app, client, money):
    switch(client, money["qs_coord"])
    assert client.get(f"/budgets/towns/{money['cg'].id}/2026").status_code == 404
    with app.app_context():
        payment = db.session.scalar(sa.select(BudgetDisbursement.id))
    assert client.get(f"/budgets/vouchers/{payment}").status_code == 404
    assert client.post(f"/budgets/disbursements/{payment}/remove").status_code == 404
    assert disburse(client, money["cg"], "10").status_code == 404
    assert allocate(client, money["qs"], "10").status_code == 403
    assert set_standard(client, money["county"]).status_code == 403
    overview = text(client.get("/budgets/?year=2026"))
    assert "青山镇" in overview and "城关镇" not in overview


def test_leaders_have_no_budget_pages(client, money):
    switch(client, money["leader"])
    assert client.get("/budgets/").status_code == 403
    assert client.get(f"/budgets/towns/{money['cg'].id}/2026").status_code == 403
