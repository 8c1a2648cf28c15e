"""The coverage report as CSV and XLSX: exactly the JSON figures, one row per child area plus
the total row."""

from __future__ import annotations

import io
from datetime import datetime

from flask_babel import gettext as _

from lawlearn import clock
from lawlearn.spreadsheets import append_row, csv_bytes

# (column in files, how to read it from a ROW). The English codes are the contract; the UI
# shows Chinese labels from COLUMN_LABELS.
COLUMNS = [
    ("code", lambda r: r["code"]),
    ("name", lambda r: r["name"]),
    ("level", lambda r: r["level"]),
    ("units_household", lambda r: r["units"]["household"]),
    ("units_enterprise_group", lambda r: r["units"]["enterprise_group"]),
    ("units_building", lambda r: r["units"]["building"]),
    ("units_total", lambda r: r["units"]["total"]),
    ("active_units", lambda r: r["active_units"]),
    ("sessions", lambda r: r["sessions"]),
    ("attendances", lambda r: r["attendances"]),
    ("participants", lambda r: r["participants"]),
    ("households_reached", lambda r: r["households_reached"]),
    ("workers_reached", lambda r: r["workers_reached"]),
    ("quiz_attempts", lambda r: r["quiz_attempts"]),
    ("quiz_participants", lambda r: r["quiz_participants"]),
    ("mean_score", lambda r: r["mean_score"]),
    ("pass_rate", lambda r: r["pass_rate"]),
]


def table_rows(report: dict) -> list[list]:
    return [[read(row) for _name, read in COLUMNS] for row in [*report["rows"], report["total"]]]


def to_csv(report: dict) -> bytes:
    return csv_bytes([[name for name, _read in COLUMNS], *table_rows(report)])


def to_xlsx(report: dict, generated_at: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "coverage"
    append_row(sheet, [name for name, _read in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B4232A")
    for row in table_rows(report):
        append_row(sheet, row)
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    rate_col = len(COLUMNS)  # pass_rate is a share: show it as a percentage
    for row in sheet.iter_rows(min_row=2, min_col=rate_col, max_col=rate_col):
        row[0].number_format = "0.0%"
    for row in sheet.iter_rows(min_row=2, min_col=rate_col - 1, max_col=rate_col - 1):
        row[0].number_format = "0.00"
    for index, (name, _read) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            10, len(name) + 2)
    sheet.freeze_panes = "D2"
    params = workbook.create_sheet("parameters")
    for key, value in (
        ("area_code", report["area"]["code"]), ("area_name", report["area"]["name"]),
        ("level", report["area"]["level"]), ("from", report["from"]), ("to", report["to"]),
        ("generated_at", clock.local(generated_at).isoformat(timespec="seconds")),
        ("note", _("Figures as defined by the coverage report contract; the last row is the "
                   "whole area, counted over the area itself.")),
    ):
        append_row(params, [key, value])
    params.column_dimensions["A"].width = 14
    params.column_dimensions["B"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
