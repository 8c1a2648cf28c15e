"""How long a 50,000-row units import takes, against the plainest way to write those rows.

    python -m bench.imports [--rows N] [--db URL]

Builds a county in a scratch database, writes a units CSV, then times (median of --runs):
- the import through the same code path as `lawlearn import units FILE` (read, check every row,
  bulk insert, audit rows), and
- a baseline in the same process: one executemany INSERT of the same rows' values into a bare
  copy of the table (the cost of writing the rows at all).
The last line is JSON: {"rows", "import_ms", "baseline_ms", "ratio", "reimport_ms"}.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import time

import sqlalchemy as sa


def build_county(n_villages: int) -> list[str]:
    from lawlearn.extensions import db
    from lawlearn.models import Area

    county = Area(code="999901", name="基准县", level="county", path="/999901/")
    db.session.add(county)
    codes = []
    for t in range(20):
        town = Area(code=f"999901{t:03d}", name=f"镇{t}", level="town", parent=county,
                    path=f"/999901/999901{t:03d}/")
        db.session.add(town)
        for v in range(n_villages // 20):
            code = f"999901{t:03d}{v:03d}"
            db.session.add(Area(code=code, name=f"村{t}-{v}", level="village", parent=town,
                                path=f"{town.path}{code}/"))
            codes.append(code)
    db.session.commit()
    return codes


def units_csv(rows: int, villages: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["编码", "类型", "名称", "所属区域编码", "负责人", "联系电话", "覆盖数", "登记日期"])
    for i in range(rows):
        village = villages[i % len(villages)]
        writer.writerow([f"{village}-H{i:05d}", "中心户", f"中心户{i}", village, "王建国",
                         f"1380000{i % 10000:04d}", 10 + i % 7, "2026-03-01"])
    return out.getvalue().encode("utf-8-sig")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    args = parser.parse_args()

    from bench._scratch import scratch_app
    from lawlearn.extensions import db
    from lawlearn.imports.registry import run_import
    from lawlearn.models import AuditEvent, StudyUnit

    with scratch_app(args.db):
        villages = build_county(400)
        data = units_csv(args.rows, villages)
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        bare = sa.Table("bench_units", sa.MetaData(),
                        *[sa.Column(c.name, c.type) for c in StudyUnit.__table__.columns
                          if c.name != "id"])

        def clear():
            db.session.execute(sa.delete(AuditEvent))
            db.session.execute(sa.delete(StudyUnit))
            db.session.commit()

        def do_import():
            plan = run_import("units", data, "units.csv")
            assert plan.ok and len(plan.creates) == args.rows, plan.errors[:3]
            db.session.commit()

        def baseline():
            from datetime import date, datetime

            bare.drop(db.engine, checkfirst=True)
            bare.create(db.engine)
            values = [{"code": r["编码"], "kind": "household", "name": r["名称"],
                       "area_id": 1, "leader_name": r["负责人"],
                       "leader_phone": r["联系电话"], "reach": int(r["覆盖数"]),
                       "registered_on": date(2026, 3, 1), "status": "active",
                       "created_at": datetime(2026, 3, 1)} for r in rows]
            with db.engine.begin() as conn:
                conn.execute(bare.insert(), values)

        imports, baselines = [], []
        for _ in range(args.runs):
            clear()
            imports.append(timed(do_import))
            baselines.append(timed(baseline))
        reimport = timed(lambda: run_import("units", data, "units.csv"))
        db.session.rollback()
        bare.drop(db.engine)
    import_ms, baseline_ms = statistics.median(imports), statistics.median(baselines)
    print(f"units import of {args.rows} rows: {import_ms:.0f} ms; baseline insert "
          f"{baseline_ms:.0f} ms; re-import (all unchanged) {reimport:.0f} ms")
    print(json.dumps({"rows": args.rows, "import_ms": round(import_ms, 1),
                      "baseline_ms": round(baseline_ms, 1),
                      "ratio": round(import_ms / baseline_ms, 2),
                      "reimport_ms": round(reimport, 1)}))


if __name__ == "__main__":
    main()
