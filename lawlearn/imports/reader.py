"""CSV (UTF-8, with or without BOM) and XLSX (first sheet) into numbered rows of raw cells."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.workbooks import WorkbookError, first_sheet_rows, max_rows


@dataclass(frozen=True)
class Column:
    name: str            # the English code, as in docs/contracts.md
    alias: str           # the Chinese header
    required: bool = True
    extra_aliases: tuple[str, ...] = ()

    def headers(self) -> set[str]:
        return {_norm(h) for h in (self.name, self.alias, *self.extra_aliases)}


@dataclass(frozen=True)
class RowError:
    row: int             # as the spreadsheet shows it: the header is row 1
    column: str | None   # the header as written in the file
    message: str

    def __str__(self) -> str:
        where = _("row %(row)d", row=self.row)
        if self.column:
            where += _(", column %(column)s", column=self.column)
        return f"{where}: {self.message}"


@dataclass
class Row:
    number: int
    cells: dict[str, Any]            # column name → raw cell (str, int, float, datetime) or None
    headers: dict[str, str] = field(default_factory=dict)  # column name → header in the file

    def get(self, name: str) -> Any:
        return self.cells.get(name)


class ImportFileError(ValueError):
    """The file as a whole can't be read (wrong type, encoding, missing columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


UTF8_HINT = _l("The file is not UTF-8 text. In Excel choose “Save as → CSV UTF-8”, or upload "
               "the .xlsx file itself.")


def _norm(header: Any) -> str:
    return str(header or "").strip().lstrip("\ufeff").strip().lower()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# Excel's own limit for one cell; a longer one was not typed in a spreadsheet.
MAX_CELL_CHARS = 32_767


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError([RowError(1, None, str(UTF8_HINT))]) from None
    rows, limit = [], max_rows()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > limit + 1:
                raise ImportFileError([RowError(len(rows), None, _(
                    "The file has more than %(limit)d rows, more than one upload may hold. "
                    "Split it into smaller files.", limit=limit))])
    except csv.Error:  # a field beyond the csv module's limit (131,072 characters), a stray NUL
        raise ImportFileError([RowError(reader.line_num, None, _(
            "This line cannot be read as CSV: a cell is longer than %(n)d characters or holds "
            "a NUL character.", n=MAX_CELL_CHARS))]) from None
    return rows


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    try:
        return first_sheet_rows(data)
    except WorkbookError as error:
        raise ImportFileError([RowError(1, None, str(error))]) from None


def _check_lengths(raw: list[list[Any]]) -> None:
    errors = [RowError(number, None, _("A cell in this row holds %(n)d characters, more than "
                                       "a spreadsheet cell can (%(limit)d).", n=len(value),
                                       limit=MAX_CELL_CHARS))
              for number, values in enumerate(raw, start=1) for value in values
              if isinstance(value, str) and len(value) > MAX_CELL_CHARS]
    if errors:
        raise ImportFileError(errors[:20])


def read_table(data: bytes, filename: str, columns: list[Column]) -> list[Row]:
    """Rows of the file keyed by column name. Blank rows are skipped but keep their numbers,
    so every message points at the row the user sees."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "csv":
        raw = _csv_rows(data)
    elif suffix in ("xlsx", "xlsm"):
        raw = _xlsx_rows(data)
    else:
        raise ImportFileError([RowError(1, None, _("Upload a .csv or .xlsx file."))])
    _check_lengths(raw)
    if not raw or not any(_cell(c) is not None for c in raw[0]):
        raise ImportFileError([RowError(1, None, _("The first row must hold the column headers."))])
    positions, headers = _map_headers(raw[0], columns)
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = {name: _cell(values[i]) if i < len(values) else None
                 for name, i in positions.items()}
        if all(v is None for v in cells.values()):
            continue
        rows.append(Row(number, cells, headers))
    return rows


def _map_headers(header_row: list[Any], columns: list[Column]) -> tuple[dict, dict]:
    by_header = {h: c for c in columns for h in c.headers()}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    errors = []
    for i, header in enumerate(header_row):
        column = by_header.get(_norm(header))
        if column is None:
            continue  # extra columns (remarks, serial numbers) are common and harmless
        if column.name in positions:
            errors.append(RowError(1, str(header), _("This column appears twice.")))
            continue
        positions[column.name] = i
        headers[column.name] = str(header).strip().lstrip("\ufeff")
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(RowError(1, f"{column.name} / {column.alias}",
                                   _("This column is missing.")))
    if errors:
        raise ImportFileError(errors)
    return positions, headers

