"""The coverage report as CSV and XLSX: exactly the JSON figures, one row per child area plus
the total row."""

from __future__ import annotations

import io
from datetime import datetime

from flask_babel import get_locale

from lawlearn import clock, codes
from lawlearn.i18n import gettext as _
from lawlearn.i18n import lazy_gettext as _l
from lawlearn.spreadsheets import append_row, csv_bytes

# (English header, header in the reader's language, how to read it from a ROW). The codes are the
# contract's and head an English export; a Chinese export is headed as the page is (the same
# catalogue words), and its code, name and level columns carry the names the imports accept
# (区域编码 for targets and areas, 名称, 级别 with 镇/村 …), so it reads back where the
# columns are the same.
COLUMNS = [
    ("code", _l("Area code"), lambda r: r["code"]),
    ("name", _l("Name"), lambda r: r["name"]),
    ("level", _l("Level"), lambda r: r["level"]),
    *((f"units_{kind.code}", kind.label, lambda r, k=kind.code: r["units"][k])
      for kind in codes.KINDS),
    ("units_total", _l("All kinds"), lambda r: r["units"]["total"]),
    ("active_units", _l("Active units"), lambda r: r["active_units"]),
    ("sessions", _l("Sessions"), lambda r: r["sessions"]),
    ("attendances", _l("Attendances"), lambda r: r["attendances"]),
    ("participants", _l("Participants"), lambda r: r["participants"]),
    ("households_reached", _l("Households reached"), lambda r: r["households_reached"]),
    ("workers_reached", _l("Workers reached"), lambda r: r["workers_reached"]),
    ("quiz_attempts", _l("Quiz attempts"), lambda r: r["quiz_attempts"]),
    ("quiz_participants", _l("Quiz takers"), lambda r: r["quiz_participants"]),
    ("mean_score", _l("Mean score"), lambda r: r["mean_score"]),
    ("pass_rate", _l("Pass rate"), lambda r: r["pass_rate"]),
]
# The registered-unit columns sit under one heading on the page; a file has one header row.
_REGISTERED = {f"units_{kind}" for kind in (*codes.KINDS.codes, "total")}


def in_chinese() -> bool:
    return str(get_locale() or "").startswith("zh")


def headers() -> list[str]:
    """The header row in the current language (see COLUMNS)."""
    if not in_chinese():
        return [name for name, _label, _read in COLUMNS]
    registered = _("Registered units")
    return [f"{registered}·{label}" if name in _REGISTERED else str(label)
            for name, label, _read in COLUMNS]


def table_rows(report: dict) -> list[list]:
    """The figures, with the level in the current language (镇, 村 … parse back as levels)."""
    level = 2
    rows = []
    for row in [*report["rows"], report["total"]]:
        cells = [read(row) for _name, _label, read in COLUMNS]
        cells[level] = codes.LEVELS.label(cells[level]) if in_chinese() else cells[level]
        rows.append(cells)
    return rows


def generated(at: datetime) -> str:
    """When the file was made, in Beijing time: for a Chinese reader in words, in the English
    file as ISO 8601 with its +08:00 offset, as it always was (programs read it)."""
    local = clock.local(at)
    if not in_chinese():
        return local.isoformat(timespec="seconds")
    return _("%(time)s (Beijing time)", time=local.strftime("%Y-%m-%d %H:%M:%S"))


def approved_basis(report: dict) -> bool:
    """Whether the report counts approved study sessions only (its "basis" key); a report of
    all sessions has no such key, and its files stay exactly as they always were."""
    return report.get("basis") == "approved"


def basis_label() -> str:
    return _("Approved sessions only") if in_chinese() else "approved"


def to_csv(report: dict) -> bytes:
    """The report in the current language (the caller picks it: the user's, or --lang). On the
    approved-only basis a last column says so on every row: a CSV has no title to say it."""
    if not approved_basis(report):
        return csv_bytes([headers(), *table_rows(report)])
    basis = _("Basis") if in_chinese() else "basis"
    return csv_bytes([[*headers(), basis], *([*row, basis_label()]
                                             for row in table_rows(report))])


def to_xlsx(report: dict, generated_at: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    chinese = in_chinese()
    sheet.title = _("Coverage report") if chinese else "coverage"
    if approved_basis(report):
        sheet.title = _("Coverage (approved only)") if chinese else "coverage-approved"
    append_row(sheet, headers())
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
    for index, header in enumerate(headers(), start=1):
        # A Chinese character is about two Latin ones wide.
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            10, min(width + 2, 40))
    sheet.freeze_panes = "D2"
    params = workbook.create_sheet(_("Parameters") if chinese else "parameters")
    level = report["area"]["level"]
    for key, label, value in (
        ("area_code", _("Area code"), report["area"]["code"]),
        ("area_name", _("Area name"), report["area"]["name"]),
        ("level", _("Level"), codes.LEVELS.label(level) if chinese else level),
        ("from", _("First day"), report["from"]), ("to", _("Last day"), report["to"]),
        *([("basis", _("Basis"), basis_label())] if approved_basis(report) else []),
        ("generated_at", _("Generated"), generated(generated_at)),
        ("note", _("Notes"), _("Figures as defined by the coverage report contract; the last "
                              "row is the whole area, counted over the area itself.")),
    ):
        append_row(params, [label if chinese else key, value])
    params.column_dimensions["A"].width = 14
    params.column_dimensions["B"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
