"""The benchmarks still run and still check exactness (at a tiny scale; `make bench` runs the
real one)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_coverage_benchmark_is_exact_at_small_scale():
    line = run("bench.coverage", "--scale", "small", "--runs", "1")
    assert line["exact"] is True
    assert set(line) == {"scale", "attendance_rows", "report_ms", "scan_ms", "ratio", "exact",
                         "seed_s"}


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
