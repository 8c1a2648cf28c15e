"""Scoring every town against a 30-item scheme, against the coverage report it reads.

    python -m bench.assessment [--scale county|small] [--runs N] [--sqlite-file PATH]

Seeds a synthetic county (bench/seed.py, as bench.coverage does: at county scale 20 towns,
4,000 units, 5,000,000 attendance rows), loads a scheme of 30 items (26 scored from the
report, a deduction, a manual item, a bonus and a veto), a target per town and kind and three
entries per town, then measures as medians of --runs:

- the year's coverage report of the county (`coverage()`), what every auto item reads;
- `score_towns()`: that report plus targets, entries and the arithmetic for every town and item,
  what `lawlearn assess score` and the results page call;

counts the statements one scoring issues, and times the arithmetic alone for 20 towns × 30
items on made-up rows. It prints a ratio line (scoring against the coverage report it reads,
both timed in this process), then, last, a JSON line: {"scale", "towns", "items",
"coverage_ms", "score_ms", "ratio", "score_wall_ms", "arithmetic_ms", "statements",
"arithmetic_20x30_ms"}: milliseconds of this process's CPU (SQLite does its work in this
process, so a shared machine's other load stays out), but score_wall_ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from bench.coverage import bench_app, build, seeded_counties, timed_ms
from bench.seed import YEAR

METRICS = ("sessions", "attendances", "participants", "quiz_attempts", "quiz_participants")


def scheme_document() -> dict:
    items = []
    rules = ([{"kind": "target", "unit_kind": k} for k in ("household", "enterprise_group",
                                                          "building")]
             + [{"kind": "rate", "metric": m, "full_at": 0.8} for m in ("active_rate",
                                                                       "pass_rate")]
             + [{"kind": "per_unit", "metric": m, "full_at": 2} for m in METRICS]
             + [{"kind": "bands", "metric": "pass_rate", "bands": [[0.9, 3], [0.7, 2]]}])
    for n in range(26):
        items.append({"code": f"A{n + 1:02d}", "name": f"自动项目{n + 1}", "points": 3,
                      "rule": rules[n % len(rules)]})
    items += [{"code": "D1", "name": "扣分", "points": 10, "rule": {"kind": "deduction", "per": 2}},
              {"code": "M1", "name": "人工评分", "points": 12, "rule": {"kind": "manual"}},
              {"code": "E1", "name": "加分", "points": 5, "rule": {"kind": "bonus"}},
              {"code": "V1", "name": "否决", "rule": {"kind": "veto"}}]
    return {"year": YEAR, "title": "bench", "grades": [{"name": "合格", "min": 60},
                                                       {"name": "不合格", "min": 0}],
            "items": items}


def prepare(db) -> tuple:
    from lawlearn.assessment.operations import load_scheme, set_entry
    from lawlearn.assessment.scheme import check
    from lawlearn.models import Area, Target

    scheme, _created = load_scheme(check(scheme_document()))
    county = db.session.scalars(sa.select(Area).where(Area.parent_id.is_(None))
                                .order_by(Area.code)).first()
    towns = db.session.scalars(sa.select(Area).where(Area.parent_id == county.id)).all()
    for town in towns:
        for kind in ("household", "enterprise_group", "building"):
            db.session.add(Target(area_id=town.id, year=YEAR, kind=kind, target=60))
        for item, value in (("D1", 1), ("M1", 10), ("E1", 3)):
            set_entry(area=town, year=YEAR, item=item, value=Decimal(value), note=None)
    db.session.commit()
    return scheme, county, len(towns)


def arithmetic_ms(runs: int) -> float:
    """The arithmetic alone for 20 towns × 30 items (county scale) on made-up rows: what
    scoring adds to the coverage report, whatever the size of the tables."""
    from lawlearn.assessment.scoring import rank, town_score

    document = scheme_document()
    rows = [{"code": f"T{t:02d}", "name": "t", "level": "town",
             "units": {"household": 140, "enterprise_group": 30, "building": 30, "total": 200},
             "active_units": 150 + t, "sessions": 10_000 + t, "attendances": 250_000,
             "participants": 10_000, "quiz_attempts": 25_000, "quiz_participants": 9_000,
             "mean_score": 71.3, "pass_rate": 0.7731} for t in range(20)]
    targets = {"household": 60, "enterprise_group": 60, "building": 60}
    entries = {"D1": Decimal(1), "M1": Decimal(10), "E1": Decimal(3)}
    return statistics.median(timed_ms(lambda: rank(
        [town_score(document, r, targets, entries) for r in rows], document["grades"]))[1]
        for _run in range(runs))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=("county", "small"), default="county")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sqlite-file", type=Path,
                        help="seed into this SQLite file and keep it (reused when it exists)")
    args = parser.parse_args(argv)

    from lawlearn.assessment.results import score_towns
    from lawlearn.extensions import db
    from lawlearn.reports.coverage import coverage
    from lawlearn.reports.periods import Period

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{args.sqlite_file or Path(tmp) / 'assessment.sqlite'}"
        with bench_app(url):
            if not (args.sqlite_file and seeded_counties(db) == 1):
                build(db, args.scale, 1, args.seed)
            db.session.execute(sa.text("DELETE FROM assessment_entries"))
            db.session.execute(sa.text("DELETE FROM assessment_schemes"))
            db.session.execute(sa.text("DELETE FROM targets"))
            scheme, county, towns = prepare(db)
            period = Period(*[__import__("datetime").date.fromisoformat(d) for d in
                              (scheme.document["period"]["from"],
                               scheme.document["period"]["to"])])
            # This process's CPU time: on SQLite all the work is here, so it is the cost
            # without the other processes of a shared machine (the wall clock rides along).
            report_ms, score_ms, wall_ms = [], [], []
            for _run in range(args.runs):
                report_ms.append(timed_ms(lambda: coverage(county, period))[1])
                wall, cpu, _result = timed_ms(lambda: score_towns(scheme, county))
                score_ms.append(cpu)
                wall_ms.append(wall)
            statements: list[str] = []
            listen = lambda *a: statements.append(a[2])  # noqa: E731
            sa.event.listen(db.engine, "before_cursor_execute", listen)
            score_towns(scheme, county)
            sa.event.remove(db.engine, "before_cursor_execute", listen)
            line = {"scale": args.scale, "towns": towns, "items": len(scheme.items),
                    "coverage_ms": round(statistics.median(report_ms), 1),
                    "score_ms": round(statistics.median(score_ms), 1),
                    "ratio": round(statistics.median(score_ms) / statistics.median(report_ms),
                                   2),
                    "score_wall_ms": round(statistics.median(wall_ms), 1),
                    "arithmetic_ms": round(statistics.median(score_ms)
                                           - statistics.median(report_ms), 1),
                    "statements": len(statements),
                    "arithmetic_20x30_ms": round(arithmetic_ms(args.runs), 1)}
            db.engine.dispose()
    print(f"assessment: scoring {line['towns']} towns × {line['items']} items takes "
          f"{line['score_ms']} ms = {line['ratio']}× the coverage report it reads "
          f"({line['coverage_ms']} ms, same process); {line['statements']} statements; the "
          f"arithmetic alone for 20 × 30 is {line['arithmetic_20x30_ms']} ms")
    print(json.dumps(line))
    return line


if __name__ == "__main__":
    main()
