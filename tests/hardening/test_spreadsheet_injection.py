"""Names typed by anyone end up in files the office opens in Excel. A name that starts like a
formula stays text in every export, and a control character never breaks one; forms and
imports refuse control characters in the first place."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lawlearn.extensions import db
from lawlearn.models import Area
from tests.integration.helpers import EN, count, csv_file, field_errors, text

FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"click\")", "=cmd|' /C calc'!A0", "+1+1",
            "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def formula_villages(app, county, make_area):
    """Villages of 城关镇 named like formulas: as old data, or as another way in would leave."""
    town = county["城关镇"]["town"]
    return [make_area("village", parent=town, code=f"330101F{i:02d}", name=name)
            for i, name in enumerate(FORMULAS)]


def _report(office, fmt: str):
    response = office.get("/reports/coverage", query_string={
        "area": "330101", "format": fmt, "from": "2026-01-01", "to": "2026-06-30"})
    assert response.status_code == 200
    return response.data


def test_formula_names_stay_text_in_the_csv_report(office, formula_villages):
    rows = list(csv.reader(io.StringIO(_report(office, "csv").decode("utf-8-sig"))))
    names = {r[1] for r in rows[1:]}
    for name in FORMULAS:
        assert name not in names
        assert "'" + name in names


def test_formula_names_stay_text_in_the_xlsx_report(office, formula_villages):
    body = _report(office, "xlsx")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert all(b"<f>" not in sheet and b"<f " not in sheet for sheet in sheets)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    cells = {c.value: c for c in sheet["B"]}
    for name in FORMULAS:
        name = name.replace("\r", "\n")  # XML reads a carriage return back as a line feed
        assert cells[name].data_type == "s"
        assert cells[name].quotePrefix  # Excel's own "this is text" flag


def test_a_control_character_in_a_stored_name_does_not_break_the_xlsx_report(
        app, office, county, make_area):
    make_area("village", parent=county["城关镇"]["town"], code="330101X01", name="东\x01村")
    sheet = load_workbook(io.BytesIO(_report(office, "xlsx"))).worksheets[0]
    assert "东村" in [c.value for c in sheet["B"]]


def test_formula_text_in_a_question_bank_stays_text_in_its_xlsx_and_comes_back_the_same():
    from lawlearn.quiz.banks import QuestionSpec
    from lawlearn.quiz.xlsx import read_xlsx, write_xlsx

    question = QuestionSpec(kind="single", stem="=cmd|' /C calc'!A0", options=["-1", "+1", "@x"],
                            answer="A", explanation="=1+1", source="@SUM(1)")
    body = write_xlsx([question])
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    (back,), _skipped = read_xlsx(body)
    assert (back.stem, back.options, back.explanation, back.source) == (
        question.stem, question.options, question.explanation, question.source)


def test_every_export_writes_through_the_shared_neutraliser():
    """No module writes CSV rows or appends workbook rows on its own."""
    import re
    from pathlib import Path

    writing = re.compile(r"csv\.(?:writer|DictWriter)\(|\b(?:sheet|ws|worksheet)\.append\(")
    root = Path(__file__).resolve().parents[2] / "lawlearn"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "spreadsheets.py" and writing.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_area_form_refuses_a_control_character_and_keeps_the_rest(office, app, county):
    town = county["城关镇"]["town"]
    response = office.post("/areas/new", headers=EN, data={
        "code": "330101009", "name": "东\x01村", "level": "village", "parent_id": town.id})
    assert response.status_code == 400
    assert "control character" in " ".join(field_errors(text(response), "name"))
    assert count(app, Area, Area.code == "330101009") == 0


def test_the_unit_form_refuses_a_control_character(office, app, county):
    from lawlearn.models import StudyUnit

    response = office.post("/units/new/household", headers=EN, data={
        "area_id": county["城关镇"]["village"].id, "name": "张家\x1b中心户",
        "leader_name": "张建国", "leader_phone": "13900000011", "reach": "12",
        "registered_on": "2026-03-01"})
    assert response.status_code == 400
    assert "control character" in " ".join(field_errors(text(response), "name"))
    assert count(app, StudyUnit) == 0


def test_an_import_refuses_a_control_character_and_writes_nothing(office, app, county):
    body = csv_file([["编码", "名称", "级别", "上级编码"], ["330101009", "东\x01村", "村", "330101"]])
    response = office.post("/imports/areas", headers=EN, data={
        "file": (io.BytesIO(body), "areas.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "control character" in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(Area.id).where(Area.code == "330101009")) is None
