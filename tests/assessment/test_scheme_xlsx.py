"""The scheme as the office's spreadsheet (考核细则表): downloaded in the office's columns with
the rule in one cell, and uploaded back through the same check as the YAML file (refused
whole, naming the item's code and, for a bad row, its row number)."""

from __future__ import annotations

import html
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lawlearn.extensions import db
from lawlearn.models import AssessmentScheme
from tests.assessment.helpers import SCHEME, load_scheme, xlsx_bytes
from tests.conftest import login

EN = {"Accept-Language": "en"}
COLUMNS = ["一级指标", "考核项目编码", "考核项目", "考核内容", "分值", "评分标准", "考核依据", "规则"]
pytestmark = pytest.mark.usefixtures("fixed_today")


@pytest.fixture
def office(client, assessed_county, make_user, runner, tmp_path):
    grouped = SCHEME.replace("name: 学法中心户建设,", "name: 学法中心户建设, group: 阵地建设,"
                             " basis: 中心户名册,")
    assert load_scheme(runner, tmp_path, grouped).exit_code == 0
    login(client, make_user("admin", area=assessed_county["county"]))
    return client


def upload(client, data: bytes):
    return client.post("/assessment/upload", headers=EN, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "考核细则.xlsx")})


def rows_of(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).worksheets[0]
            .iter_rows(values_only=True)]


def test_the_scheme_downloads_in_the_offices_columns_and_loads_back_unchanged(office, app):
    data = office.get("/assessment/2026/scheme.xlsx").data
    rows = rows_of(data)
    assert rows[0][:2] == ["年度", 2026] and rows[2][:3] == ["考核期", "2026-01-01", "2026-12-31"]
    assert rows[3][1] == "优秀: 90, 良好: 80, 合格: 60, 不合格: 0"
    header = rows.index(COLUMNS)
    assert rows[header + 1] == ["阵地建设", "A1", "学法中心户建设", None, 15, None,
                                "中心户名册", "kind: target, unit_kind: household"]
    assert rows[header + 5][7] == "kind: bands, metric: pass_rate, bands: [[0.9, 15], " \
                                  "[0.75, 10], [0.6, 6]]"
    with app.app_context():
        before = db.session.scalars(sa.select(AssessmentScheme)).one().document
    # The office edits a number in a rule and loads the sheet back.
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    sheet.cell(row=header + 4, column=8, value="kind: rate, metric: active_rate, full_at: 0.9")
    out = io.BytesIO()
    book.save(out)
    assert upload(office, out.getvalue()).status_code == 302
    with app.app_context():
        after = db.session.scalars(sa.select(AssessmentScheme)).one().document
    assert after["items"][2]["rule"]["full_at"] == 0.9
    after["items"][2]["rule"]["full_at"] = before["items"][2]["rule"]["full_at"]
    assert after == before


def test_a_bad_sheet_is_refused_whole_naming_rows_and_codes(office, app):
    rows = rows_of(office.get("/assessment/2026/scheme.xlsx").data)
    header = rows.index(COLUMNS)
    rows[header + 1][7] = "kind: [target, unit_kind: household"  # an unclosed bracket
    rows[header + 2][4] = "十"                                 # points not a number
    rows[header + 3][7] = "kind: rate, metric: active_rate, full_at: -1"
    refused = upload(office, xlsx_bytes(rows))
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert f"Row {header + 2} (A1): the rule" in page
    assert f"Row {header + 3}: Item A2: points must be a number above 0." in page
    assert f"Row {header + 4}:" in page and "B1" in page
    with app.app_context():
        assert db.session.scalars(sa.select(AssessmentScheme)).one().document["items"][0][
            "rule"] == {"kind": "target", "unit_kind": "household"}
    no_header = upload(office, xlsx_bytes([["年度", 2026]]))
    assert no_header.status_code == 400 and "考核项目编码" in html.unescape(
        no_header.get_data(as_text=True))
