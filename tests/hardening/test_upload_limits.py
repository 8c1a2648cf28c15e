"""Uploaded files that are broken, hostile or too big get a message naming the problem and
write nothing: cells no spreadsheet holds, numbers no column holds, zip bombs, YAML bombs."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from lawlearn.models import Area, Quiz, StudyUnit
from tests.integration.helpers import EN, count, csv_file, text, xlsx_file

UNIT_HEADERS = ["编码", "类型", "名称", "所属区域编码", "负责人", "联系电话", "覆盖数", "登记日期"]


def _unit_row(**cells):
    row = {"code": "330101001-H009", "kind": "中心户", "name": "张家中心户",
           "area_code": "330101001", "leader_name": "张建国", "leader_phone": "13900000011",
           "reach": "12", "registered_on": "2026-03-01", **cells}
    return list(row.values())


def _upload(client, kind: str, body: bytes, filename: str):
    return client.post(f"/imports/{kind}", headers=EN, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), filename)})


def _with_cell_xml(body: bytes, marker: str, replacement: str) -> bytes:
    """The workbook with one number cell's <v> rewritten, as another program might write it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{marker}</v>".encode(), f"<v>{replacement}</v>".encode())
            target.writestr(item, data)
    return out.getvalue()


def test_a_csv_cell_beyond_the_csv_field_limit_is_refused(office, app, county):
    body = csv_file([UNIT_HEADERS, _unit_row(name="长" * 140_000)])
    response = _upload(office, "units", body, "units.csv")
    assert response.status_code == 400
    assert "longer than 32767 characters" in text(response).replace(",", "")
    assert count(app, StudyUnit) == 0


def test_an_xlsx_cell_longer_than_a_spreadsheet_cell_is_refused(office, app, county):
    body = _with_cell_xml(xlsx_file([UNIT_HEADERS, _unit_row(reach=424242)]), "424242",
                          "1" * 40_000)
    response = _upload(office, "units", body, "units.xlsx")
    assert response.status_code == 400
    assert count(app, StudyUnit) == 0


@pytest.mark.parametrize("reach", ["9" * 5000, "9" * 30, "²", "１２"])
def test_a_count_no_column_holds_is_a_row_error(office, app, county, reach):
    response = _upload(office, "units", csv_file([UNIT_HEADERS, _unit_row(reach=reach)]),
                       "units.csv")
    assert response.status_code == 400
    assert "is not a whole number of 0 or more" in text(response)
    assert count(app, StudyUnit) == 0


@pytest.mark.parametrize("written", ["NaN", "INF", "-INF", "1e999", "9" * 5000])
def test_a_number_cell_no_arithmetic_holds_is_a_row_error(office, app, county, written):
    body = _with_cell_xml(xlsx_file([UNIT_HEADERS, _unit_row(reach=424242)]), "424242", written)
    response = _upload(office, "units", body, "units.xlsx")
    assert response.status_code == 400
    assert count(app, StudyUnit) == 0


def test_a_date_cell_beyond_any_calendar_is_a_row_error(office, app, county):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(UNIT_HEADERS)
    sheet.append(_unit_row(registered_on=None))
    sheet["H2"].value, sheet["H2"].number_format = 1e12, "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    response = _upload(office, "units", out.getvalue(), "units.xlsx")
    assert response.status_code == 400
    assert "is not a date" in text(response)
    assert count(app, StudyUnit) == 0


@pytest.mark.parametrize("phone", ["1e999", "NaN"])
def test_a_phone_of_1e999_is_a_row_error_in_every_import_with_phones(office, app, county,
                                                                    phone):
    from lawlearn.models import Attempt

    rows = [["测验", "活动编码", "姓名", "手机号", "得分", "日期"],
            ["civil-code", "", "李秀英", 13900000021, 85, "2026-03-15"]]
    body = _with_cell_xml(xlsx_file(rows), "13900000021", phone)
    response = _upload(office, "quiz-results", body, "results.xlsx")
    assert response.status_code == 400
    assert count(app, Attempt) == 0


def test_an_xlsx_zip_bomb_is_refused_before_it_is_parsed(office, app, county):
    """A small upload that unpacks far beyond the limit (here 1 MB, configurable): the
    declared sizes are read from the zip's directory, the sheet is never parsed."""
    app.config["IMPORT_MAX_UNPACKED_MB"] = 1
    padding = "<!--" + " " * (3 * 1024 * 1024) + "-->"
    body = xlsx_file([UNIT_HEADERS, _unit_row()])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + padding.encode())
            target.writestr(item.filename, data)
    assert len(out.getvalue()) < 100_000
    response = _upload(office, "units", out.getvalue(), "units.xlsx")
    assert response.status_code == 400
    assert re.search(r"unpacks to \d+ MB, more than the 1 MB", text(response))
    assert count(app, StudyUnit) == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_sheet_with_more_rows_than_allowed_is_refused(office, app, county, fmt):
    app.config["IMPORT_MAX_ROWS"] = 50
    rows = [["编码", "名称", "级别", "上级编码"]] + [
        [f"3301010{n:02d}", f"村{n}", "村", "330101"] for n in range(10, 70)]
    body = csv_file(rows) if fmt == "csv" else xlsx_file(rows)
    response = _upload(office, "areas", body, f"areas.{fmt}")
    assert response.status_code == 400
    assert "more than 50 rows" in text(response)
    assert count(app, Area) == 9  # the county's own areas only


def test_a_question_bank_xlsx_zip_bomb_is_refused(office, app, county):
    from lawlearn.quiz.xlsx import template_xlsx

    app.config["IMPORT_MAX_UNPACKED_MB"] = 1
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_xlsx())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData><!--" + b" " * 2_000_000
                                    + b"-->")
            target.writestr(item.filename, data)
    response = office.post("/quizzes/upload", headers=EN, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(out.getvalue()), "bank.xlsx"),
                                 "topic": "civil-code", "slug": "bomb"})
    assert response.status_code in (200, 400)
    assert "more than the 1 MB" in text(response)
    assert count(app, Quiz, Quiz.slug == "bomb") == 0


@pytest.mark.parametrize("bank", [
    "slug: huge\ntitle: x\ntopic: civil-code\ndraw: " + "9" * 5000 + "\nquestions: []\n",
    "slug: deep\ntitle: x\ntopic: civil-code\nquestions: " + "[" * 5000 + "]" * 5000 + "\n",
])
def test_a_yaml_bomb_bank_is_refused_with_a_message(office, app, county, bank):
    response = office.post("/quizzes/upload", headers=EN, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bank.encode()), "bank.yaml")})
    assert response.status_code in (200, 400)
    assert "not a question bank" in text(response)
    assert count(app, Quiz) == 0
