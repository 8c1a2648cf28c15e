"""The coverage report at county scale, against the cost of touching every attendance row.

    python -m bench.coverage [--db URL] [--scale county|small] [--runs N]

Seeds a synthetic county (default: 20 towns, 400 villages/communities/enterprises, 4,000 units,
200,000 people, 200,000 sessions, 5,000,000 attendance rows, 500,000 quiz attempts) with the
application's own tables and bulk inserts, builds the report's summaries with the same
`rebuild` as `lawlearn report rebuild`, then measures on one connection, as medians of --runs:

- the full-year county report through `coverage()`, the function the CLI calls;
- `SELECT count(*) FROM attendance`, the cost of touching every attendance row once;
- a town drill-down and a one-month county report,

checks each report against `recount()` (GROUP BY over the raw tables) and prints, last, one
JSON line: {"scale", "attendance_rows", "report_ms", "scan_ms", "ratio", "exact", "seed_s"}.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

SCALES = {
    # towns, leaves per town (villages, communities, enterprises), units per leaf,
    # people per unit, sessions per unit, attendees per session, attempts
    "county": (20, (14, 3, 3), 10, 50, 50, 25, 500_000),
    "small": (2, (3, 1, 1), 2, 10, 6, 5, 300),
}
YEAR = 2026
LAST_DAY = date(YEAR, 11, 27)  # nothing may be dated after "today"
STATUSES = ["present"] * 90 + ["late"] * 5 + ["excused"] * 3 + ["absent"] * 2


def insert(conn, table, rows) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def insert_fast(conn, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """executemany at the driver level for the millions of attendance and attempt rows: the
    same table, without building a dict per row."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, rows)


def seed(conn, scale: str, rng: random.Random) -> int:
    from lawlearn.models import Area, Attempt, Attendance, Person, Quiz, StudySession, StudyUnit

    towns, (n_vil, n_com, n_ent), per_leaf, per_unit, sessions_per_unit, attendees, attempts = (
        SCALES[scale])
    areas = [{"id": 1, "code": "990", "name": "基准县", "level": "county", "parent_id": None,
              "path": "/990/", "active": True}]
    units, next_area = [], 2
    for t in range(towns):
        town = {"id": next_area, "code": f"990{t:03d}", "name": f"第{t + 1}镇", "level": "town",
                "parent_id": 1, "path": f"/990/990{t:03d}/", "active": True}
        areas.append(town)
        next_area += 1
        for i, level in enumerate(["village"] * n_vil + ["community"] * n_com
                                  + ["enterprise"] * n_ent):
            code = f"{town['code']}{i:03d}"
            areas.append({"id": next_area, "code": code, "name": f"{town['name']}{i}",
                          "level": level, "parent_id": town["id"],
                          "path": f"{town['path']}{code}/", "active": True})
            kind = {"village": "household", "community": "building",
                    "enterprise": "enterprise_group"}[level]
            for k in range(per_leaf):
                units.append({"id": len(units) + 1, "code": f"{code}-{k:02d}", "kind": kind,
                              "name": f"单元{code}-{k}", "area_id": next_area,
                              "leader_name": "负责人", "leader_phone": "13800000000",
                              "reach": rng.randint(5, 60), "registered_on": date(2025, 6, 1),
                              "status": "active", "town": t})
            next_area += 1
    insert(conn, Area.__table__, areas)
    insert(conn, StudyUnit.__table__, [{k: v for k, v in u.items() if k != "town"}
                                       for u in units])
    people = [{"id": i + 1, "name": f"学员{i}", "home_unit_id": u["id"]}
              for i, u in enumerate(u for u in units for _ in range(per_unit))]
    for start in range(0, len(people), 50_000):
        insert(conn, Person.__table__, people[start:start + 50_000])
    members = {u["id"]: range(idx * per_unit + 1, (idx + 1) * per_unit + 1)
               for idx, u in enumerate(units)}
    town_units: dict[int, list[int]] = {}
    for u in units:
        town_units.setdefault(u["town"], []).append(u["id"])
    quizzes = [{"id": i + 1, "slug": f"q{i}", "title": f"测验{i}", "topic": "civil-code"}
               for i in range(10)]
    insert(conn, Quiz.__table__, quizzes)
    days = (LAST_DAY - date(YEAR, 1, 1)).days
    session_id, attendance, n_attendance, sessions = 0, [], 0, []
    now = datetime(YEAR, 11, 27, tzinfo=UTC)
    att_columns = ("session_id", "person_id", "status", "method", "recorded_at")
    for u in units:
        for _ in range(sessions_per_unit):
            session_id += 1
            sessions.append({"id": session_id, "code": f"S{session_id}", "unit_id": u["id"],
                             "held_on": date(YEAR, 1, 1) + timedelta(rng.randint(0, days)),
                             "format": "group_study", "duration_minutes": 60,
                             "checkin_token": f"t{session_id}", "attended_count": 0})
            chosen = rng.sample(members[u["id"]], attendees - 2) + [
                rng.choice(members[rng.choice(town_units[u["town"]])]) for _ in range(2)]
            for person_id in set(chosen):
                attendance.append((session_id, person_id, rng.choice(STATUSES), "import", now))
        if len(sessions) >= 20_000:
            insert(conn, StudySession.__table__, sessions)
            sessions = []
        if len(attendance) >= 200_000:
            insert_fast(conn, Attendance.__table__, att_columns, attendance)
            n_attendance += len(attendance)
            attendance = []
    insert(conn, StudySession.__table__, sessions)
    insert_fast(conn, Attendance.__table__, att_columns, attendance)
    n_attendance += len(attendance)
    batch = []
    columns = ("token", "quiz_id", "person_id", "unit_id", "method", "taken_on", "started_at",
               "score", "passed")
    for i in range(attempts):
        person = rng.randint(1, len(people))
        score = rng.randint(0, 10) * 10
        batch.append((f"a{i}", rng.randint(1, 10), person, people[person - 1]["home_unit_id"],
                      "paper", date(YEAR, 1, 1) + timedelta(rng.randint(0, days)), now,
                      float(score), score >= 60))
        if len(batch) == 100_000:
            insert_fast(conn, Attempt.__table__, columns, batch)
            batch = []
    insert_fast(conn, Attempt.__table__, columns, batch)
    if conn.dialect.name == "postgresql":
        for table in ("areas", "study_units", "people", "study_sessions", "quizzes"):
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT max(id) FROM {table}))")
    return n_attendance


