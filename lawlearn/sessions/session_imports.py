"""`lawlearn import sessions FILE`: study sessions from a spreadsheet (docs/contracts.md's columns).

Rows are matched by code. A row without a code is matched by its unit, date and format when
exactly one such session exists (so a file without codes imports twice without duplicating),
else the session is created with a generated code (`<unit code>-S<yyyymmdd>-<n>`).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from lawlearn import codes, ledger, validation
from lawlearn.audit import actor_id, insert_events, plain
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, chunks, insert_rows
from lawlearn.imports.reader import Column, Row
from lawlearn.models import SessionTopic, StudySession, StudyUnit
from lawlearn.models.base import utcnow
from lawlearn.period_locks import LockBook, refusal
from lawlearn.sessions.operations import code_prefix, next_number

COLUMNS = [
    Column("code", "编码", extra_aliases=("活动编码",)),
    Column("unit_code", "学习单元编码", extra_aliases=("单元编码",)),
    Column("held_on", "日期"),
    Column("format", "形式"),
    Column("topics", "主题"),
    Column("lecturer", "主讲人"),
    Column("duration_minutes", "时长", extra_aliases=("时长（分钟）", "时长(分钟)")),
    Column("notes", "备注", required=False),
]
FIELDS = ("unit_id", "held_on", "format", "lecturer", "duration_minutes", "notes")
SESSION_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,39}$")
TOPIC_SEPARATORS = re.compile(r"[;；、,，]")


def check_session_code(check: RowChecker, column: str, *, required: bool) -> str | None:
    """Session codes may be up to 40 characters: generated ones are longer than unit codes."""
    text = check.text(column, required=required, max_len=40)
    if text is not None and not SESSION_CODE_RE.match(text):
        check.error(column, _("A session code is letters, digits or hyphens, starting with a "
                              "letter or digit."))
        return None
    return text


def _topics(check: RowChecker) -> list[str] | None:
    text = check.text("topics", max_len=500)
    if text is None:
        return None
    found = []
    for part in (p.strip() for p in TOPIC_SEPARATORS.split(text)):
        if not part:
            continue
        if (topic := codes.TOPICS.parse(part)) is None:
            check.error("topics", _("“%(value)s” is not one of the law topics: %(allowed)s",
                                    value=part, allowed="、".join(
                                        f"{t.code}（{t.aliases[0]}）" for t in codes.TOPICS)))
            return None
        found.append(topic)
    if not found:
        check.error("topics", _("This cell is empty."))
        return None
    return sorted(set(found))


def _duration(check: RowChecker) -> int:
    if check.row.get("duration_minutes") is None:
        return 60  # what the web form suggests
    minutes = check.count("duration_minutes")
    if minutes is not None and not 1 <= minutes <= 600:
        check.error("duration_minutes", _("A session lasts 1 to 600 minutes."))
    return minutes


def _read_row(row: Row, errors: list) -> tuple[RowChecker, dict]:
    check = RowChecker(row, errors)
    return check, {
        "code": check_session_code(check, "code", required=False),
        "unit_code": check.code("unit_code"),
        "held_on": check.date("held_on"),
        "format": check.choice("format", codes.SESSION_FORMATS),
        "topics": _topics(check),
        "lecturer": check.text("lecturer", required=False, max_len=50),
        "duration_minutes": _duration(check),
        "notes": check.text("notes", required=False, max_len=2000),
    }


def units_by_code(unit_codes: set[str], actor) -> dict[str, sa.Row]:
    """The units named in a file, each with `in_scope`: may `actor` touch it (all, from the
    command line, where actor is None)."""
    from lawlearn.scope import unit_filter

    in_scope = unit_filter(actor) if actor is not None else sa.true()
    found = {}
    for batch in chunks(sorted(unit_codes)):
        found.update((r.code, r) for r in db.session.execute(
            sa.select(StudyUnit.id, StudyUnit.code, StudyUnit.name, StudyUnit.status,
                      in_scope.label("in_scope")).where(StudyUnit.code.in_(batch))))
    return found


def _existing(where_batches) -> dict[int, dict]:
    """Sessions as plain dicts with their topics, loaded in chunks."""
    found: dict[int, dict] = {}
    columns = [StudySession.id, StudySession.code, *(getattr(StudySession, f) for f in FIELDS)]
    for where in where_batches:
        for r in db.session.execute(sa.select(*columns).where(where)):
            found[r.id] = {**r._asdict(), "topics": []}
    for batch in chunks(sorted(found)):
        for sid, topic in db.session.execute(sa.select(
                SessionTopic.session_id, SessionTopic.topic)
                .where(SessionTopic.session_id.in_(batch)).order_by(SessionTopic.topic)):
            found[sid]["topics"].append(topic)
    return found


def plan(rows: list[Row], actor=None) -> ImportPlan:
    result = ImportPlan("sessions", rows=len(rows))
    checked = [_read_row(row, result.errors) for row in rows]
    _no_repeats(checked)
    units = units_by_code({i["unit_code"] for _c, i in checked if i["unit_code"]}, actor)
    by_code = {s["code"]: s for s in _existing(
        StudySession.code.in_(batch) for batch in chunks(sorted(
            {i["code"] for _c, i in checked if i["code"]}))).values()}
    scoped = scoped_unit_ids({s["unit_id"] for s in by_code.values()}, actor)
    by_key = _natural_keys(checked, units)
    book = LockBook(db.session, [i["held_on"] for _c, i in checked]
                    + [s["held_on"] for s in by_code.values()])
    book.load_units([u.id for u in units.values()] + [s["unit_id"] for s in by_code.values()])
    taken: dict[str, list[str]] = {}
    for check, item in checked:
        unit = _unit_of(check, item, units)
        existing = by_code.get(item["code"]) if item["code"] else _by_key(check, item, unit,
                                                                         by_key)
        if existing is not None and scoped is not None and existing["unit_id"] not in scoped:
            check.error("code", validation.session_code_taken())
        if check.ok:
            _check_locks(check, book, item, unit, existing)
        if not check.ok:
            continue
        item["unit_id"], item["name"] = unit.id, unit.name
        if existing is None:
            if unit.status != "active":
                check.error("unit_code", _("Study unit %(code)s is retired.", code=unit.code))
                continue
            item["code"] = item["code"] or _generate(item, unit, taken, checked)
            result.creates.append(item)
        else:
            _compare(result, existing, item)
    result.errors.sort(key=lambda e: e.row)
    return result


def _check_locks(check: RowChecker, book: LockBook, item: dict, unit, existing) -> None:
    """A row may neither write into a locked period nor move a session out of one."""
    if not book:
        return
    lock = book.for_unit(unit.id, item["held_on"])
    if lock is None and existing is not None:
        lock = book.for_unit(existing["unit_id"], existing["held_on"])
    if lock is not None:
        check.error("held_on", refusal(lock))


def _unit_of(check: RowChecker, item: dict, units: dict):
    unit = units.get(item["unit_code"]) if item["unit_code"] else None
    if unit is not None and not unit.in_scope:
        unit = None  # another town's unit reads exactly as one that does not exist
    if item["unit_code"] and unit is None:
        check.error("unit_code", validation.no_unit(item["unit_code"]))
    return unit


def _no_repeats(checked) -> None:
    """A code twice, or two code-less rows for the same unit, day and format: the second
    would be indistinguishable from the first on the next import."""
    first: dict = {}
    for check, item in checked:
        key = item["code"] or (item["unit_code"], item["held_on"], item["format"])
        if not item["code"] and not all(key):
            continue  # the row has errors of its own already
        if key in first:
            if item["code"]:
                check.error("code", _("Code %(code)s already appears in row %(row)d.",
                                      code=item["code"], row=first[key]))
            else:
                check.error("code", _("Row %(row)d has the same unit, date and format: give "
                                      "each session its own code.", row=first[key]))
        else:
            first[key] = check.row.number


def scoped_unit_ids(unit_ids: set[int], actor) -> set[int] | None:
    """Which of `unit_ids` `actor` may touch; None means all (the command line)."""
    if actor is None:
        return None
    from lawlearn.scope import unit_filter

    found: set[int] = set()
    for batch in chunks(sorted(unit_ids)):
        found.update(db.session.scalars(sa.select(StudyUnit.id).where(
            StudyUnit.id.in_(batch), unit_filter(actor))))
    return found


def _natural_keys(checked, units) -> dict[tuple, list[dict]]:
    """Existing sessions that code-less rows may mean, by (unit id, date, format)."""
    wanted = {(units[i["unit_code"]].id, i["held_on"], i["format"]) for _c, i in checked
              if not i["code"] and i["unit_code"] in units and i["held_on"] and i["format"]}
    unit_ids = sorted({k[0] for k in wanted})
    found: dict[tuple, list[dict]] = {}
    for session in _existing(StudySession.unit_id.in_(b) for b in chunks(unit_ids)).values():
        key = (session["unit_id"], session["held_on"], session["format"])
        if key in wanted:
            found.setdefault(key, []).append(session)
    return found


def _by_key(check: RowChecker, item: dict, unit, by_key: dict) -> dict | None:
    if unit is None or not check.ok:
        return None
    matches = by_key.get((unit.id, item["held_on"], item["format"]), [])
    if len(matches) > 1:
        check.error("code", _("This unit has several sessions of this format on this day: "
                              "write the code of the one you mean."))
        return None
    return matches[0] if matches else None


def _generate(item: dict, unit, taken: dict[str, list[str]], checked) -> str:
    prefix = code_prefix(unit.code, unit.id, item["held_on"])
    if prefix not in taken:
        taken[prefix] = list(db.session.scalars(sa.select(StudySession.code).where(
            StudySession.code.startswith(prefix, autoescape=True))))
        taken[prefix] += [i["code"] for _c, i in checked if i["code"]]
    code = f"{prefix}{next_number(prefix, taken[prefix])}"
    taken[prefix].append(code)
    return code


def _compare(result: ImportPlan, existing: dict, item: dict) -> None:
    changes = {f: [plain(existing[f]), plain(item[f])] for f in FIELDS
               if f != "notes" and existing[f] != item[f]}
    if item["notes"] is not None and item["notes"] != existing["notes"]:
        changes["notes"] = [existing["notes"], item["notes"]]  # an empty cell keeps the notes
    if existing["topics"] != item["topics"]:
        changes["topics"] = [existing["topics"], item["topics"]]
    if not changes:
        result.unchanged += 1
        return
    values = {f: item[f] for f in FIELDS}
    if item["notes"] is None:
        values["notes"] = existing["notes"]
    result.updates.append({"id": existing["id"], "code": existing["code"], "values": values,
                           "topics": item["topics"], "changes": changes})


def apply(result: ImportPlan, actor=None) -> None:
    now, who = utcnow(), actor_id(actor)
    ledger.touch_sessions([u["id"] for u in result.updates])  # their old months and units
    rows = [{"code": i["code"], "created_by_id": who, "created_at": now, "updated_at": now,
             **{f: i[f] for f in FIELDS}} for i in result.creates]
    new_ids = insert_rows(StudySession.__table__, rows, "code")
    topics = [{"session_id": new_ids[i["code"]], "topic": t}
              for i in result.creates for t in i["topics"]]
    for batch in chunks(result.updates):
        db.session.execute(sa.update(StudySession), [
            {"id": u["id"], "updated_at": now, **u["values"]} for u in batch])
        retopic = [u["id"] for u in batch if "topics" in u["changes"]]
        db.session.execute(sa.delete(SessionTopic).where(SessionTopic.session_id.in_(retopic)))
        topics += [{"session_id": u["id"], "topic": t} for u in batch if u["id"] in retopic
                   for t in u["topics"]]
    for batch in chunks(topics):
        db.session.execute(SessionTopic.__table__.insert(), batch)
    ledger.touch_sessions(list(new_ids.values()) + [u["id"] for u in result.updates])
    audit = [("create", new_ids[i["code"]], i["code"],
              {"via": "import", "unit": i["unit_code"], "held_on": plain(i["held_on"])})
             for i in result.creates]
    audit += [("update", u["id"], u["code"], {**u["changes"], "via": "import"})
              for u in result.updates]
    insert_events(actor, StudySession, audit, at=now)
