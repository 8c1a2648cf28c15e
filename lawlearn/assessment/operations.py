"""State changes of the assessment: loading a year's scheme, recording entries, reviewing a
town's self-assessment. Each is audited; callers commit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.assessment.scheme import period_of
from lawlearn.audit import actor_id, plain, record
from lawlearn.extensions import db
from lawlearn.models import (
    Area,
    AssessmentEntry,
    AssessmentEvidence,
    AssessmentPublication,
    AssessmentRectification,
    AssessmentScheme,
)
from lawlearn.models.assessment import (
    ACCEPTED,
    ADJUSTED,
    RECORDED,
    RECTIFICATION_ACCEPTED,
    RECTIFICATION_OPEN,
    RECTIFICATION_SUBMITTED,
    SELF_ASSESSED,
)

RECTIFICATION_DAYS = 30  # the default time a town has to report its rectification


def load_scheme(document: dict, actor=None) -> tuple[AssessmentScheme, bool]:
    """Create the scheme of the document's year, or replace it whole: (scheme, created).
    `document` has passed lawlearn.assessment.scheme.check. Entries stay: they are keyed by
    item code, and an item dropped from the scheme no longer scores."""
    start, end = period_of(document)
    scheme = db.session.scalar(sa.select(AssessmentScheme)
                               .where(AssessmentScheme.year == document["year"]))
    created = scheme is None
    if created:
        scheme = AssessmentScheme(year=document["year"])
        db.session.add(scheme)
    elif scheme.document == document:
        return scheme, False
    before = None if created else _summary(scheme.document)
    scheme.title, scheme.period_start, scheme.period_end = document["title"], start, end
    scheme.document = document
    scheme.updated_by_id = actor_id(actor)
    scheme.updated_at = clock.utcnow()
    db.session.flush()
    after = _summary(document)
    record(actor, "create" if created else "update", scheme,
           changes=after if created else {k: [before.get(k), v] for k, v in after.items()
                                          if before.get(k) != v} or {"items": "edited"})
    return scheme, created


def _summary(document: dict) -> dict:
    return {"title": document.get("title"), "period": document.get("period"),
            "items": [i["code"] for i in document.get("items", [])],
            "grades": [g["name"] for g in document.get("grades", [])]}


def entry_for(area: Area, year: int, item: str) -> AssessmentEntry | None:
    return db.session.scalar(sa.select(AssessmentEntry).where(
        AssessmentEntry.area_id == area.id, AssessmentEntry.year == year,
        AssessmentEntry.item == item))


def set_entry(*, area: Area, year: int, item: str, value: Decimal, note: str | None,
              actor=None, via: str | None = None) -> AssessmentEntry | None:
    """The county records (or replaces) a town's figure for an entry item. Returns the entry,
    or None when nothing changed (so re-importing a file leaves no trace)."""
    entry = entry_for(area, year, item)
    changes = {}
    if entry is None:
        entry = AssessmentEntry(area=area, year=year, item=item, value=value, note=note,
                                status=RECORDED)
        db.session.add(entry)
        changes = {"value": plain_decimal(value), "note": note}
        action = "create"
    else:
        for name, new in (("value", value), ("note", note), ("status", RECORDED)):
            old = getattr(entry, name)
            if old != new:
                changes[name] = [plain_decimal(old), plain_decimal(new)]
                setattr(entry, name, new)
        if not changes:
            return None
        action = "update"
    entry.updated_by_id = actor_id(actor)
    entry.updated_at = clock.utcnow()
    db.session.flush()
    record(actor, action, entry, changes={**changes, **({"via": via} if via else {})})
    return entry


def self_assess(*, area: Area, year: int, item: str, claimed: Decimal, note: str | None,
                actor) -> AssessmentEntry:
    """A town's coordinator puts forward their own figure (自评). It waits for the county's
    review; until then the county's scores do not count it (the value it held before, if the
    county had recorded one, keeps counting)."""
    entry = entry_for(area, year, item)
    if entry is None:
        entry = AssessmentEntry(area=area, year=year, item=item, value=Decimal(0))
        db.session.add(entry)
        old = {}
    else:
        old = {"claimed": plain_decimal(entry.claimed), "note": entry.note}
    entry.claimed, entry.note, entry.status = claimed, note, SELF_ASSESSED
    entry.review_reason, entry.reviewed_at, entry.reviewed_by_id = None, None, None
    entry.updated_by_id, entry.updated_at = actor_id(actor), clock.utcnow()
    db.session.flush()
    record(actor, "self-assess", entry,
           changes={"claimed": [old.get("claimed"), plain_decimal(claimed)],
                    "note": [old.get("note"), note]})
    return entry


def review_entry(entry: AssessmentEntry, *, value: Decimal | None, reason: str | None,
                 actor) -> None:
    """The county accepts a self-assessed figure (value None or equal to the claim), or adjusts
    it with a reason."""
    accepted = value is None or value == entry.claimed
    new_value = entry.claimed if accepted else value
    changes = {"value": [plain_decimal(entry.value), plain_decimal(new_value)],
               "claimed": plain_decimal(entry.claimed)}
    entry.value, entry.status = new_value, ACCEPTED if accepted else ADJUSTED
    entry.review_reason = None if accepted else reason
    entry.reviewed_by_id, entry.reviewed_at = actor_id(actor), clock.utcnow()
    if reason and not accepted:
        changes["reason"] = reason
    record(actor, "accept" if accepted else "adjust", entry, changes=changes)


def remove_entry(entry: AssessmentEntry, actor=None) -> None:
    record(actor, "delete", entry, changes={"value": plain_decimal(entry.value),
                                            "note": entry.note})
    db.session.delete(entry)


def plain_decimal(value):
    """A Decimal as the text the audit trail keeps (JSON has no exact decimal)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return plain(value)


