"""The coverage report at county and province scale, against the cost of touching every
attendance row once.

    python -m bench.coverage [--db URL] [--scale county|province|small] [--counties N] [--runs N]

Seeds synthetic counties (bench/seed.py; one county: 20 towns, 400 villages/communities/
enterprises, 4,000 units, 200,000 people, 200,000 sessions, 5,000,000 attendance rows, 500,000
quiz attempts; the province: 10 of them side by side as roots of the area tree) with the
application's tables and bulk writes, builds the report's summaries with the same `rebuild` as
`lawlearn report rebuild`, then measures on one connection, side by side (interleaved), as
medians of --runs:

- `SELECT count(*) FROM attendance`, the cost of touching every attendance row once;
- the full-year report of every county through `coverage()`, the function the CLI and the web
  report call: with one county the county report, with ten what a provincial office reads
  (DESIGN.md: one tree serves a county or a whole province; there is no province level above
  the counties, so the province's report is its counties' reports);
- a county drill-down: one town's full-year report;
- a one-month county report,

checks every report against `recount()` (GROUP BY over the raw tables) and prints, last, one
JSON line: {"scale", "database", "counties", "attendance_rows", "report_ms", "scan_ms", "ratio",
"drilldown_ms", "drilldown_ratio", "cpu_ratio", "exact", "seed_s"} (report_ms: all county
reports together; cpu_ratio: the same ratio in this process's CPU time, SQLite only).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from bench.seed import LAST_DAY, SCALES, YEAR, county_code, seed, town_code

SEEDED = ("areas", "study_units", "people", "study_sessions", "attendance", "quizzes",
          "attempts", "area_month_stats", "ledger_masks", "ledger_ranges")


def timed_ms(fn) -> tuple[float, float, object]:
    """Wall-clock and this process's CPU milliseconds of fn(), and its result. On SQLite all
    the work is in this process, so the CPU time is the cost without the other processes of
    a shared machine; on PostgreSQL the work is in the server, and only the wall clock counts."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result)


def build(db, scale: str, counties: int, rng_seed: int) -> float:
    """Empty tables, the raw rows, then the summaries; returns the seconds it took."""
    from lawlearn.ledger import rebuild

    start = time.perf_counter()
    db.drop_all()
    db.create_all()
    shape, _default = SCALES[scale]
    with db.engine.begin() as conn:
        counts = seed(conn, shape, counties, random.Random(rng_seed))
    print(f"raw rows in {time.perf_counter() - start:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    rebuild(db.session)
    db.session.commit()
    print(f"summaries built by 'report rebuild' at {time.perf_counter() - start:.1f} s",
          flush=True)
    analyze(db)
    return time.perf_counter() - start


def analyze(db) -> None:
    """Planner statistics (and, on PostgreSQL, the visibility map that lets count(*) and the
    report's index lookups skip the heap), as after any bulk load."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                f"VACUUM ANALYZE {', '.join(SEEDED)}")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def seeded_counties(db) -> int:
    inspector = sa.inspect(db.engine)
    if not inspector.has_table("areas") or not inspector.has_table("ledger_ranges"):
        return 0
    return db.session.execute(sa.text(
        "SELECT count(*) FROM areas WHERE parent_id IS NULL")).scalar() or 0


def measure(db, counties: int, runs: int) -> dict:
    """Times and checks the reports; prints one line per report."""
    from lawlearn.models import Area
    from lawlearn.reports.coverage import coverage, recount
    from lawlearn.reports.periods import Period

    def area(code: str) -> Area:
        return db.session.scalar(sa.select(Area).where(Area.code == code))

    roots = [area(county_code(c)) for c in range(counties)]
    town = area(town_code(0, 0))
    year = Period(date(YEAR, 1, 1), date(YEAR, 12, 31))
    month = Period(date(YEAR, 3, 1), date(YEAR, 3, 31))
    cases = {
        "county-year" if counties == 1 else f"county-year x{counties} (every county)":
            [(a, year) for a in roots],
        "town-year (county drill-down)": [(town, year)],
        "county-month": [(roots[0], month)],
    }
    # Interleaved, so that the scan and every report see the same load on a shared machine.
    wall: dict[str, list[float]] = {name: [] for name in ["scan", *cases]}
    cpu: dict[str, list[float]] = {name: [] for name in ["scan", *cases]}
    results: dict[str, list] = {}
    for _ in range(runs):
        ms, cpu_ms, attendance_rows = timed_ms(lambda: db.session.execute(
            sa.text("SELECT count(*) FROM attendance")).scalar())
        wall["scan"].append(ms)
        cpu["scan"].append(cpu_ms)
        for name, reports in cases.items():
            ms, cpu_ms, results[name] = timed_ms(
                lambda r=reports: [coverage(a, p, LAST_DAY) for a, p in r])
            wall[name].append(ms)
            cpu[name].append(cpu_ms)
    in_process = db.engine.dialect.name == "sqlite"
    scan_ms, scan_cpu = statistics.median(wall["scan"]), statistics.median(cpu["scan"])
    figures, cpu_ratios, exact = {}, {}, True
    for name, reports in cases.items():
        ms = figures[name] = statistics.median(wall[name])
        cpu_ratios[name] = statistics.median(cpu[name]) / scan_cpu if in_process else None
        same = all(got == recount(a, p)
                   for got, (a, p) in zip(results[name], reports, strict=True))
        exact = exact and same
        print(f"{name}: report {ms:.2f} ms, scan {scan_ms:.2f} ms, ratio {ms / scan_ms:.4f}"
              + (f" (CPU time: {cpu_ratios[name]:.4f})" if in_process else "")
              + f", exact {same}", flush=True)
    headline, drilldown, _month = figures.values()
    return {"attendance_rows": attendance_rows, "report_ms": round(headline, 3),
            "scan_ms": round(scan_ms, 3), "ratio": round(headline / scan_ms, 4),
            "drilldown_ms": round(drilldown, 3), "drilldown_ratio": round(drilldown / scan_ms, 4),
            "cpu_ratio": round(next(iter(cpu_ratios.values())), 4) if in_process else None,
            "exact": exact}


@contextmanager
def bench_app(url: str):
    from lawlearn import create_app

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        yield


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file); its tables "
                        "are dropped and recreated, and dropped again at the end")
    parser.add_argument("--scale", choices=list(SCALES), default="county")
    parser.add_argument("--counties", type=int,
                        help="how many counties of the scale's size (province: 10)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true",
                        help="keep the seeded tables (with --db) and reuse them when they hold "
                        "the same number of counties: no seeding")
    parser.add_argument("--sqlite-file", type=Path,
                        help="seed into this SQLite file and keep it (reused when it exists)")
    args = parser.parse_args(argv)
    counties = args.counties or SCALES[args.scale][1]

    from lawlearn.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{args.sqlite_file or Path(tmp) / 'coverage.sqlite'}"
        keep = args.keep or args.sqlite_file is not None
        with bench_app(url):
            seed_s = None
            if keep and seeded_counties(db) == counties:
                print(f"reusing the {counties} seeded counties at {db.engine.url!r}", flush=True)
            else:
                seed_s = build(db, args.scale, counties, args.seed)
                print(f"seeded in {seed_s:.1f} s", flush=True)
            line = {"scale": args.scale, "database": db.engine.dialect.name,
                    "counties": counties, **measure(db, counties, args.runs),
                    "seed_s": seed_s and round(seed_s, 1)}
            db.session.rollback()
            if args.db and not keep:
                db.drop_all()
            db.engine.dispose()
    print(json.dumps(line))
    return line


if __name__ == "__main__":
    main()
