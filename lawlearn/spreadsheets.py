"""Writing CSV and XLSX files that are safe to open: one home for every export.

A cell that starts with = + - @, a tab or a carriage return is a formula to Excel and
LibreOffice (OWASP "CSV injection"): an area named `=HYPERLINK(...)` or `=cmd|' /C calc'!A0`
would turn a report into a link or a command on the reader's machine. So:

- CSV: such a text cell gets a leading apostrophe, which spreadsheets show as plain text.
- XLSX: every text cell is written as a string (openpyxl would otherwise store "=..." as a
  formula), and a risky one also carries Excel's quote-prefix flag, the workbook's own form of
  that apostrophe: Excel shows the text as typed and keeps it text when the cell is edited.
  The text itself is unchanged, so a question bank exported and imported again is the same.
- Both: control characters an XLSX cannot hold (C0 but tab, line feed, carriage return) are
  removed, so one odd name never makes an export fail.

Numbers, dates and None pass through untouched: they are never formulas.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What the XML of a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, plus DEL).
_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    return _ILLEGAL_RE.sub("", text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: risky text neutralised, None as an empty cell."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if is_formula_like(text) else text


def csv_bytes(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> bytes:
    """Rows as CSV in UTF-8; with the BOM Excel opens Chinese text as UTF-8, not GBK."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def append_row(sheet, values: Iterable[Any]) -> None:
    """sheet.append(values) for a workbook, with every text cell a string that is never a
    formula (see the module's docstring)."""
    values = list(values)
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            set_text(sheet.cell(row=row, column=column), value)


def header_row(sheet, values: Iterable[Any], *, freeze: str | None = None) -> None:
    """A table's first row: the column names in bold, optionally frozen above the rows
    (`freeze` is the top-left cell that scrolls, e.g. "A2")."""
    from openpyxl.styles import Font

    append_row(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    if freeze:
        sheet.freeze_panes = freeze


def set_text(cell, text: str) -> None:
    """Put `text` in `cell` as a string, never a formula."""
    text = clean_text(text)
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True


def append_fast_row(sheet, values: Iterable[Any]) -> None:
    """append_row for a write-only sheet (openpyxl's streaming mode, for exports of tens of
    thousands of rows): plain text goes in as it is; only a formula-like text needs a cell of
    its own to carry the string type and the quote-prefix flag."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if isinstance(value, str):
            text = clean_text(value)
            if is_formula_like(text):
                cell = WriteOnlyCell(sheet)
                set_text(cell, text)
                row.append(cell)
                continue
            value = text
        row.append(value)
    sheet.append(row)
