"""How long a 100,000-row attendance import takes, against the plainest way to write those rows.

    python -m bench.attendance_import [--rows N] [--db URL] [--runs N]

Builds a county in a scratch database (400 units with rosters, 2,000 sessions), writes a
sign-in-sheet CSV in which people are known by mobile, new with a mobile, on the roster by
name only, or new with a name only, then times (median of --runs):
- the import through the same code path as `lawlearn import attendance FILE` (read, check every
  row, match people, create the new ones, roster rows, attendance, audit, and the commit, which
  refreshes the report ledger), and
- a baseline in the same process: one executemany INSERT of the same number of rows into a
  bare copy of the attendance table (the cost of writing the rows at all).
The last line is JSON: {"rows", "import_ms", "baseline_ms", "ratio", "reimport_ms",
"rows_per_second"}.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import time
from datetime import date, timedelta

import sqlalchemy as sa

UNITS, SESSIONS_PER_UNIT, ROSTER = 400, 5, 60


def build_county() -> list[tuple[str, int]]:
    """Areas, units, rosters and sessions in bulk; returns (session code, unit index)."""
    from lawlearn.extensions import db
    from lawlearn.models import Area, Person, RosterMember, StudySession, StudyUnit
    from lawlearn.models.people import hash_mobile, mask_mobile

    county = Area(code="999901", name="基准县", level="county", path="/999901/")
    town = Area(code="999901001", name="基准镇", level="town", parent=county,
                path="/999901/999901001/")
    db.session.add_all([county, town])
    db.session.flush()
    villages = [{"code": f"V{v:04d}", "name": f"村{v}", "level": "village",
                 "parent_id": town.id, "path": f"{town.path}V{v:04d}/"} for v in range(UNITS)]
    db.session.execute(Area.__table__.insert(), villages)
    area_ids = dict(db.session.execute(sa.select(Area.code, Area.id)).all())
    db.session.execute(StudyUnit.__table__.insert(), [
        {"code": f"U{u:04d}", "kind": "household", "name": f"中心户{u}",
         "area_id": area_ids[f"V{u:04d}"], "leader_name": "王", "leader_phone": "13900000001",
         "reach": 10, "registered_on": date(2025, 1, 1), "status": "active"}
        for u in range(UNITS)])
    unit_ids = dict(db.session.execute(sa.select(StudyUnit.code, StudyUnit.id)).all())
    people = [{"name": f"村民{u}-{i}", "home_unit_id": unit_ids[f"U{u:04d}"],
               "phone_hash": hash_mobile(mobile(u, i)) if i % 2 == 0 else None,
               "phone_masked": mask_mobile(mobile(u, i)) if i % 2 == 0 else None}
              for u in range(UNITS) for i in range(ROSTER)]
    db.session.execute(Person.__table__.insert(), people)
    db.session.execute(sa.insert(RosterMember).from_select(
        ["unit_id", "person_id"], sa.select(Person.home_unit_id, Person.id)))
    sessions = [(f"U{u:04d}-S{s}", u) for u in range(UNITS) for s in range(SESSIONS_PER_UNIT)]
    db.session.execute(StudySession.__table__.insert(), [
        {"code": code, "unit_id": unit_ids[f"U{u:04d}"], "format": "lecture",
         "held_on": date(2026, 3, 1) + timedelta(days=i % SESSIONS_PER_UNIT),
         "duration_minutes": 60} for i, (code, u) in enumerate(sessions)])
    db.session.commit()
    return sessions


def mobile(unit: int, i: int) -> str:
    return f"13{unit:04d}{i:05d}"


def attendance_csv(rows: int, sessions: list[tuple[str, int]]) -> bytes:
    """Each session's rows are distinct people: a quarter known by mobile, a quarter new with
    a mobile, a quarter on the roster by name only, a quarter new with a name only."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["活动编码", "姓名", "手机号", "状态"])
    per_session = -(-rows // len(sessions))
    written = 0
    for code, u in sessions:
        for i in range(per_session):
            if written == rows:
                break
            kind = i % 4
            if kind == 0:      # on the roster, known by mobile (even roster indexes)
                name, phone = f"村民{u}-{(i % (ROSTER // 2)) * 2}", mobile(u, (i % 30) * 2)
            elif kind == 1:    # new, with a mobile
                name, phone = f"新人{u}-{i}", f"15{u:04d}{i:05d}"
            elif kind == 2:    # on the roster, name only (odd roster indexes)
                name, phone = f"村民{u}-{(i % (ROSTER // 2)) * 2 + 1}", ""
            else:              # new, name only
                name, phone = f"无号{u}-{i}", ""
            writer.writerow([code, name, phone, "出席" if i % 5 else "迟到"])
            written += 1
    return out.getvalue().encode("utf-8-sig")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _clear(first_new_person: int) -> None:
    """Back to the county as built: no attendance, none of the imported people."""
    from lawlearn import ledger
    from lawlearn.extensions import db
    from lawlearn.models import Attendance, AuditEvent, Person, RosterMember

    db.session.execute(sa.delete(AuditEvent))
    db.session.execute(sa.delete(Attendance))
    db.session.execute(sa.delete(RosterMember).where(RosterMember.person_id > first_new_person))
    db.session.execute(sa.delete(Person).where(Person.id > first_new_person))
    ledger.rebuild(db.session)
    db.session.commit()


def _baseline(rows: int, sessions: int) -> None:
    """The same number of rows in one executemany into a bare copy of the table."""
    from lawlearn.extensions import db
    from lawlearn.models import Attendance
    from lawlearn.models.base import utcnow

    bare = sa.Table("bench_attendance", sa.MetaData(),
                    *[sa.Column(c.name, c.type) for c in Attendance.__table__.columns
                      if c.name != "id"])
    bare.drop(db.engine, checkfirst=True)
    bare.create(db.engine)
    values = [{"session_id": 1 + i % sessions, "person_id": 1 + i, "status": "present",
               "method": "import", "recorded_at": utcnow()} for i in range(rows)]
    with db.engine.begin() as conn:
        conn.execute(bare.insert(), values)
    bare.drop(db.engine)


def measure(rows: int, runs: int) -> dict:
    from lawlearn.extensions import db
    from lawlearn.imports.registry import run_import
    from lawlearn.models import Person

    sessions = build_county()
    data = attendance_csv(rows, sessions)
    first_new = db.session.scalar(sa.select(sa.func.max(Person.id)))

    def do_import():
        plan = run_import("attendance", data, "attendance.csv")
        assert plan.ok and len(plan.creates) == rows, plan.errors[:3]
        db.session.commit()  # the ledger's refresh is part of what the user waits for

    imports, baselines = [], []
    for _ in range(runs):
        _clear(first_new)
        imports.append(timed(do_import))
        baselines.append(timed(lambda: _baseline(rows, len(sessions))))
    reimport = timed(lambda: run_import("attendance", data, "attendance.csv"))
    db.session.rollback()
    import_ms, baseline_ms = statistics.median(imports), statistics.median(baselines)
    return {"rows": rows, "import_ms": round(import_ms, 1), "baseline_ms": round(baseline_ms, 1),
            "ratio": round(import_ms / baseline_ms, 2), "reimport_ms": round(reimport, 1),
            "rows_per_second": round(rows / import_ms * 1000)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    args = parser.parse_args()

    from bench._scratch import scratch_app

    with scratch_app(args.db):
        result = measure(args.rows, args.runs)
    print(f"attendance import of {result['rows']} rows: {result['import_ms']:.0f} ms; baseline "
          f"insert {result['baseline_ms']:.0f} ms; re-import (all unchanged) "
          f"{result['reimport_ms']:.0f} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
