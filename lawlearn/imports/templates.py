"""Blank files to fill in: the headers every import expects, in Chinese, and nothing else.

The first sheet (the only one the importer reads) is blank under its headers, so a template
uploaded unchanged imports nothing rather than failing on an example that points at places the
user's county does not have. The XLSX carries the examples on a second sheet, "示例 Examples",
for reading; the CSV, which has no second sheet, is headers only.
"""

from __future__ import annotations

import io

from lawlearn.imports.reader import Column
from lawlearn.spreadsheets import append_row, csv_bytes

EXAMPLES_SHEET = "示例 Examples"

EXAMPLES = {
    "areas": [["330100", "示例县", "县", "", "", ""],
              ["330101", "城关镇", "镇", "330100", "", ""],
              ["330101001", "东风村", "村", "330101", "", ""],
              ["330101E01", "示例机械有限公司", "企业", "330101", "120", "制造业"]],
    "units": [["330101001-H001", "中心户", "张家中心户", "330101001", "张建国", "13900000011",
               "12", "2026-03-01", "", ""]],
    "sessions": [["330101001-H001-S20260315-1", "330101001-H001", "2026-03-15", "集中学习",
                  "民法典；反电信网络诈骗法", "张建国", "60", ""]],
    "attendance": [["330101001-H001-S20260315-1", "李秀英", "13900000021", "出席"],
                   ["330101001-H001-S20260315-1", "王大伯", "", "迟到"]],
    "quiz-results": [["civil-code", "330101001-H001-S20260315-1", "李秀英", "13900000021", "85",
                      "2026-03-15"]],
}

# Columns whose cells hold codes or phones: formatted as text, so Excel keeps leading zeros and
# long digits.
TEXT_COLUMNS = ("code", "parent_code", "area_code", "leader_phone", "unit_code", "session_code",
                "phone")


def template_csv(kind: str, columns: list[Column]) -> bytes:
    return csv_bytes([[c.alias for c in columns]])


def template_xlsx(kind: str, columns: list[Column]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    _header_sheet(workbook.active, kind, columns, text_rows=1000)
    if kind in EXAMPLES:
        examples = workbook.create_sheet(EXAMPLES_SHEET)
        _header_sheet(examples, EXAMPLES_SHEET, columns, text_rows=len(EXAMPLES[kind]) + 1)
        for row in EXAMPLES[kind]:
            append_row(examples, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header_sheet(sheet, title: str, columns: list[Column], *, text_rows: int) -> None:
    from openpyxl.styles import Font, PatternFill

    sheet.title = title
    append_row(sheet, [c.alias for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F6F8FA")
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.alias) * 3)
        if column.name in TEXT_COLUMNS:
            for row in range(2, text_rows + 1):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
