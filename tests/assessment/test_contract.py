"""`lawlearn assess score` to the cent on a county scored by hand (tests/assessment/conftest.py,
scheme and entries in helpers.py).

城关镇: A1 15 × 3/4 households = 11.25; A2 10 × 1/1 = 10; B1 3 of 4 units active = 0.75,
  full at 0.8 → 20 × 0.9375 = 18.75; B2 4 sessions / 4 units = 1, full at 1.5 → 13.333 → 13.33;
  C1 pass rate 3/4 = 0.75 meets the 0.75 band → 10; C2 10 attendances / 4 = 2.5 of 5 → 5;
  D1 10 − 2 × 1.0675 = 7.865 → 7.87 (half-up; half-even would give 7.86); E1 7 capped at 5.
  Total 81.2 → 良好, rank 1.
青山镇: A1, A2 no 2026 target → 0; B1 1 of 1 → 20; B2 2 sessions per unit, capped → 20;
  C1 no quiz (pass rate null) → 0; C2 3 / 1 = 3 of 5 → 6; D1 10 − 12 floored at 0. Total 46.
东湖镇: no units, nothing but D1's untouched 10 → 10.   西岭镇: D1 10 − 5 = 5, E1 5 → 10 (a tie).
南山镇: D1 10 + E1 4 = 14, but vetoed: last, and the lowest grade.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tests.assessment.helpers import ENTRIES, import_entries, load_scheme

ZERO_ITEMS = {"A1": 0.0, "A2": 0.0, "B1": 0.0, "B2": 0.0, "C1": 0.0, "C2": 0.0, "V1": 0.0}
EXPECTED_ROWS = [
    {"code": "330101", "name": "城关镇",
     "items": {"A1": 11.25, "A2": 10.0, "B1": 18.75, "B2": 13.33, "C1": 10.0, "C2": 5.0,
               "D1": 7.87, "E1": 5.0, "V1": 0.0},
     "total": 81.2, "vetoed": False, "grade": "良好", "rank": 1},
    {"code": "330102", "name": "青山镇",
     "items": {"A1": 0.0, "A2": 0.0, "B1": 20.0, "B2": 20.0, "C1": 0.0, "C2": 6.0, "D1": 0.0,
               "E1": 0.0, "V1": 0.0},
     "total": 46.0, "vetoed": False, "grade": "不合格", "rank": 2},
    {"code": "330103", "name": "东湖镇", "items": {**ZERO_ITEMS, "D1": 10.0, "E1": 0.0},
     "total": 10.0, "vetoed": False, "grade": "不合格", "rank": 3},
    {"code": "330104", "name": "西岭镇", "items": {**ZERO_ITEMS, "D1": 5.0, "E1": 5.0},
     "total": 10.0, "vetoed": False, "grade": "不合格", "rank": 3},
    {"code": "330105", "name": "南山镇", "items": {**ZERO_ITEMS, "D1": 10.0, "E1": 4.0},
     "total": 14.0, "vetoed": True, "grade": "不合格", "rank": 5},
]


@pytest.fixture
def scored(assessed_county, fixed_today, runner, tmp_path):
    loaded = load_scheme(runner, tmp_path)
    assert loaded.exit_code == 0, loaded.output
    imported = import_entries(runner, tmp_path, ENTRIES)
    assert imported.exit_code == 0, imported.output
    return assessed_county


def score(runner, *args):
    result = runner.invoke(args=["assess", "score", "--year", "2026", *args])
    assert result.exit_code == 0, result.output
    return result


def test_the_county_scores_as_worked_out_by_hand(scored, runner):
    report = json.loads(score(runner).output)
    assert report == {"year": 2026, "title": "2026年度普法工作定量考核细则",
                      "area": {"code": "330100", "level": "county"},
                      "from": "2026-01-01", "to": "2026-12-31", "rows": EXPECTED_ROWS}


def test_naming_the_county_gives_the_same_scores(scored, runner):
    assert json.loads(score(runner, "--area", "330100").output)["rows"] == EXPECTED_ROWS


def test_a_town_scores_its_villages_and_communities(scored, runner):
    report = json.loads(score(runner, "--area", "330101").output)
    assert [r["code"] for r in report["rows"]] == ["330101001", "330101101"]
    assert report["area"] == {"code": "330101", "level": "town"}


def test_scores_are_live_a_new_session_moves_them(scored, runner, app):
    from datetime import date

    import sqlalchemy as sa

    from lawlearn.extensions import db
    from lawlearn.models import Attendance, Person, StudySession, StudyUnit

    with app.app_context():
        h3 = db.session.scalars(sa.select(StudyUnit).where(StudyUnit.reach == 10)
                                .order_by(StudyUnit.id).offset(2)).first()
        s = StudySession(code="S9", unit=h3, held_on=date(2026, 10, 1), format="lecture")
        s.attendance.append(Attendance(person=Person(name="新学员"), status="present",
                                       method="roster"))
        db.session.add(s)
        db.session.commit()
    row = json.loads(score(runner).output)["rows"][0]
    # 4 of 4 active → 20; 5 sessions / 4 → 1.25 of 1.5 → 16.67; 11 / 4 = 2.75 of 5 → 5.5
    assert (row["items"]["B1"], row["items"]["B2"], row["items"]["C2"]) == (20.0, 16.67, 5.5)
    assert row["total"] == 86.29  # 81.2 − (18.75 + 13.33 + 5) + (20 + 16.67 + 5.5)


def test_csv_carries_the_same_figures(scored, runner):
    text = score(runner, "--format", "csv").output.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["code", "name", "A1", "A2", "B1", "B2", "C1", "C2", "D1", "E1", "V1",
                       "total", "vetoed", "grade", "rank"]
    assert rows[1] == ["330101", "城关镇", "11.25", "10.0", "18.75", "13.33", "10.0", "5.0",
                       "7.87", "5.0", "0.0", "81.2", "no", "良好", "1"]
    assert [r[0] for r in rows[1:]] == [r["code"] for r in EXPECTED_ROWS]
    assert rows[5][-3:] == ["yes", "不合格", "5"]


def test_xlsx_carries_the_same_figures(scored, runner, tmp_path):
    out = tmp_path / "scores.xlsx"
    score(runner, "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["code", "name", "A1"]
    assert values[1] == ["330101", "城关镇", 11.25, 10, 18.75, 13.33, 10, 5, 7.87, 5, 0, 81.2,
                         "no", "良好", 1]
    assert [v[-1] for v in values[1:]] == [1, 2, 3, 3, 5]


def test_scoring_a_year_without_a_scheme_is_a_message(assessed_county, runner):
    result = runner.invoke(args=["assess", "score", "--year", "2031"])
    assert result.exit_code != 0 and "2031" in result.output
    assert "Traceback" not in result.output


def test_scoring_an_unknown_area_is_a_message(scored, runner):
    result = runner.invoke(args=["assess", "score", "--year", "2026", "--area", "999999"])
    assert result.exit_code != 0 and "999999" in result.output
