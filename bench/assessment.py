"""Scoring every town against a 30-item scheme, against the coverage report it reads.

    python -m bench.assessment [--scale county|small] [--runs N] [--sqlite-file PATH]

Seeds a synthetic county (bench/seed.py, as bench.coverage does: at county scale 20 towns,
4,000 units, 5,000,000 attendance rows), loads a scheme of 30 items (26 scored from the
report, a deduction, a manual item, a bonus and a veto), a target per town and kind and three
entries per town, then measures as medians of --runs:

- the year's coverage report of the county (`coverage()`), what every auto item reads;
- `score_towns()`: that report plus targets, entries and the arithmetic for every town and item,
  what `lawlearn assess score` and the results page call;

and counts the statements one scoring issues. The last line is JSON: {"scale", "towns",
"items", "coverage_ms", "score_ms", "arithmetic_ms", "statements"}.
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
            report_ms, score_ms = [], []
            for _run in range(args.runs):
                report_ms.append(timed_ms(lambda: coverage(county, period))[0])
                score_ms.append(timed_ms(lambda: score_towns(scheme, county))[0])
            statements: list[str] = []
            listen = lambda *a: statements.append(a[2])  # noqa: E731
            sa.event.listen(db.engine, "before_cursor_execute", listen)
            score_towns(scheme, county)
            sa.event.remove(db.engine, "before_cursor_execute", listen)
            line = {"scale": args.scale, "towns": towns, "items": len(scheme.items),
                    "coverage_ms": round(statistics.median(report_ms), 1),
                    "score_ms": round(statistics.median(score_ms), 1),
                    "arithmetic_ms": round(statistics.median(score_ms)
                                           - statistics.median(report_ms), 1),
                    "statements": len(statements)}
            db.engine.dispose()
    print(json.dumps(line))
    return line


if __name__ == "__main__":
    main()
