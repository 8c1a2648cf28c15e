"""The benchmarks still run and still check exactness (at a tiny scale; `make bench` runs the
real one)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from lawlearn.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_coverage_benchmark_is_exact_for_two_small_counties():
    line = run("bench.coverage", "--scale", "small", "--counties", "2", "--runs", "1")
    assert line["exact"] is True
    assert line["counties"] == 2 and line["database"] == "sqlite"
    assert set(line) == {"scale", "database", "counties", "attendance_rows", "report_ms",
                         "scan_ms", "ratio", "drilldown_ms", "drilldown_ratio", "cpu_ratio",
                         "exact", "seed_s"}


def test_the_seed_reads_ids_back_instead_of_assuming_them(app):
    """A database whose ids do not start at 1 (PostgreSQL: every sequence moved on) still
    takes the seed, and the reports over it equal a recount, for several counties."""
    from bench.coverage import measure
    from bench.seed import SMALL, seed
    from lawlearn.ledger import rebuild

    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                for offset, table in enumerate(("areas", "study_units", "people",
                                                "study_sessions", "attendance", "quizzes",
                                                "attempts")):
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                         f"'id'), {1000 * (offset + 1) + 7})")
            counts = seed(conn, SMALL, 2, random.Random(1))
        rebuild(db.session)
        db.session.commit()
        assert counts["units"] == 40 and counts["attendance"] > 0
        assert db.session.scalar(sa.text(
            "SELECT count(*) FROM areas WHERE parent_id IS NULL")) == 2
        figures = measure(db, counties=2, runs=1)
        assert figures["exact"] is True
        assert figures["attendance_rows"] == counts["attendance"]


def test_the_import_benchmark_runs():
    line = run("bench.imports", "--rows", "300", "--runs", "1")
    assert line["rows"] == 300 and line["ratio"] > 0


def test_the_concurrency_benchmark_stores_every_write():
    """A few phones against gunicorn's four workers on SQLite: no error, every acknowledged
    write stored, the live report equal to a rebuild."""
    line = run("bench.concurrency", "--county", "small", "--people", "12", "--clients", "4")
    assert line["db"] == "sqlite" and line["workers"] == 4
    assert line["writes"] >= 12 and line["errors"] == {}
    assert line["stored"] is True and line["report_equals_rebuild"] is True


def test_the_assessment_benchmark_scores_every_town_in_constant_statements():
    line = run("bench.assessment", "--scale", "small", "--runs", "1")
    assert (line["towns"], line["items"]) == (2, 30)
    assert line["statements"] <= 8


def test_the_write_path_benchmark_counts_the_same_statements_at_both_scales():
    line = run("bench.write_path", "--county-scale", "small", "--rounds", "1",
               "--per-round", "3")
    assert set(line["writes"]) == {"check-in", "quiz start", "quiz submit"}
    for write, figures in line["writes"].items():
        assert figures["same_statements"] is True, write
        assert figures["demo"]["statements"] == figures["county"]["statements"]


def test_the_http_load_benchmark_serves_every_request_without_an_error():
    line = run("bench.http_load", "--workers", "2", "--rounds", "1", "--clients", "2",
               "--share", "0.05", "--db", "")
    [sqlite] = line["results"]
    figures = sqlite["workers"]["2"]
    assert figures["errors"] == {}
    assert set(figures["ratios"]) == {"healthz", "quiz submit", "check-in", "quiz flow",
                                      "coverage"}


def test_the_binder_benchmark_builds_a_small_town():
    line = run("bench.binder", "--units", "40", "--sessions", "2", "--attendees", "3")
    assert line["units"] == 40 and line["sessions"] == 80 and line["zip_mb"] > 0
    assert line["healthz_during_build_ms"] is None or line["healthz_during_build_ms"] > 0
