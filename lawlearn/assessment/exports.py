"""The scores as CSV and XLSX: exactly the JSON figures, one row per town in rank order, one
column per item (by code), then total, vetoed, grade and rank."""

from __future__ import annotations

import io
from datetime import datetime

from lawlearn import clock
from lawlearn.spreadsheets import append_row, csv_bytes


def header(report: dict, items: list[str]) -> list[str]:
    return ["code", "name", *items, "total", "vetoed", "grade", "rank"]


def table_rows(report: dict, items: list[str]) -> list[list]:
    return [[row["code"], row["name"], *(row["items"].get(code) for code in items),
             row["total"], "yes" if row["vetoed"] else "no", row["grade"], row["rank"]]
            for row in report["rows"]]


def to_csv(report: dict, items: list[str]) -> bytes:
    """On the approved-only basis a last column says so (a CSV has no title)."""
    if report.get("basis") != "approved":
        return csv_bytes([header(report, items), *table_rows(report, items)])
    return csv_bytes([[*header(report, items), "basis"],
                      *([*row, "approved"] for row in table_rows(report, items))])


def to_xlsx(report: dict, items: list[str], generated_at: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "assessment-approved" if report.get("basis") == "approved" else "assessment"
    append_row(sheet, header(report, items))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table_rows(report, items):
        append_row(sheet, row)
    for index in range(3, 4 + len(items)):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = "0.00"
    sheet.freeze_panes = "C2"
    params = workbook.create_sheet("parameters")
    for key, value in (("year", report["year"]), ("title", report["title"]),
                       ("area_code", report["area"]["code"]), ("from", report["from"]),
                       ("to", report["to"]),
                       *([("basis", "approved")] if report.get("basis") else []),
                       ("generated_at", clock.local(generated_at).isoformat(timespec="seconds"))):
        append_row(params, [key, value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
