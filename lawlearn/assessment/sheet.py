"""A town's scoring sheet (考核评分表) in the office's column layout: 考核项目 | 考核内容 | 分值 |
评分标准 | 考核依据 | 自评得分 | 考核得分, for the A4 print view and the XLSX file."""

from __future__ import annotations

import io
from datetime import datetime

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.assessment.explain import plain, rule_words
from lawlearn.assessment.results import score_towns
from lawlearn.assessment.scheme import ENTRY_KINDS
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import (
    Area,
    AssessmentEntry,
    AssessmentScheme,
    AssessmentSessionLink,
    StudySession,
)
from lawlearn.spreadsheets import append_row


def sheet_rows(scheme: AssessmentScheme, town: Area) -> tuple[dict, list[dict]]:
    """(the town's totals, one row per item). 自评得分 reads the town's claims where it made
    them (items scored from the report are the same in both columns); 考核得分 is the
    county's live score."""
    parent = db.session.get(Area, town.parent_id)
    _report, county_view = score_towns(scheme, parent)
    _report, claimed_view = score_towns(scheme, parent, with_claims=True)
    official = next(t for t in county_view if t.code == town.code)
    claimed = next(t for t in claimed_view if t.code == town.code)
    linked: dict[str, list] = {}
    for item_code, session_id, code, held_on in db.session.execute(
            sa.select(AssessmentEntry.item, StudySession.id, StudySession.code,
                      StudySession.held_on)
            .join(AssessmentSessionLink, AssessmentSessionLink.entry_id == AssessmentEntry.id)
            .join(StudySession, StudySession.id == AssessmentSessionLink.study_session_id)
            .where(AssessmentEntry.area_id == town.id, AssessmentEntry.year == scheme.year)
            .order_by(StudySession.held_on, StudySession.id)):
        linked.setdefault(item_code, []).append(
            {"id": session_id, "code": code, "held_on": held_on.isoformat()})
    rows = []
    for item in scheme.items:
        rows.append({
            "group": item.get("group") or "", "name": item["name"], "code": item["code"],
            "content": item.get("content") or "", "points": item.get("points"),
            "standard": item.get("standard") or rule_words(item),
            "basis": item.get("basis") or "",
            "self_score": claimed.items[item["code"]].score,
            "score": official.items[item["code"]].score,
            "entry": item["rule"]["kind"] in ENTRY_KINDS,
            "sessions": linked.get(item["code"], []),
        })
    totals = {"self_total": claimed.total, "total": official.total, "grade": official.grade,
              "vetoed": official.vetoed}
    return totals, rows


HEADERS = ("考核项目", "考核内容", "分值", "评分标准", "考核依据", "自评得分", "考核得分")


def to_xlsx(scheme: AssessmentScheme, town: Area, totals: dict, rows: list[dict],
            generated_at: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "考核评分表"
    append_row(sheet, [f"{scheme.title} · {town.name}"])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        name = f"{row['group']} · {row['name']}" if row["group"] else row["name"]
        basis = "；".join([row["basis"], *(f"{s['held_on']} {s['code']}"
                                          for s in row["sessions"])][0 if row["basis"] else 1:])
        append_row(sheet, [name, row["content"], row["points"], row["standard"], basis,
                           float(row["self_score"]), float(row["score"])])
    append_row(sheet, [_("Total"), "", 100, "", "", float(totals["self_total"]),
                       float(totals["total"])])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (24, 30, 8, 40, 24, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    append_row(sheet, [_("Generated"), clock.local(generated_at).isoformat(timespec="seconds")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


__all__ = ["HEADERS", "plain", "sheet_rows", "to_xlsx"]