def publish(scheme: AssessmentScheme, results: dict, actor=None) -> AssessmentPublication:
    """Freeze the year's results (the contract's JSON) with the scheme they used. Publishing
    again replaces the snapshot, audited with both totals."""
    found = published(scheme.year)
    totals = {row["code"]: row["total"] for row in results["rows"]}
    if found is None:
        found = AssessmentPublication(year=scheme.year, results=results,
                                      scheme=scheme.document)
        db.session.add(found)
        db.session.flush()
        changes = {"totals": totals}
        action = "publish"
    else:
        before = {row["code"]: row["total"] for row in found.results["rows"]}
        found.results, found.scheme = results, scheme.document
        changes = {"totals": [before, totals]}
        action = "republish"
    found.published_at, found.published_by_id = clock.utcnow(), actor_id(actor)
    record(actor, action, found, changes=changes)
    open_rectifications(found, actor=actor)
    return found


def lowest_grade(grades: list[dict]) -> str | None:
    """The grade a town has to rectify (不合格): the one with the lowest minimum."""
    if len(grades) < 2:
        return None
    low = min(Decimal(str(g["min"])) for g in grades)
    return [g for g in grades if Decimal(str(g["min"])) == low][-1]["name"]


def open_rectifications(publication: AssessmentPublication, actor=None) -> list:
    """Give every town graded lowest in the published results a rectification task, due
    RECTIFICATION_DAYS after publishing. Publishing again adds tasks for towns that newly
    fall to the lowest grade and leaves existing tasks (and their reports) alone."""
    grade = lowest_grade(publication.scheme.get("grades", []))
    codes = [row["code"] for row in publication.results["rows"] if grade is not None
             and row.get("grade") == grade]
    if not codes:
        return []
    areas = db.session.scalars(sa.select(Area).where(Area.code.in_(codes))).all()
    have = set(db.session.scalars(sa.select(AssessmentRectification.area_id).where(
        AssessmentRectification.year == publication.year)))
    due = clock.today() + timedelta(days=RECTIFICATION_DAYS)
    opened = []
    for area in sorted(areas, key=lambda a: a.code):
        if area.id in have:
            continue
        task = AssessmentRectification(area=area, year=publication.year, grade=grade, due=due,
                                       status=RECTIFICATION_OPEN)
        db.session.add(task)
        db.session.flush()
        record(actor, "open_rectification", task, changes={"grade": grade,
                                                           "due": due.isoformat()})
        opened.append(task)
    return opened


