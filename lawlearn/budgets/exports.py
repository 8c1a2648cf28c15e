"""Budgets as XLSX for the office (Chinese headers, amounts in yuan with two decimals, set up
to print on A4): the overview of the towns, and one town's allocations and payments."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

from lawlearn import clock
from lawlearn.budgets.queries import TownBudget
from lawlearn.spreadsheets import append_row, header_row

MONEY = "#,##0.00"
PERCENT = "0.0%"
OVERVIEW = ("编码", "镇（街道）", "计划预算（元）", "已拨付（元）", "已支出（元）",
            "活动支出（元）", "结余（元）", "执行率")


def _yuan(fen: int | None) -> Decimal | None:
    """Fen as an exact yuan figure for a cell (Decimal: openpyxl writes it as a number)."""
    return None if fen is None else Decimal(int(fen)) / 100


def _book(title: str, header: tuple[str, ...]):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    header_row(sheet, header, freeze="A2")
    _a4(sheet)
    return workbook, sheet


def _a4(sheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _formats(sheet, columns: dict[int, str], widths: dict[str, int]) -> None:
    for index, number_format in columns.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


def _line(row: TownBudget) -> list:
    return [row.code, row.name, _yuan(row.planned), _yuan(row.allocated), _yuan(row.disbursed),
            _yuan(row.spent), _yuan(row.unspent), row.execution_rate]


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def overview_xlsx(rows: list[TownBudget], totals: dict, year: int,
                  generated_at: datetime) -> bytes:
    workbook, sheet = _book(f"{year}年预算执行", OVERVIEW)
    for row in rows:
        append_row(sheet, _line(row))
    append_row(sheet, ["", "合计", _yuan(totals["planned"]), _yuan(totals["allocated"]),
                       _yuan(totals["disbursed"]), _yuan(totals["spent"]),
                       _yuan(totals["allocated"] - totals["disbursed"]),
                       totals["execution_rate"]])
    _formats(sheet, {**dict.fromkeys(range(3, 8), MONEY), 8: PERCENT},
             {"A": 12, "B": 16, **dict.fromkeys("CDEFG", 15), "H": 9})
    append_row(sheet, [])
    append_row(sheet, ["生成时间", clock.local(generated_at).isoformat(timespec="seconds")])
    return _save(workbook)


def town_xlsx(town, year: int, figures: TownBudget, allocations: list, payments: list,
              generated_at: datetime) -> bytes:
    workbook, sheet = _book("预算执行", OVERVIEW)
    append_row(sheet, _line(figures))
    _formats(sheet, {**dict.fromkeys(range(3, 8), MONEY), 8: PERCENT},
             {"A": 12, "B": 16, **dict.fromkeys("CDEFG", 15), "H": 9})
    append_row(sheet, [])
    append_row(sheet, ["生成时间", clock.local(generated_at).isoformat(timespec="seconds")])

    money = workbook.create_sheet("拨付")
    append_row(money, ["拨付日期", "金额（元）", "说明"])
    for a in allocations:
        append_row(money, [a.allocated_on.isoformat(), _yuan(a.amount_fen), a.note])
    _formats(money, {2: MONEY}, {"A": 12, "B": 15, "C": 40})
    _a4(money)

    paid = workbook.create_sheet("支出")
    append_row(paid, ["支付日期", "金额（元）", "收款人", "用途", "活动", "学习活动编码", "凭证"])
    for p, session_code, _held_on in payments:
        append_row(paid, [p.paid_on.isoformat(), _yuan(p.amount_fen), p.payee, p.purpose,
                          p.activity, session_code, p.voucher_name])
    _formats(paid, {2: MONEY}, {"A": 12, "B": 15, "C": 18, "D": 30, "E": 18, "F": 22, "G": 24})
    _a4(paid)
    return _save(workbook)
