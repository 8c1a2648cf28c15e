"""An office backs up the database and the photos, something goes wrong, and it restores the
backup: every figure of the coverage report is what it was, and so are the photos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def county_with_history(county, make_area, make_unit, runner, tmp_path):
    villages = [county["城关镇"]["village"], county["青山镇"]["village"]]
    units = [make_unit(v, code=f"H{i}") for i, v in enumerate(villages)]
    sessions = tmp_path / "sessions.csv"
    sessions.write_text("code,unit_code,held_on,format,topics,lecturer,duration_minutes\n" + "".join(
        f"S{i},{u.code},2026-0{i + 3}-1{i},lecture,civil-code,张律师,60\n" for i, u in enumerate(units)),
        encoding="utf-8")
    attendance = tmp_path / "attendance.csv"
    attendance.write_text("session_code,name,phone,status\n" + "".join(
        f"S{i},村民{j},1380000{j:04d},present\n" for i in range(2) for j in range(i + 2)),
        encoding="utf-8")
    for kind, path in (("sessions", sessions), ("attendance", attendance)):
        result = runner.invoke(args=["import", kind, str(path)])
        assert result.exit_code == 0, result.output
    return units


def coverage(runner) -> dict:
    result = runner.invoke(args=["report", "coverage", "--area", "330100",
                                 "--from", "2026-01-01", "--to", "2026-06-30"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_backup_restores_every_report_figure_and_the_photos(app, runner, county_with_history,
                                                             tmp_path):
    photo = Path(app.instance_path) / "photos" / "2026" / "s0.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"jpeg bytes")
    before = coverage(runner)
    folder = tmp_path / "backup-1"

    result = runner.invoke(args=["backup", str(folder)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["study_sessions"] == 2 and manifest["counts"]["attendance"] == 5
    assert manifest["photos"] == 1

    # Later: a wrong import and a lost photo.
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("code,unit_code,held_on,format,topics,lecturer,duration_minutes\n"
                     "W1,H0,2026-04-01,lecture,civil-code,张律师,60\n", encoding="utf-8")
    assert runner.invoke(args=["import", "sessions", str(wrong)]).exit_code == 0
    photo.unlink()
    assert coverage(runner) != before

    refused = runner.invoke(args=["restore", str(folder)])
    assert refused.exit_code != 0 and "--replace" in refused.output

    result = runner.invoke(args=["restore", str(folder), "--replace"])
    assert result.exit_code == 0, result.output
    assert coverage(runner) == before
    assert photo.read_bytes() == b"jpeg bytes"


def test_a_backup_needs_a_new_folder_and_a_restore_a_backup(app, runner, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "something").write_text("x")
    result = runner.invoke(args=["backup", str(used)])
    assert result.exit_code != 0 and "not empty" in result.output
    result = runner.invoke(args=["restore", str(tmp_path)])
    assert result.exit_code != 0 and "no lawlearn backup" in result.output
    assert "Traceback" not in result.output