def median_ms(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    parser.add_argument("--scale", choices=list(SCALES), default="county")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", type=Path, help="seed into this SQLite file and keep it "
                        "(reused when it exists: no seeding)")
    args = parser.parse_args()

    from lawlearn import create_app
    from lawlearn.extensions import db
    from lawlearn.ledger import rebuild
    from lawlearn.models import Area
    from lawlearn.reports.coverage import coverage, recount
    from lawlearn.reports.periods import Period

    with tempfile.TemporaryDirectory() as tmp:
        kept = args.keep is not None and args.keep.exists()
        url = args.db or f"sqlite:///{args.keep or Path(tmp) / 'coverage.sqlite'}"
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            start = time.perf_counter()
            if kept:
                n_attendance = db.session.execute(
                    sa.text("SELECT count(*) FROM attendance")).scalar()
            else:
                db.drop_all()
                db.create_all()
                with db.engine.begin() as conn:
                    n_attendance = seed(conn, args.scale, random.Random(args.seed))
                print(f"raw rows in {time.perf_counter() - start:.1f} s")
                rebuild(db.session)
                db.session.commit()
                print(f"summaries built by 'report rebuild' at {time.perf_counter() - start:.1f} s")
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                        "VACUUM ANALYZE")
            else:
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            seed_s = time.perf_counter() - start
            print(f"seeded {n_attendance:,} attendance rows and summaries in {seed_s:.1f} s")

            county = db.session.scalar(sa.select(Area).where(Area.code == "990"))
            town = db.session.scalar(sa.select(Area).where(Area.code == "990000"))
            year = Period(date(YEAR, 1, 1), date(YEAR, 12, 31))
            month = Period(date(YEAR, 3, 1), date(YEAR, 3, 31))
            scan_ms, _n = median_ms(lambda: db.session.execute(
                sa.text("SELECT count(*) FROM attendance")).scalar(), args.runs)
            exact = True
            results = {}
            for name, area, period in (("county-year", county, year),
                                       ("town-year", town, year),
                                       ("county-month", county, month)):
                ms, report = median_ms(lambda a=area, p=period: coverage(a, p, LAST_DAY),
                                       args.runs)
                same = report == recount(area, period)
                exact = exact and same
                results[name] = ms
                print(f"{name}: report {ms:.2f} ms, scan {scan_ms:.2f} ms, "
                      f"ratio {ms / scan_ms:.4f}, exact {same}")
            if args.db and not args.keep:
                db.drop_all()
    print(json.dumps({"scale": args.scale, "attendance_rows": n_attendance,
                      "report_ms": round(results["county-year"], 3),
                      "scan_ms": round(scan_ms, 3),
                      "ratio": round(results["county-year"] / scan_ms, 4), "exact": exact,
                      "seed_s": round(seed_s, 1)}))


if __name__ == "__main__":
    main()
