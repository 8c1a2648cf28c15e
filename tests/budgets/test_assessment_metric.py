"""`budget_disbursed_rate` in an assessment scheme, scored by hand on the county of
conftest.py: 城关镇 disbursed 2,500.50 of 10,000.00 allocated (0.25005); 青山镇 has nothing
allocated (0).

B1 rate, full at 0.5, 20 points: 城关镇 20 × 0.25005 / 0.5 = 10.002 → 10.00; 青山镇 0.
B2 bands [[0.25, 10], [0.1, 5]]: 城关镇 0.25005 ≥ 0.25 → 10; 青山镇 0 → 0.
M1 manual, 70 points, no entries → 0. Totals 20.00 and 0.00.
"""

from __future__ import annotations

import pytest

from lawlearn.assessment.scheme import SchemeError, check
from lawlearn.extensions import db
from lawlearn.models import Area
from tests.budgets.test_budgets import money  # noqa: F401 (a fixture)


def scheme(**b1) -> dict:
    return {"year": 2026, "title": "预算执行考核",
            "grades": [{"name": "合格", "min": 60}, {"name": "不合格", "min": 0}],
            "items": [
                {"code": "B1", "name": "预算执行率", "points": 20,
                 "rule": {"kind": "rate", "metric": "budget_disbursed_rate", "full_at": 0.5,
                          **b1}},
                {"code": "B2", "name": "预算执行档次", "points": 10,
                 "rule": {"kind": "bands", "metric": "budget_disbursed_rate",
                          "bands": [[0.1, 5], [0.25, 10]]}},
                {"code": "M1", "name": "其他", "points": 70, "rule": {"kind": "manual"}}]}


def test_a_scheme_scores_the_budget_execution_rate_as_worked_out_by_hand(app, money):  # noqa: F811
    from lawlearn.assessment.operations import load_scheme
    from lawlearn.assessment.results import score_report

    with app.test_request_context():
        found, _created = load_scheme(check(scheme()))
        db.session.commit()
        county = db.session.get(Area, money["county"].id)
        report = score_report(found, county)
    rows = {r["code"]: (r["items"], r["total"]) for r in report["rows"]}
    assert rows == {"330101": ({"B1": 10.0, "B2": 10.0, "M1": 0.0}, 20.0),
                    "330102": ({"B1": 0.0, "B2": 0.0, "M1": 0.0}, 0.0)}


def test_the_town_page_explains_the_budget_item(app, client, money):  # noqa: F811
    from lawlearn.assessment.operations import load_scheme

    with app.test_request_context():
        load_scheme(check(scheme()))
        db.session.commit()
    page = client.get(f"/assessment/2026/towns/{money['cg'].id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "budget execution rate (disbursed ÷ allocated) 25 %, full marks at 50 % → 10 of 20" in page


def test_per_unit_does_not_take_the_budget_metric():
    with pytest.raises(SchemeError, match="budget_disbursed_rate"):
        check({**scheme(), "items": [
            {"code": "B1", "name": "x", "points": 100,
             "rule": {"kind": "per_unit", "metric": "budget_disbursed_rate", "full_at": 1}}]})
