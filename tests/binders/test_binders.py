"""Evidence binders: asking for one, the job's life, the archive's contents and layout, the
index against the coverage report, privacy, scoping and the A4 summary."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import AuditEvent, BinderJob
from tests.binders.conftest import MOBILES, archive, ask, build_queued, job, job_id_of


def test_asking_queues_a_job_and_shows_its_progress_page(app, world, as_user):
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    found = job(app, job_id)
    assert (found.status, found.period_start, found.period_end) == (
        "queued", date(2026, 3, 1), date(2026, 4, 30))
    page = client.get(f"/binders/{job_id}").get_data(as_text=True)
    assert "<progress" in page and f'href="/binders/{job_id}"' in page   # the reload link
    assert f"/binders/{job_id}/download" not in page
    assert client.get(f"/binders/{job_id}/download").status_code == 404  # not built yet
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.object_type == "binder_jobs", AuditEvent.action == "request_binder")) == 1


def test_the_worker_builds_it_and_the_page_offers_the_download(app, world, as_user, runner):
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    result = runner.invoke(args=["binder", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 binder(s) built" in result.output
    found = job(app, job_id)
    assert found.status == "done" and found.size_bytes > 0
    assert found.progress_done == found.progress_total == 3 + 2   # 3 sessions, index, summary
    page = client.get(f"/binders/{job_id}").get_data(as_text=True)
    assert f"/binders/{job_id}/download" in page and f"/binders/{job_id}/print" in page
    response = client.get(f"/binders/{job_id}/download")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert len(response.data) == found.size_bytes
    response.close()
    assert not list((Path(app.instance_path) / "binders").glob("*.part"))


def test_a_failed_build_says_why(app, world, as_user, monkeypatch):
    from lawlearn.binders import jobs

    def broken(*_args, **_kw):
        raise OSError("disk full")

    monkeypatch.setattr(jobs, "write_binder", broken)
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    build_queued(app)
    found = job(app, job_id)
    # The page says it failed in a sentence; the exception itself (a path, SQL) stays in the log.
    assert found.status == "failed" and "disk full" not in found.error
    page = client.get(f"/binders/{job_id}").get_data(as_text=True)
    assert f"台账未能生成（第 {job_id} 号）" in page and "disk full" not in page
    assert client.get(f"/binders/{job_id}/download").status_code == 404


def test_folders_by_month_and_unit(app, world, as_user):
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    build_queued(app)
    names = archive(client, job_id).namelist()
    zhang = f"{world.zhang.code} {world.zhang.name}"
    building = f"{world.building.code} {world.building.name}"
    top = sorted(n for n in names if "/" not in n)
    assert top == ["汇总.html", "索引.xlsx"]   # in the requester's language
    assert f"2026-03/{zhang}/ZJ-0310 签到表.html" in names
    assert f"2026-03/{zhang}/缩略图/ZJ-0310 照片 1.jpg" in names
    march = [n for n in names if n.startswith(f"2026-03/{zhang}/")]
    assert sum(n.endswith(".html") and "ZJ-0310" in n for n in march) == 1   # sign-in sheet
    photos = [n for n in march if n.endswith(".jpg")]
    assert len(photos) == 4 and sum(n.count("/") == 3 for n in photos) == 2   # + thumbnails
    assert any(n.startswith(f"2026-04/{zhang}/") and "ZJ-0402" in n for n in names)
    assert any(n.startswith(f"2026-03/{building}/") and "XF-0315" in n for n in names)
    assert not any("ZJ-0520" in n or "LJ-0312" in n or "青山" in n for n in names)


def test_a_unit_binder_holds_that_unit_only(app, world, as_user):
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg, unit_code=world.building.code))
    build_queued(app)
    names = archive(client, job_id).namelist()
    assert any("XF-0315" in n for n in names) and not any("ZJ-" in n for n in names)


def _sheet(book, index):
    return list(book.worksheets[index].iter_rows(min_row=2, values_only=True))


def test_the_index_workbook_equals_the_coverage_report(app, world, as_user):
    from lawlearn.models import Area
    from lawlearn.reports.coverage import coverage
    from lawlearn.reports.periods import Period

    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    build_queued(app)
    zf = archive(client, job_id)
    book = load_workbook(io.BytesIO(zf.read(next(n for n in zf.namelist()
                                                 if n.endswith(".xlsx")))))
    assert len(book.worksheets) == 5
    with app.app_context():
        total = coverage(db.session.get(Area, world.cg.id),
                         Period(date(2026, 3, 1), date(2026, 4, 30)))["total"]
    sessions, attendance, quizzes = _sheet(book, 0), _sheet(book, 1), _sheet(book, 2)
    assert len(sessions) == total["sessions"] == 3
    assert sum(r[9] for r in sessions) == sum(r[-1] for r in attendance) \
        == total["attendances"] == 3
    assert sum(r[3] for r in quizzes) == total["quiz_attempts"] == 3
    mean = sum(r[3] * r[5] for r in quizzes) / sum(r[3] for r in quizzes)
    assert round(mean, 2) == total["mean_score"]
    march = next(r for r in attendance if r[0] == "ZJ-0310")
    assert march[3:] == (1, 1, 0, 1, 2)   # present, late, excused, absent, attended


def test_no_full_mobile_number_anywhere_in_the_archive(app, world, as_user):
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    build_queued(app)
    zf = archive(client, job_id)
    blobs = [zf.read(n) for n in zf.namelist()]
    for name in zf.namelist():
        if name.endswith(".xlsx"):
            inner = zipfile.ZipFile(io.BytesIO(zf.read(name)))
            blobs += [inner.read(n) for n in inner.namelist()]
    everything = b"\n".join(blobs)
    for mobile in MOBILES:
        assert mobile.encode() not in everything
    assert b"139****0021" in everything   # the masked form is what the sheet shows


def test_the_a4_summary_renders_the_report_figures(app, world, as_user):
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    response = client.get(f"/binders/{job_id}/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "binders.css" in page and world.zhang.name in page and "2026-03" in page
    build_queued(app)
    zf = archive(client, job_id)
    summary = zf.read(next(n for n in zf.namelist() if n.endswith(".html") and "/" not in n))
    assert world.zhang.name.encode() in summary and b"@page" in summary


def test_a_coordinator_cannot_ask_for_another_towns_binder(app, world, as_user):
    client = as_user(world.coordinator)
    assert ask(client, world.qs).status_code == 400
    response = ask(client, world.cg, unit_code=world.theirs.code)
    assert response.status_code == 400
    assert world.theirs.code in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BinderJob)) == 0


@pytest.mark.parametrize("start, end", [("2026-05", "2026-03"), ("2026-13", "2026-03"),
                                        ("2026-03", "2027-01"), ("march", "2026-03"),
                                        ("2024-01", "2026-03")])
def test_a_period_that_makes_no_sense_is_refused_in_place(app, world, as_user, start, end):
    response = ask(as_user(world.coordinator), world.cg, start=start, end=end)
    assert response.status_code == 400
    assert f'value="{start}"' in response.get_data(as_text=True)   # kept as typed


def test_the_list_shows_only_the_users_towns_binders(app, world, as_user):
    job_id_of(ask(as_user(world.coordinator), world.cg))
    job_id_of(ask(as_user(world.their_coordinator), world.qs))
    page = as_user(world.coordinator).get("/binders/").get_data(as_text=True)
    assert world.cg.name in page and "青山镇</a>" not in page
    office = as_user(world.admin).get("/binders/").get_data(as_text=True)
    assert office.count('href="/binders/') >= 2


def test_purge_deletes_old_binders_and_fails_dead_builds(app, world, as_user, runner):
    client = as_user(world.coordinator)
    old = job_id_of(ask(client, world.cg))
    build_queued(app)
    stuck = job_id_of(ask(client, world.cg, start="2026-03", end="2026-03"))
    build_queued(app)
    with app.app_context():
        from lawlearn.binders.archive import binder_folder

        path = binder_folder() / db.session.get(BinderJob, old).file_name
        assert path.is_file()
        db.session.get(BinderJob, old).finished_at = clock.utcnow() - timedelta(days=8)
        found = db.session.get(BinderJob, stuck)
        found.status, found.started_at = "running", clock.utcnow() - timedelta(hours=7)
        db.session.commit()
    result = runner.invoke(args=["binder", "purge"])
    assert result.exit_code == 0 and "1 old binder(s) deleted" in result.output
    assert not path.exists()
    found = job(app, stuck)
    assert found.status == "failed" and "Interrupted" in found.error
    with app.app_context():
        assert db.session.get(BinderJob, old) is None


def test_a_job_is_claimed_once(app, world, as_user):
    from lawlearn.binders import jobs

    job_id = job_id_of(ask(as_user(world.coordinator), world.cg))
    with app.app_context():
        assert jobs.claim(job_id) is True
        assert jobs.claim(job_id) is False
        assert jobs.claim_next() is None


def _town_with_units(app, make_area, make_unit, county, n: int):
    from tests.binders.conftest import log

    town = make_area("town", parent=county["county"], name=f"镇{n}")
    village = make_area("village", parent=town)
    for i in range(n):
        unit = make_unit(village)
        log(app, unit, date(2026, 3, 1 + i % 28), f"T{n}-{i}", photos=1 if i < 2 else 0)
    return town


def test_the_build_costs_the_same_statements_for_5_units_as_for_50(
        app, county, make_area, make_unit, fixed_today):
    from lawlearn.binders import jobs
    from lawlearn.models import Area
    from tests.conftest import recorded_queries

    counts = []
    for n in (5, 50):
        town = _town_with_units(app, make_area, make_unit, county, n)
        with app.app_context():
            found = jobs.request_binder(db.session.get(Area, town.id), None, date(2026, 3, 1),
                                        date(2026, 3, 31), actor=None, locale="zh_Hans")
            db.session.commit()
            job_id = found.id
            assert jobs.claim(job_id)
        with recorded_queries(app) as statements, app.app_context():
            jobs.build(job_id)
        assert job(app, job_id).status == "done"
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_web_process_builds_it_in_a_thread_by_default(database_url, tmp_path):
    """BINDER_RUNNER=thread: the request returns at once, a thread of the same process builds
    the binder with its own session, and the page then offers it."""
    import time

    from tests.conftest import login, running_app

    with running_app(database_url, tmp_path / "threaded", BINDER_RUNNER="thread") as app:
        with app.app_context():
            from lawlearn.areas.operations import create_area
            from lawlearn.auth.operations import create_user

            c = create_area(code="330100", name="示范县", level="county", parent=None)
            town = create_area(code="330101", name="城关镇", level="town", parent=c)
            create_user(username="coord", password="correct horse battery",
                        role="coordinator", area=town, units=[])
            db.session.commit()
            town_id = town.id
        client = app.test_client()
        login(client, "coord")
        response = client.post("/binders/", data={"town": town_id, "start": "2026-01",
                                                  "end": "2026-03"})
        job_id = job_id_of(response)
        for _ in range(200):
            if job(app, job_id).status in ("done", "failed"):
                break
            time.sleep(0.05)
        found = job(app, job_id)
        assert found.status == "done", found.error
        assert "/download" in client.get(f"/binders/{job_id}").get_data(as_text=True)


def test_while_it_builds_the_job_is_running_and_its_progress_grows(app, world, as_user,
                                                                   monkeypatch):
    from lawlearn.binders import jobs

    seen = []
    record = jobs._record_progress

    def watch(job_id, done, total):
        record(job_id, done, total)
        with app.app_context():
            found = db.session.get(BinderJob, job_id)
            seen.append((found.status, found.progress_done, found.progress_total))

    monkeypatch.setattr(jobs, "_record_progress", watch)
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    build_queued(app)
    assert {status for status, *_ in seen} == {"running"}
    assert [done for _s, done, _t in seen] == sorted(done for _s, done, _t in seen)
    assert seen[0][1] == 0 and seen[-1][1] == seen[-1][2] == 5
    assert job(app, job_id).status == "done"


def test_a_binder_asked_for_in_english_is_written_in_english(app, world, as_user):
    client = as_user(world.coordinator)
    client.get("/lang/en")
    job_id = job_id_of(ask(client, world.cg))
    assert job(app, job_id).locale == "en"
    build_queued(app)
    names = archive(client, job_id).namelist()
    assert "Index.xlsx" in names and "Summary.html" in names
    zhang = f"{world.zhang.code} {world.zhang.name}"
    assert f"2026-03/{zhang}/ZJ-0310 Sign-in sheet.html" in names
    assert f"2026-03/{zhang}/Thumbnails/ZJ-0310 Photo 1.jpg" in names


def test_asking_twice_joins_the_binder_being_built_and_one_at_a_time_per_user(app, world,
                                                                           as_user):
    """A double tap or a reload must not start the same build twice, and one user cannot queue
    up a server's worth of builds: each binder is minutes of work."""
    client = as_user(world.coordinator)
    first = job_id_of(ask(client, world.cg))
    again = ask(client, world.cg)
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/binders/{first}")
    other = ask(client, world.cg, start="2026-02", end="2026-02")
    assert other.status_code == 429
    assert "上一份台账还在生成" in other.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BinderJob)) == 1
    build_queued(app)
    assert ask(client, world.cg, start="2026-02", end="2026-02").status_code == 302


def test_downloading_a_binder_is_audited(app, world, as_user):
    client = as_user(world.coordinator)
    job_id = job_id_of(ask(client, world.cg))
    build_queued(app)
    client.get(f"/binders/{job_id}/download").close()
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.object_type) == ("export", "binder_jobs")
