"""`lawlearn import attendance FILE`: a typed or photographed sign-in sheet (签到表).

People are recognised as everywhere else (lawlearn.participants): by mobile number when the
row has one, else by name among the session unit's roster; a name-only row may also mean
someone identified by mobile elsewhere in the file for the same unit. Whoever is not known
yet is created, and everyone in the file joins the roster of the session's unit.

A sign-in sheet of a big county runs to 100,000 rows, so nothing here queries per row: the
file's sessions, people and rosters are looked up in chunks, and every write is a bulk
statement; the ledger is told which sessions changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from lawlearn import codes, ledger, participants, validation
from lawlearn.audit import insert_events
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.imports.checks import RowChecker
from lawlearn.imports.plan import ImportPlan, chunks
from lawlearn.imports.reader import Column, Row
from lawlearn.models import Attendance, Person, RosterMember, StudySession
from lawlearn.models.base import utcnow
from lawlearn.models.people import hash_mobile, mask_mobile
from lawlearn.period_locks import LockBook, refusal
from lawlearn.sessions.session_imports import check_session_code
from lawlearn.transactions import insert_ignoring, insert_missing

COLUMNS = [
    Column("session_code", "活动编码"),
    Column("name", "姓名"),
    Column("phone", "手机号", extra_aliases=("手机", "手机号码")),
    Column("status", "状态", extra_aliases=("签到状态",)),
]


def _read(row: Row, errors: list) -> tuple[RowChecker, dict]:
    check = RowChecker(row, errors)
    item = {"code": check_session_code(check, "session_code", required=True),
            "name": check.text("name", max_len=50), "mobile": check.mobile("phone", required=False),
            # A typed sheet often leaves the status empty: whoever signed was there.
            "status": check.choice("status", codes.ATTENDANCE_STATUSES, required=False)
            or "present"}
    return check, item


def _sessions(session_codes: set[str], actor) -> dict[str, sa.Row]:
    from lawlearn.scope import unit_filter

    in_scope = unit_filter(actor) if actor is not None else sa.true()
    found = {}
    for batch in chunks(sorted(session_codes)):
        found.update((r.code, r) for r in db.session.execute(
            sa.select(StudySession.id, StudySession.code, StudySession.unit_id,
                      StudySession.held_on, in_scope.label("in_scope"))
            .join(StudySession.unit).where(StudySession.code.in_(batch))))
    return found


def _rosters(unit_ids: set[int]) -> tuple[set[tuple[int, int]], dict[tuple[int, str], int]]:
    """The rosters of the file's units: who is on them, and name → person (the lowest id,
    as lawlearn.participants.find_person picks)."""
    members: set[tuple[int, int]] = set()
    by_name: dict[tuple[int, str], int] = {}
    for batch in chunks(sorted(unit_ids), 500):
        for unit_id, person_id, name in db.session.execute(
                sa.select(RosterMember.unit_id, RosterMember.person_id, Person.name)
                .join(Person, Person.id == RosterMember.person_id)
                .where(RosterMember.unit_id.in_(batch))):
            members.add((unit_id, person_id))
            key = (unit_id, name)
            if key not in by_name or person_id < by_name[key]:
                by_name[key] = person_id
    return members, by_name


def _existing_attendance(session_ids: set[int]) -> dict[tuple[int, int], tuple[int, str]]:
    found = {}
    for batch in chunks(sorted(session_ids), 500):
        for aid, sid, pid, status in db.session.execute(
                sa.select(Attendance.id, Attendance.session_id, Attendance.person_id,
                          Attendance.status).where(Attendance.session_id.in_(batch))):
            found[(sid, pid)] = (aid, status)
    return found


class _People:
    """Who each row means: an existing person's id, or the key of a person to create."""

    def __init__(self, hashes: dict[str, str], by_hash: dict[str, participants.Known],
                 roster_names: dict[tuple[int, str], int]):
        self.hashes, self.by_hash, self.roster_names = hashes, by_hash, roster_names
        self.by_mobile_in_unit: dict[tuple[int, str], object] = {}
        self.new: dict[tuple, dict] = {}
        self.renames: dict[int, tuple[str, str]] = {}

    def identify(self, unit_id: int, name: str, mobile: str | None):
        """The row's person; raises NameConflict by lawlearn.participants' rule."""
        if mobile:
            digest = self.hashes[mobile]
            known = self.by_hash.get(digest)
            who = known.id if known else None
            if known is not None:
                current = self.renames.get(known.id, (known.name, known.name))[1]
                verdict = participants.judge_name(current, name, may_rename=known.may_rename)
                if verdict == participants.REFUSE:
                    raise participants.NameConflict()
                if verdict == participants.RENAME:
                    self.renames[known.id] = (known.name, name)
            else:
                who = ("mobile", digest)
                self.new.setdefault(who, {"name": name, "phone_hash": digest,
                                          "phone_masked": mask_mobile(mobile),
                                          "home_unit_id": unit_id})
            self.by_mobile_in_unit.setdefault((unit_id, name), who)
            return who
        who = self.roster_names.get((unit_id, name)) or self.by_mobile_in_unit.get(
            (unit_id, name))
        if who is None:
            who = ("name", unit_id, name)
            self.new.setdefault(who, {"name": name, "phone_hash": None, "phone_masked": None,
                                      "home_unit_id": unit_id})
        return who