def rectification_for(area: Area, year: int) -> AssessmentRectification | None:
    return db.session.scalar(sa.select(AssessmentRectification).where(
        AssessmentRectification.area_id == area.id, AssessmentRectification.year == year))


def set_rectification_due(task: AssessmentRectification, due: date, actor=None) -> None:
    if task.due != due:
        record(actor, "set_due", task,
               changes={"due": [task.due.isoformat(), due.isoformat()]})
        task.due = due


def submit_rectification(task: AssessmentRectification, *, filename: str, original_name: str,
                         content_type: str, note: str | None, actor=None) -> str | None:
    """The town's report: it replaces any report before it (returned, or not yet decided).
    Returns the replaced file's name, for the caller to delete after commit."""
    replaced = task.filename
    task.filename, task.original_name = filename, original_name[:200] or "report"
    task.content_type, task.note = content_type, note
    task.status = RECTIFICATION_SUBMITTED
    task.submitted_at, task.submitted_by_id = clock.utcnow(), actor_id(actor)
    record(actor, "submit_rectification", task,
           changes={"file": task.original_name, "note": note})
    return replaced


def decide_rectification(task: AssessmentRectification, *, accept: bool,
                         reason: str | None, actor=None) -> None:
    """The county accepts the report (closing the task) or returns it with a reason (the
    town reports again)."""
    task.status = RECTIFICATION_ACCEPTED if accept else RECTIFICATION_OPEN
    task.return_reason = None if accept else reason
    task.decided_at, task.decided_by_id = clock.utcnow(), actor_id(actor)
    record(actor, "accept_rectification" if accept else "return_rectification", task,
           changes={"status": task.status, **({} if accept else {"reason": reason})})


def published(year: int) -> AssessmentPublication | None:
    return db.session.scalar(sa.select(AssessmentPublication)
                             .where(AssessmentPublication.year == year))


def add_evidence(entry: AssessmentEntry, *, filename: str, original_name: str,
                 content_type: str, size: int, actor=None) -> AssessmentEvidence:
    evidence = AssessmentEvidence(entry=entry, filename=filename,
                                  original_name=original_name[:200] or "evidence",
                                  content_type=content_type, size=size,
                                  uploaded_by_id=actor_id(actor))
    db.session.add(evidence)
    db.session.flush()
    record(actor, "add_evidence", entry, changes={"file": evidence.original_name,
                                                  "size": size})
    return evidence


def remove_evidence(evidence: AssessmentEvidence, actor=None) -> str:
    """Remove the row and return the file's name, for the caller to delete after commit."""
    record(actor, "remove_evidence", evidence.entry,
           changes={"file": evidence.original_name})
    name = evidence.filename
    db.session.delete(evidence)
    return name


def link_session(entry: AssessmentEntry, study_session, actor=None):
    """Point the entry at one of the town's study sessions as its evidence; linking the same
    session again changes nothing. The caller has checked the session is the town's."""
    from lawlearn.models import AssessmentSessionLink

    if any(link.study_session_id == study_session.id for link in entry.session_links):
        return None
    link = AssessmentSessionLink(entry=entry, study_session=study_session,
                                 linked_by_id=actor_id(actor))
    db.session.add(link)
    db.session.flush()
    record(actor, "link_session", entry, changes={"study_session": study_session.code})
    return link


def unlink_session(link, actor=None) -> None:
    record(actor, "unlink_session", link.entry,
           changes={"study_session": link.study_session.code})
    db.session.delete(link)
