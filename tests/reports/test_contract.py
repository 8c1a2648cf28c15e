"""The coverage contract (docs/contracts.md) on a county small enough to count by hand.

城关镇: household H1 (reach 10) and building B1 (reach 30), plus a retired household.
青山镇: enterprise group E1 (reach 25), and household H2 registered only on 1 July.
Period 2026-01-01 … 2026-06-30. 甲 attends in both towns; 丙 has no mobile; 丁 is only ever
absent inside the period; S3 (31 Dec) and S4 (1 July) fall just outside; S2 is on the last day.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

from lawlearn.extensions import db
from lawlearn.models import Area
from lawlearn.reports.coverage import coverage, recount
from lawlearn.reports.exports import COLUMNS, table_rows
from lawlearn.reports.periods import Period
from tests.conftest import TODAY

HALF_YEAR = Period(date(2026, 1, 1), date(2026, 6, 30))

CHENGGUAN = {
    "code": "330101", "name": "城关镇", "level": "town",
    "units": {"household": 1, "enterprise_group": 0, "building": 1, "total": 2},
    "active_units": 2, "sessions": 2, "attendances": 2, "participants": 2,
    "households_reached": 40, "workers_reached": 0,
    "quiz_attempts": 1, "quiz_participants": 1, "mean_score": 80.0, "pass_rate": 1.0,
}
QINGSHAN = {
    "code": "330102", "name": "青山镇", "level": "town",
    "units": {"household": 0, "enterprise_group": 1, "building": 0, "total": 1},
    "active_units": 1, "sessions": 1, "attendances": 2, "participants": 2,
    "households_reached": 0, "workers_reached": 25,
    "quiz_attempts": 1, "quiz_participants": 1, "mean_score": 50.0, "pass_rate": 0.0,
}
COUNTY_TOTAL = {
    "code": "330100", "name": "示范县", "level": "county",
    "units": {"household": 1, "enterprise_group": 1, "building": 1, "total": 3},
    "active_units": 3, "sessions": 3, "attendances": 4,
    "participants": 3,  # 甲, 乙, 丙: not 2 + 2, since 甲 attended in both towns
    "households_reached": 40, "workers_reached": 25,
    "quiz_attempts": 2, "quiz_participants": 2, "mean_score": 65.0, "pass_rate": 0.5,
}


def county_area():
    return db.session.scalar(sa.select(Area).where(Area.code == "330100"))


def test_the_half_year_report_matches_the_hand_count(small_county):
    report = coverage(county_area(), HALF_YEAR, today=TODAY)
    assert report == {
        "area": {"code": "330100", "name": "示范县", "level": "county"},
        "from": "2026-01-01", "to": "2026-06-30",
        "rows": [CHENGGUAN, QINGSHAN], "total": COUNTY_TOTAL,
    }


def test_a_town_report_lists_every_child_with_zeros(small_county):
    town = db.session.scalar(sa.select(Area).where(Area.code == "330102"))
    report = coverage(town, HALF_YEAR, today=TODAY)
    assert [r["code"] for r in report["rows"]] == ["330102001", "330102101", "330102E01"]
    village, community, enterprise = report["rows"]
    assert community["sessions"] == 0 and community["mean_score"] is None
    assert village["units"]["total"] == 0  # H2 registered after the period
    assert enterprise["participants"] == 2 and enterprise["workers_reached"] == 25
    assert report["total"] == QINGSHAN


@pytest.mark.parametrize("start, end", [
    ("2026-01-01", "2026-06-30"),   # whole months: the summaries
    ("2026-03-10", "2026-06-30"),   # starts mid-month: raw edge + summaries
    ("2026-01-01", "2026-06-29"),   # ends the day before S2
    ("2026-03-11", "2026-06-29"),   # both edges
    ("2025-12-31", "2026-07-01"),   # two years: distinct counts from the raw tables
    ("2026-06-30", "2026-06-30"),   # one day
    ("2026-01-01", "2026-12-31"),   # whole year, including July
])
def test_every_period_equals_a_straight_recount(small_county, start, end):
    period = Period(date.fromisoformat(start), date.fromisoformat(end))
    assert coverage(county_area(), period, today=TODAY) == recount(county_area(), period)


def test_a_period_ending_the_day_before_loses_the_last_days_session(small_county):
    report = coverage(county_area(), Period(date(2026, 1, 1), date(2026, 6, 29)), today=TODAY)
    assert report["total"]["sessions"] == 2
    assert report["total"]["participants"] == 2  # 甲 and 乙 from S1; 丙 only came on 30 June


def test_the_cli_prints_the_contract_as_json(small_county, runner):
    result = runner.invoke(args=["report", "coverage", "--area", "330100", "--from",
                                 "2026-01-01", "--to", "2026-06-30"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == [CHENGGUAN, QINGSHAN]
    assert report["total"] == COUNTY_TOTAL


def test_csv_and_xlsx_carry_exactly_the_json_figures(small_county, runner, tmp_path):
    args = ["report", "coverage", "--area", "330100", "--from", "2026-01-01", "--to",
            "2026-06-30"]
    report = json.loads(runner.invoke(args=args).stdout)
    with force_locale("en"):
        expected = [["" if v is None else v for v in row] for row in table_rows(report)]
    args += ["--lang", "en"]  # the English file is headed with the contract's codes

    runner.invoke(args=[*args, "--format", "csv", "--out", str(tmp_path / "r.csv")])
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [name for name, _label, _read in COLUMNS]
    assert rows[1:] == [[str(v) for v in row] for row in expected]

    runner.invoke(args=[*args, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")])
    book = load_workbook(tmp_path / "r.xlsx")
    sheet = book["coverage"]
    read = [[("" if c is None else c) for c in row] for row in sheet.iter_rows(min_row=2,
                                                                           values_only=True)]
    assert read == expected
    assert sheet.freeze_panes == "D2"
    params = dict(book["parameters"].iter_rows(values_only=True))
    assert params["from"] == "2026-01-01" and params["area_code"] == "330100"


@pytest.mark.parametrize("args, message", [
    (["--area", "999999"], "999999"),
    (["--from", "2026-06-01", "--to", "2026-01-01"], "2026-06-01"),
    (["--from", "2026-13-01"], "2026-13-01"),
    (["--to", "tomorrow"], "tomorrow"),
    (["--format", "pdf"], "pdf"),
])
def test_bad_input_is_refused_with_a_message_and_no_traceback(small_county, runner, args,
                                                              message):
    base = ["report", "coverage"] if args[0] == "--area" else ["report", "coverage", "--area",
                                                                "330100"]
    result = runner.invoke(args=[*base, *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_rebuild_command_recomputes_the_same_summaries(small_county, runner):
    before = coverage(county_area(), HALF_YEAR, today=TODAY)
    result = runner.invoke(args=["report", "rebuild"])
    assert result.exit_code == 0, result.output
    assert coverage(county_area(), HALF_YEAR, today=TODAY) == before
