"""`lawlearn backup DIR` then `lawlearn restore DIR`: after anything at all has happened in
between, every report figure and every photo is back as it was."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import StudySession, StudyUnit
from tests.sessions.conftest import image_bytes, session_row

REPORT = ["report", "coverage", "--area", "330100", "--from", "2026-01-01", "--to", "2026-12-31",
          "--format", "json"]


@pytest.fixture(autouse=True)
def tools(database_url):
    if database_url.startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")


def report(runner) -> dict:
    result = runner.invoke(args=REPORT)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def photo_files(app) -> dict[str, bytes]:
    folder = Path(app.instance_path) / "photos"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def busy_county(app, world, make_session):
    """Sessions in both towns, QR check-ins, and a photo."""
    from lawlearn.sessions import photos
    from lawlearn.sessions.operations import add_photos, check_in

    mine = make_session(world.mine)
    theirs = make_session(world.theirs)
    with app.test_request_context():
        for sid, people in ((mine, 3), (theirs, 2)):
            study = db.session.get(StudySession, sid)
            for i in range(people):
                check_in(study, name=f"村民{sid}-{i}", mobile=f"1390000{sid:02d}{i:02d}")
        add_photos(db.session.get(StudySession, mine), [photos.prepare(io.BytesIO(image_bytes()))])
        db.session.commit()
    return {"mine": mine, "theirs": theirs}


def test_a_backup_restores_every_report_figure_and_photo(app, runner, world, busy_county,
                                                        tmp_path, make_session):
    before, pictures = report(runner), photo_files(app)
    assert before["total"]["attendances"] == 5 and len(pictures) == 2  # a photo and its thumbnail

    saved = tmp_path / "backup-1"
    result = runner.invoke(args=["backup", str(saved)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((saved / "manifest.json").read_text())
    assert manifest["photos"] == 2 and manifest["revision"]

    # Life goes on: a session deleted, another logged, the photos lost.
    from lawlearn.sessions.operations import delete_session

    with app.test_request_context():
        delete_session(db.session.get(StudySession, busy_county["mine"]))
        db.session.commit()
    make_session(world.neighbour)
    shutil.rmtree(Path(app.instance_path) / "photos")
    assert report(runner) != before

    result = runner.invoke(args=["restore", str(saved), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
    assert report(runner) == before
    assert photo_files(app) == pictures
    assert session_row(app, busy_county["mine"]) is not None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyUnit)) == 3


def test_a_backup_goes_into_a_new_folder_only(app, runner, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "something").write_text("keep me")
    result = runner.invoke(args=["backup", str(taken)])
    assert result.exit_code == 1 and "not empty" in result.output
    assert (taken / "something").read_text() == "keep me"


def test_restore_refuses_a_folder_that_is_not_a_backup(app, runner, tmp_path, world):
    result = runner.invoke(args=["restore", str(tmp_path), "--yes"])
    assert result.exit_code == 1 and "no lawlearn backup" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyUnit)) == 3


def test_restore_asks_first(app, runner, tmp_path, world):
    saved = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(saved)]).exit_code == 0
    result = runner.invoke(args=["restore", str(saved)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
