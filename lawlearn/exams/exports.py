"""An exam's results as CSV and XLSX: the page's figures, one line per unit, per town and the
total, so a spreadsheet can sort and print them."""

from __future__ import annotations

import io

from lawlearn.exams.queries import ResultRow, Results
from lawlearn.models import Exam
from lawlearn.spreadsheets import append_row, csv_bytes, header_row

COLUMNS = ("level", "code", "name", "eligible", "sat", "sitting_rate", "passed", "pass_rate",
           "mean_score")


def _rate(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _line(level: str, row: ResultRow) -> list:
    return [level, row.code, row.name, row.eligible, row.sat, _rate(row.sitting_rate),
            row.passed, _rate(row.pass_rate), row.mean_score]


def table_rows(results: Results) -> list[list]:
    return [*(_line("unit", r) for r in results.units),
            *(_line("town", r) for r in results.towns), _line("total", results.total)]


def to_csv(results: Results) -> bytes:
    return csv_bytes([list(COLUMNS), *table_rows(results)])


def to_xlsx(exam: Exam, results: Results) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "results"
    header_row(sheet, COLUMNS, freeze="D2")
    for row in table_rows(results):
        append_row(sheet, row)
    params = workbook.create_sheet("exam")
    for key, value in (("name", exam.name), ("year", exam.year), ("quiz", exam.quiz.slug),
                       ("pass_score", exam.pass_score)):
        append_row(params, [key, value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
