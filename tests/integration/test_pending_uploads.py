"""A checked import file waits on the server for "Import now" with everything it holds (phone
numbers included): it goes when the import is cancelled, after an hour, at start and with
`lawlearn purge`."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from lawlearn import create_app
from lawlearn.models import StudyUnit
from tests.conftest import _config, login
from tests.integration.helpers import EN, count, flashes, input_value, location_path, text

HOUR = 3600


@pytest.fixture
def units_file(county) -> bytes:
    village = county["城关镇"]["village"].code
    return ("code,kind,name,area_code,leader_name,leader_phone,reach,registered_on\n"
            f"U-1,household,张家中心户,{village},张三,13900000002,8,2026-01-05\n").encode()


@pytest.fixture
def office(client, make_user):
    login(client, make_user("admin"))
    return client


def uploads(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def preview(client, data: bytes) -> str:
    response = client.post("/imports/units", headers=EN, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "units.csv")})
    assert response.status_code == 200, text(response)[:2000]
    return input_value(text(response), "token")


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_cancelling_deletes_the_uploaded_file_at_once(app, office, units_file):
    token = preview(office, units_file)
    assert len(uploads(app)) == 1
    cancelled = office.post("/imports/units/cancel", data={"token": token}, headers=EN,
                            follow_redirects=True)
    assert "Import cancelled; the uploaded file is deleted." in flashes(text(cancelled))
    assert uploads(app) == []
    late = office.post("/imports/units/confirm", data={"token": token})
    assert location_path(late) == "/imports/units"
    assert count(app, StudyUnit) == 0


def test_a_file_left_for_over_an_hour_is_gone_and_imports_nothing(app, office, units_file):
    token = preview(office, units_file)
    (waiting,) = uploads(app)
    age(waiting, HOUR + 60)
    late = office.post("/imports/units/confirm", data={"token": token}, headers=EN,
                       follow_redirects=True)
    assert "That upload has expired. Please upload the file again." in flashes(text(late))
    assert uploads(app) == []
    assert count(app, StudyUnit) == 0


def test_a_file_confirmed_within_the_hour_imports_and_is_deleted(app, office, units_file):
    token = preview(office, units_file)
    (waiting,) = uploads(app)
    age(waiting, HOUR - 120)
    assert office.post("/imports/units/confirm", data={"token": token}).status_code == 302
    assert count(app, StudyUnit) == 1
    assert uploads(app) == []


def _leave_files(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stale, fresh = folder / f"{'s' * 22}.csv", folder / f"{'f' * 22}.csv"
    for path in (stale, fresh):
        path.write_text("mobile\n13900000002\n")
    age(stale, HOUR + 60)
    return stale, fresh


def test_starting_the_app_sweeps_stale_pending_files(database_url, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    stale, fresh = _leave_files(instance / "uploads")
    monkeypatch.setenv("LAWLEARN_INSTANCE_PATH", str(instance))
    create_app(_config(database_url, instance))
    assert not stale.exists() and fresh.exists()


def test_purge_sweeps_stale_pending_files(app, runner):
    stale, fresh = _leave_files(Path(app.instance_path) / "uploads")
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Pending import files: 1 deleted." in result.output
    assert not stale.exists() and fresh.exists()