def plan(rows: list[Row], actor=None) -> ImportPlan:
    result = ImportPlan("attendance", rows=len(rows))
    checked = [_read(row, result.errors) for row in rows]
    sessions = _sessions({i["code"] for _c, i in checked if i["code"]}, actor)
    book = LockBook(db.session, [s.held_on for s in sessions.values()])
    book.load_units([s.unit_id for s in sessions.values()])
    for check, item in checked:
        session = sessions.get(item["code"]) if item["code"] else None
        if session is not None and not session.in_scope:
            session = None  # another town's session reads exactly as one that does not exist
        if item["code"] and session is None:
            check.error("session_code", validation.no_session(item["code"]))
        elif session is not None and (lock := book.for_unit(session.unit_id, session.held_on)):
            check.error("session_code", refusal(lock))
        item["session"] = session
    ok = [(c, i) for c, i in checked if c.ok]
    unit_ids = {i["session"].unit_id for _c, i in ok}
    members, roster_names = _rosters(unit_ids)
    mobiles = {i["mobile"] for _c, i in ok if i["mobile"]}
    secret = current_app.config["SECRET_KEY"]
    hashes = {m: hash_mobile(m, secret) for m in mobiles}
    people = _People(hashes, participants.people_by_hash(hashes.values(), actor), roster_names)
    existing = _existing_attendance({i["session"].id for _c, i in ok})
    _plan_rows(result, ok, people, members, existing)
    result.errors.sort(key=lambda e: e.row)
    return result


def _plan_rows(result: ImportPlan, ok, people: _People, members: set, existing: dict) -> None:
    first_row: dict[tuple, int] = {}
    joins: set[tuple] = set()
    for check, item in ok:
        session = item["session"]
        try:
            who = people.identify(session.unit_id, item["name"], item["mobile"])
        except participants.NameConflict as conflict:
            check.error("name", str(conflict))
            continue
        if (session.id, who) in first_row:
            check.error("name", _("%(name)s is already in row %(row)d for this session.",
                                  name=item["name"], row=first_row[(session.id, who)]))
            continue
        first_row[(session.id, who)] = check.row.number
        if isinstance(who, tuple) or (session.unit_id, who) not in members:
            joins.add((session.unit_id, who))
        found = existing.get((session.id, who)) if isinstance(who, int) else None
        if found is None:
            result.creates.append({"session_id": session.id, "person": who,
                                   "status": item["status"], "code": item["code"],
                                   "name": item["name"]})
        elif found[1] != item["status"]:
            result.updates.append({"id": found[0], "session_id": session.id,
                                   "status": item["status"], "session_code": item["code"],
                                   "code": f"{item['code']} · {item['name']}",
                                   "changes": {"status": [found[1], item["status"]]}})
        else:
            result.unchanged += 1
    # Nothing is created for a file with errors, but the plan stays consistent anyway.
    result.context.update(new_people=people.new, roster_joins=joins, renames=people.renames)


