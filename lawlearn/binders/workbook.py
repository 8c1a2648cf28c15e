"""The binder's index workbook: five sheets, headers as the pages show them, every text cell
written through lawlearn.spreadsheets (never a formula), in openpyxl's write-only mode.
Figures come from the BinderIndex read set-based in lawlearn.binders.queries; nothing here
queries the database."""

from __future__ import annotations

import io

from openpyxl import Workbook

from lawlearn import codes
from lawlearn.binders.queries import BinderIndex, attended
from lawlearn.i18n import gettext as _
from lawlearn.spreadsheets import append_fast_row as append_row


def _sheet(book: Workbook, title: str, headers: list[str]):
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    append_row(sheet, headers)
    return sheet


def _topics(index: BinderIndex, session_id: int) -> str:
    return "；".join(codes.TOPICS.label(t) for t in index.topics.get(session_id, []))


def _sessions(book: Workbook, index: BinderIndex) -> None:
    sheet = _sheet(book, _("Sessions"), [
        _("Session code"), _("Study unit code"), _("Study unit"), _("Area"), _("Date"),
        _("Session format"), _("Topics"), _("Lecturer"), _("Duration (minutes)"),
        _("Attended"), _("Photos")])
    for s in index.sessions:
        append_row(sheet, [s.code, s.unit_code, s.unit_name, s.area_name, s.held_on,
                           codes.SESSION_FORMATS.label(s.format), _topics(index, s.id),
                           s.lecturer or "", s.duration_minutes, s.attended_count,
                           len(index.photos.get(s.id, []))])


def _attendance(book: Workbook, index: BinderIndex) -> None:
    statuses = codes.ATTENDANCE_STATUSES.codes
    sheet = _sheet(book, _("Attendance"), [
        _("Session code"), _("Study unit code"), _("Date"),
        *[codes.ATTENDANCE_STATUSES.label(s) for s in statuses], _("Attended")])
    for s in index.sessions:
        counts = index.counts.get(s.id, {})
        append_row(sheet, [s.code, s.unit_code, s.held_on,
                           *[counts.get(status, 0) for status in statuses], attended(counts)])


def _quizzes(book: Workbook, index: BinderIndex) -> None:
    sheet = _sheet(book, _("Quiz results"), [
        _("Study unit code"), _("Study unit"), _("Session code"), _("Quiz attempts"),
        _("Quiz participants"), _("Mean score"), _("Pass rate")])
    for q in index.quizzes:
        append_row(sheet, [q.unit_code, q.unit_name, q.session_code or "", q.attempts,
                           q.people, round(float(q.mean_score), 2),
                           round(int(q.passes) / q.attempts, 4)])


def milestone_status(status: str) -> str:
    return {"done": _("Done"), "overdue": _("Overdue"),
            "not_applicable": _("Not applicable")}.get(status, _("Pending"))


def _milestones(book: Workbook, index: BinderIndex) -> None:
    sheet = _sheet(book, _("Plan milestones"), [
        _("Plan"), _("Title"), _("Area"), _("Milestone"), _("Name"), _("Due"), _("Status"),
        _("Done on")])
    for plan, area, m, cell in index.milestones:
        append_row(sheet, [plan.code, plan.title, area.name, m.code, m.name, m.due,
                           milestone_status(cell.status), cell.done_on])


def entry_status(status: str) -> str:
    return {"recorded": _("Recorded by the county"), "self_assessed": _("Self-assessed"),
            "accepted": _("Accepted"), "adjusted": _("Adjusted")}.get(status, status)


def _entries(book: Workbook, index: BinderIndex) -> None:
    sheet = _sheet(book, _("Assessment entries"), [
        _("Year"), _("Item"), _("Value"), _("Entry note"), _("Status")])
    for e in index.entries:
        append_row(sheet, [e.year, e.item, float(e.value), e.note or "",
                           entry_status(e.status)])


def index_workbook(index: BinderIndex) -> bytes:
    book = Workbook(write_only=True)   # streamed: 12,000 sessions a quarter in a big town
    for part in (_sessions, _attendance, _quizzes, _milestones, _entries):
        part(book, index)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
