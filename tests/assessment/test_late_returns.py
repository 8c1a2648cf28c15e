"""A deduction that counts late monthly returns (`metric: late_returns`), to the cent on the
hand-scored county of conftest.py with the entries of helpers.py.

Today is 27 Nov 2026, so January to October are due (November's 28th has not come):
城关镇 returned every month, March late → 1 late; its D1 entry 1.0675 → 2.0675 × 2 = 4.135
  off 10 → 5.865 → 5.87 (half-up). Total 81.2 − 7.87 + 5.87 = 79.2 → 合格 (was 良好).
青山镇 returned every month on time → 0 late; entry 6 → 10 − 12 floored at 0. Total 46.
东湖镇 returned January to September → October missing, 1 late → 10 − 2 = 8. Total 8.
西岭镇 returned nothing → 10 late, and its entry 2.5 → 0. E1 5. Total 5.
南山镇 returned every month on time → D1 10, E1 4 = 14, vetoed: last.
"""

from __future__ import annotations

import html
import json
from datetime import date

import pytest

from lawlearn.extensions import db
from lawlearn.models import MonthlyReturn
from tests.assessment.helpers import ENTRIES, SCHEME, import_entries, load_scheme
from tests.conftest import login, recorded_queries

LATE_SCHEME = SCHEME.replace("rule: {kind: deduction, per: 2}",
                             "rule: {kind: deduction, per: 2, metric: late_returns}")
ZERO = {"A1": 0.0, "A2": 0.0, "B1": 0.0, "B2": 0.0, "C1": 0.0, "C2": 0.0, "V1": 0.0}
EXPECTED = [
    {"code": "330101", "name": "城关镇",
     "items": {"A1": 11.25, "A2": 10.0, "B1": 18.75, "B2": 13.33, "C1": 10.0, "C2": 5.0,
               "D1": 5.87, "E1": 5.0, "V1": 0.0},
     "total": 79.2, "vetoed": False, "grade": "合格", "rank": 1},
    {"code": "330102", "name": "青山镇",
     "items": {"A1": 0.0, "A2": 0.0, "B1": 20.0, "B2": 20.0, "C1": 0.0, "C2": 6.0, "D1": 0.0,
               "E1": 0.0, "V1": 0.0},
     "total": 46.0, "vetoed": False, "grade": "不合格", "rank": 2},
    {"code": "330103", "name": "东湖镇", "items": {**ZERO, "D1": 8.0, "E1": 0.0},
     "total": 8.0, "vetoed": False, "grade": "不合格", "rank": 3},
    {"code": "330104", "name": "西岭镇", "items": {**ZERO, "D1": 0.0, "E1": 5.0},
     "total": 5.0, "vetoed": False, "grade": "不合格", "rank": 4},
    {"code": "330105", "name": "南山镇", "items": {**ZERO, "D1": 10.0, "E1": 4.0},
     "total": 14.0, "vetoed": True, "grade": "不合格", "rank": 5},
]


def returns(town, months, late=()):
    """The town's returns for `months` (numbers), submitted on the 20th, or for a month in
    `late` on the 30th (after the 28th, the due day)."""
    for m in months:
        db.session.add(MonthlyReturn(area_id=town.id, month=date(2026, m, 1),
                                     submitted_on=date(2026, m, 30 if m in late else 20),
                                     figures={}, summary="本月开展学习活动。"))


@pytest.fixture
def late_county(assessed_county, fixed_today, runner, tmp_path, app):
    towns = assessed_county["towns"]
    with app.app_context():
        returns(towns["330101"], range(1, 11), late={3})
        returns(towns["330102"], range(1, 11))
        returns(towns["330103"], range(1, 10))
        returns(towns["330105"], range(1, 12))
        db.session.commit()
    loaded = load_scheme(runner, tmp_path, LATE_SCHEME)
    assert loaded.exit_code == 0, loaded.output
    assert import_entries(runner, tmp_path, ENTRIES).exit_code == 0
    return assessed_county


def test_late_returns_are_deducted_as_worked_out_by_hand(late_county, runner):
    result = runner.invoke(args=["assess", "score", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == EXPECTED


def test_the_deduction_says_how_many_returns_were_late(client, late_county, make_user):
    login(client, make_user("admin", area=late_county["county"]))
    en = {"Accept-Language": "en"}
    page = html.unescape(client.get(
        f"/assessment/2026/towns/{late_county['towns']['330103'].id}", headers=en).get_data(
        as_text=True))
    assert "1 return late × 2 = 2 points deducted, down to 0 at most → 8 of 10" in page
    page = html.unescape(client.get(
        f"/assessment/2026/towns/{late_county['towns']['330101'].id}", headers=en).get_data(
        as_text=True))
    assert ("1 return late + 1.0675 by entry × 2 = 4.135 points deducted, down to 0 at most"
            " → 5.87 of 10") in page
    scheme = html.unescape(client.get("/assessment/2026/scheme", headers=en).get_data(
        as_text=True))
    assert "2 points off for each monthly return late or missing" in scheme


def test_the_late_returns_cost_the_same_queries_for_more_towns(client, late_county, make_user,
                                                              make_area, app):
    login(client, make_user("admin", area=late_county["county"]))
    client.get("/assessment/2026/")
    with recorded_queries(app) as few:
        assert client.get("/assessment/2026/").status_code == 200
    for n in range(6, 12):
        make_area("town", parent=late_county["county"], code=f"3301{n:02d}", name=f"新镇{n}")
    with recorded_queries(app) as many:
        assert client.get("/assessment/2026/").status_code == 200
    assert len(many) == len(few)


def test_an_unknown_metric_on_a_deduction_is_refused_naming_the_item(assessed_county, runner,
                                                                    tmp_path):
    bad = SCHEME.replace("rule: {kind: deduction, per: 2}",
                         "rule: {kind: deduction, per: 2, metric: late_reports}")
    result = load_scheme(runner, tmp_path, bad)
    assert result.exit_code != 0
    assert "D1" in result.output and "late_reports" in result.output


def test_the_late_returns_metric_survives_the_yaml_and_xlsx_round_trips():
    from lawlearn.assessment.scheme import parse_yaml, to_yaml
    from lawlearn.assessment.scheme_sheet import read_xlsx, to_xlsx

    document = parse_yaml(LATE_SCHEME.encode())
    d1 = next(i for i in document["items"] if i["code"] == "D1")
    assert d1["rule"] == {"kind": "deduction", "per": 2, "metric": "late_returns"}
    assert parse_yaml(to_yaml(document).encode()) == document
    assert read_xlsx(to_xlsx(document))["items"] == document["items"]
