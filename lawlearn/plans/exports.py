"""A plan's progress as CSV and XLSX: the JSON's figures, one line per (area, milestone), so a
spreadsheet can filter and pivot them; the XLSX adds the board (areas × milestones) the office
prints."""

from __future__ import annotations

import io
from datetime import datetime

from lawlearn import clock
from lawlearn.plans.progress import Progress
from lawlearn.spreadsheets import append_row, csv_bytes, header_row

COLUMNS = ("code", "name", "milestone", "milestone_name", "due", "status", "done_on")


def table_rows(progress: Progress) -> list[list]:
    rows = []
    for area in progress.areas:
        for m in progress.milestones:
            cell = progress.cell(area.id, m.id)
            rows.append([area.code, area.name, m.code, m.name, m.due.isoformat(), cell.status,
                         cell.done_on.isoformat() if cell.done_on else None])
    return rows


def to_csv(progress: Progress) -> bytes:
    """On the approved-only basis a last column says so (a CSV has no title)."""
    if not progress.approved_only:
        return csv_bytes([list(COLUMNS), *table_rows(progress)])
    return csv_bytes([[*COLUMNS, "basis"], *([*row, "approved"] for row in table_rows(progress))])


def to_xlsx(progress: Progress, generated_at: datetime) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "progress"
    header_row(sheet, COLUMNS, freeze="C2")
    for row in table_rows(progress):
        append_row(sheet, row)
    board = workbook.create_sheet("board")
    header_row(board, ["code", "name", *(m.code for m in progress.milestones)])
    for area in progress.areas:
        cells = [progress.cell(area.id, m.id) for m in progress.milestones]
        append_row(board, [area.code, area.name, *(
            f"done {c.done_on.isoformat()}" if c.done_on else c.status for c in cells)])
    params = workbook.create_sheet("parameters")
    for key, value in (
        ("plan", progress.plan.code), ("title", progress.plan.title),
        ("area_code", progress.plan.area.code), ("today", progress.today.isoformat()),
        *([("basis", "approved")] if progress.approved_only else []),
        ("generated_at", clock.local(generated_at).isoformat(timespec="seconds")),
        *((status, n) for status, n in progress.totals().items()),
    ):
        append_row(params, [key, value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