def _create_people(new: dict[tuple, dict]) -> dict[tuple, int]:
    """Insert the new people in bulk; RETURNING gives back each row's key columns with its id,
    so the order of the returned rows does not matter. A number someone registered since the
    preview (a check-in meanwhile) is not inserted again: that person is used."""
    table, now, ids = Person.__table__, utcnow(), {}
    rows = [{**values, "created_at": now} for values in new.values()]
    statement = insert_ignoring(table, ["phone_hash"]).returning(
        table.c.id, table.c.phone_hash, table.c.home_unit_id, table.c.name)
    for batch in chunks(rows):
        for pid, digest, unit_id, name in db.session.execute(statement, batch):
            ids[("mobile", digest) if digest else ("name", unit_id, name)] = pid
    missing = [key[1] for key in new if key[0] == "mobile" and key not in ids]
    for batch in chunks(missing):
        ids.update((("mobile", digest), pid) for digest, pid in db.session.execute(
            sa.select(table.c.phone_hash, table.c.id).where(table.c.phone_hash.in_(batch))))
    return ids


def apply(result: ImportPlan, actor=None) -> None:
    now = utcnow()
    for person_id_, (old, new) in result.context["renames"].items():
        participants.rename(person_id_, old, new, actor)
    new_ids = _create_people(result.context["new_people"])

    def person_id(who) -> int:
        return new_ids[who] if isinstance(who, tuple) else who

    joins = [{"unit_id": unit_id, "person_id": person_id(who), "joined_at": now}
             for unit_id, who in result.context["roster_joins"]]
    # Rows written since the preview (a QR check-in during the upload) are left as they are
    # rather than failing the whole import on their unique keys.
    for batch in chunks(joins):
        insert_missing(RosterMember.__table__, batch, ("unit_id", "person_id"))
    rows = [{"session_id": c["session_id"], "person_id": person_id(c["person"]),
             "status": c["status"], "method": "import", "recorded_at": now}
            for c in result.creates]
    for batch in chunks(rows):
        insert_missing(Attendance.__table__, batch, ("session_id", "person_id"))
    table = Attendance.__table__
    for batch in chunks(result.updates):
        db.session.execute(table.update().where(table.c.id == sa.bindparam("id_"))
                           .values(status=sa.bindparam("status_")),
                           [{"id_": u["id"], "status_": u["status"]} for u in batch])
    touched = {c["session_id"] for c in result.creates} | {u["session_id"]
                                                          for u in result.updates}
    ledger.touch_sessions(touched)
    _audit(result, touched, actor, now)


def _audit(result: ImportPlan, touched: set[int], actor, now) -> None:
    """One event per session, not per row: 100,000 audit rows would bury everything else."""
    added: dict[int, int] = {}
    changed: dict[int, int] = {}
    codes_: dict[int, str] = {}
    for c in result.creates:
        added[c["session_id"]] = added.get(c["session_id"], 0) + 1
        codes_[c["session_id"]] = c["code"]
    for u in result.updates:
        changed[u["session_id"]] = changed.get(u["session_id"], 0) + 1
        codes_[u["session_id"]] = u["session_code"]
    insert_events(actor, StudySession, (
        ("import_attendance", sid, codes_[sid],
         {"via": "import", "added": added.get(sid, 0), "changed": changed.get(sid, 0)})
        for sid in sorted(touched)), at=now)

