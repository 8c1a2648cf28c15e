"""A year's scheme as the office's spreadsheet (考核细则表): a few rows of settings (年度, 标题,
考核期, 等次, optional 分类), then one row per item in the office's columns. The rule of an item
is written in one cell as `kind: rate, metric: active_rate, full_at: 0.9` (the YAML rule
without its braces), so every rule the YAML can hold fits, and an office can copy a row's rule
and change a number. Read back through the same check as the YAML file."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import yaml

from lawlearn.assessment.scheme import SchemeError, _item, check
from lawlearn.i18n import gettext as _
from lawlearn.spreadsheets import append_row
from lawlearn.workbooks import WorkbookError, first_sheet_rows

COLUMNS = ("一级指标", "考核项目编码", "考核项目", "考核内容", "分值", "评分标准", "考核依据",
           "规则")
# Column → the item's key in the scheme document.
KEYS = ("group", "code", "name", "content", "points", "standard", "basis", "rule")
YEAR, TITLE, PERIOD, GRADES, TIERS = "年度", "标题", "考核期", "等次", "分类"


def _flow(value: Any) -> str:
    """A mapping as one line of flow YAML without its outer braces."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                          sort_keys=False, width=10_000).strip()
    return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def to_xlsx(document: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "考核细则"
    append_row(sheet, [YEAR, document["year"]])
    append_row(sheet, [TITLE, document["title"]])
    append_row(sheet, [PERIOD, document["period"]["from"], document["period"]["to"]])
    append_row(sheet, [GRADES, _flow({g["name"]: g["min"] for g in document["grades"]})])
    if document.get("tiers"):
        append_row(sheet, [TIERS, _flow({t["name"]: t["areas"] for t in document["tiers"]})])
    append_row(sheet, [])
    append_row(sheet, list(COLUMNS))
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    for item in document["items"]:
        append_row(sheet, [_flow(item["rule"]) if key == "rule" else item.get(key, "")
                           for key in KEYS])
    for letter, width in zip("ABCDEFGH", (14, 12, 24, 30, 8, 40, 24, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=header + 1):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _mapping(text: Any) -> Any:
    """A cell's `key: value, …` as a mapping; None when it is not one."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = yaml.safe_load("{" + text + "}")
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def read_xlsx(data: bytes) -> dict:
    """The checked scheme from the office's spreadsheet; SchemeError naming every problem,
    a bad item row by its row number and code."""
    try:
        rows = [[_cell(v) for v in row] for row in first_sheet_rows(data)]
    except WorkbookError as error:
        raise SchemeError([str(error)]) from None
    raw: dict[str, Any] = {}
    problems: list[str] = []
    header = next((n for n, row in enumerate(rows) if tuple(row[:len(COLUMNS)]) == COLUMNS),
                  None)
    if header is None:
        raise SchemeError([_("The sheet needs a row with the columns %(columns)s.",
                             columns=" | ".join(COLUMNS))])
    for row in rows[:header]:
        key, rest = (row[0] if row else None), [v for v in row[1:] if v not in (None, "")]
        if key == YEAR and rest:
            raw["year"] = rest[0]
        elif key == TITLE and rest:
            raw["title"] = str(rest[0])
        elif key == PERIOD and len(rest) >= 2:
            raw["period"] = {"from": str(rest[0]), "to": str(rest[1])}
        elif key in (GRADES, TIERS) and rest:
            mapping = _mapping(rest[0])
            if mapping is None:
                problems.append(_("%(key)s is written as 优秀: 90, 良好: 80, 合格: 60, "
                                  "不合格: 0.", key=key) if key == GRADES else
                                _("%(key)s is written as 一类镇: [330101, 330102], 二类镇: "
                                  "[330103].", key=key))
            elif key == GRADES:
                raw["grades"] = [{"name": str(k), "min": v} for k, v in mapping.items()]
            else:
                raw["tiers"] = [{"name": str(k), "areas": v if isinstance(v, list) else [v]}
                                for k, v in mapping.items()]
    items, seen, item_problems = [], set(), []
    for number, row in enumerate(rows[header + 1:], start=header + 2):
        if not any(v not in (None, "") for v in row):
            continue
        entry = {k: v for k, v in zip(KEYS, row, strict=False) if v not in (None, "")}
        rule = _mapping(entry.get("rule"))
        code = entry.get("code", "")
        if rule is None:
            problems.append(_("Row %(row)d (%(code)s): the rule “%(rule)s” cannot be read; "
                              "write it as kind: rate, metric: active_rate, full_at: 0.9.",
                              row=number, code=code, rule=entry.get("rule", "")))
            continue
        entry["rule"] = rule
        found: list[str] = []
        _item(entry, len(items) + 1, seen, found)
        item_problems += found
        problems += [_("Row %(row)d: %(problem)s", row=number, problem=p) for p in found]
        items.append(entry)
    raw["items"] = items
    try:
        document = check(raw)
    except SchemeError as error:
        rest = [p for p in error.problems if p not in item_problems]
        raise SchemeError(problems + rest) from None
    if problems:
        raise SchemeError(problems)
    return document
