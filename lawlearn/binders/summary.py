"""The binder's summary (the A4 print view and the archive's summary page): the coverage
report's figures for the town and period, then the months and the units, as a table of
contents of the folders. A unit binder counts its own figures from the index, which reads the
same rows by the same rules."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from lawlearn import clock
from lawlearn.binders.queries import BinderIndex, Subject
from lawlearn.reports.coverage import coverage
from lawlearn.reports.periods import Period


@dataclass
class Line:
    """One month or one unit of the summary."""

    label: str
    name: str = ""
    sessions: int = 0
    attended: int = 0
    photos: int = 0


def _figures(subject: Subject, index: BinderIndex) -> dict:
    if subject.unit is None:
        return coverage(subject.town, Period(subject.start, subject.end))["total"]
    attempts = sum(q.attempts for q in index.quizzes)
    score_sum = sum(float(q.mean_score) * q.attempts for q in index.quizzes)
    passes = sum(int(q.passes) for q in index.quizzes)
    return {"sessions": len(index.sessions),
            "attendances": sum(s.attended_count for s in index.sessions),
            "participants": None, "quiz_attempts": attempts,
            "mean_score": round(score_sum / attempts, 2) if attempts else None,
            "pass_rate": round(passes / attempts, 4) if attempts else None}


def _lines(index: BinderIndex) -> tuple[list[Line], list[Line]]:
    months: dict[str, Line] = OrderedDict()
    units: dict[str, Line] = {}
    for s in index.sessions:
        photos = len(index.photos.get(s.id, []))
        for line in (months.setdefault(f"{s.held_on:%Y-%m}", Line(f"{s.held_on:%Y-%m}")),
                     units.setdefault(s.unit_code, Line(s.unit_code, s.unit_name))):
            line.sessions += 1
            line.attended += s.attended_count
            line.photos += photos
    return list(months.values()), sorted(units.values(), key=lambda line: line.label)


def milestone_totals(index: BinderIndex) -> dict[str, int]:
    totals = dict.fromkeys(("done", "pending", "overdue", "not_applicable"), 0)
    for *_rest, cell in index.milestones:
        totals[cell.status] += 1
    return totals


def context(subject: Subject, index: BinderIndex, missing_photos: int = 0) -> dict:
    months, units = _lines(index)
    return {"subject": subject, "figures": _figures(subject, index), "months": months,
            "units": units, "photos": index.photo_count, "missing_photos": missing_photos,
            "milestones": milestone_totals(index), "entries": index.entries,
            "generated": clock.now()}
