"""State changes of the assessment: loading a year's scheme, recording entries, reviewing a
town's self-assessment. Each is audited; callers commit."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.assessment.scheme import period_of
from lawlearn.audit import actor_id, plain, record
from lawlearn.extensions import db
from lawlearn.models import Area, AssessmentEntry, AssessmentPublication, AssessmentScheme
from lawlearn.models.assessment import ACCEPTED, ADJUSTED, RECORDED, SELF_ASSESSED


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
    return found


def published(year: int) -> AssessmentPublication | None:
    return db.session.scalar(sa.select(AssessmentPublication)
                             .where(AssessmentPublication.year == year))
