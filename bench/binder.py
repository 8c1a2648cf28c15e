"""An evidence binder (台账) of a 4,000-unit town: how long it takes to build, how big it is,
and what a request costs meanwhile.

    python -m bench.binder [--db URL] [--units 4000] [--sessions 3] [--attendees 10]
                           [--photo-share 0.5] [--keep DIR]

Seeds one town (200 villages of 20 units by default) with a quarter's study sessions
(`--sessions` per unit), attendance, quiz results and photos (small generated JPEGs, hard
links of a few distinct pictures so the disk holds them once), with bulk statements (the
application's tables, bench/seed.py's writer), then rebuilds the report's summaries as
`lawlearn report rebuild` does. Then it measures, in this process:

- the build of the whole town's binder for the quarter, as `lawlearn binder work` runs it
  (jobs.build), with its number of SQL statements;
- `GET /healthz`, median of 50, idle; and again while a second build of the same binder runs
  in a background thread, as BINDER_RUNNER=thread does in a web process.

Prints one JSON line: {"units", "sessions", "attendance_rows", "photos", "build_s",
"build_cpu_s" (this process's CPU time: on a shared machine the wall time mostly measures the
neighbours), "zip_mb", "statements", "healthz_ms", "healthz_during_build_ms", "ratio"} (ratio: build time
over one idle /healthz). No assertion: a benchmark reports.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.seed import bulk_insert, ids_by

QUARTER = (date(2026, 1, 1), date(2026, 3, 31))
TODAY = datetime(2026, 4, 15, 2, tzinfo=UTC)


def _pictures(folder: Path, n: int = 12) -> list[tuple[Path, Path, int]]:
    """A few distinct generated JPEGs (smaller than a phone picture after the app's
    re-encoding) and their thumbnails."""
    from PIL import Image

    found = []
    for i in range(n):
        # A fractal compresses like a picture (edges and smooth parts), noise would not.
        picture = Image.effect_mandelbrot((1024, 768), (-2.0 + i * 0.05, -1.1, 0.8, 1.1),
                                          100).convert("RGB")
        full, thumb = folder / f"template-{i}.jpg", folder / f"template-{i}-thumb.jpg"
        picture.save(full, "JPEG", quality=80)
        picture.thumbnail((320, 320))
        picture.save(thumb, "JPEG", quality=80)
        found.append((full, thumb, full.stat().st_size))
    return found


def seed(conn, units: int, sessions: int, attendees: int, photo_share: float,
         photo_dir: Path, rng: random.Random) -> dict:
    now = TODAY
    bulk_insert(conn, "areas", ("code", "name", "level", "parent_id", "path", "active"),
                [("990001", "示范县", "county", None, "/990001/", True)])
    county = ids_by(conn, "SELECT code, id FROM areas")["990001"]
    bulk_insert(conn, "areas", ("code", "name", "level", "parent_id", "path", "active"),
                [("990001001", "示范镇", "town", county, "/990001/990001001/", True)])
    town = ids_by(conn, "SELECT code, id FROM areas WHERE level = 'town'")["990001001"]
    villages = units // 20
    bulk_insert(conn, "areas", ("code", "name", "level", "parent_id", "path", "active"),
                [(f"990001001{v:03d}", f"第{v}村", "village", town,
                  f"/990001/990001001/990001001{v:03d}/", True) for v in range(villages)])
    village_ids = list(ids_by(conn, "SELECT code, id FROM areas WHERE level = 'village' "
                                    "ORDER BY code").values())
    bulk_insert(conn, "study_units", ("code", "kind", "name", "area_id", "leader_name",
                                      "leader_phone", "reach", "registered_on", "status",
                                      "created_at"),
                [(f"U{u:05d}", "household", f"第{u}中心户", village_ids[u % villages], "王老师",
                  "13900000000", 10, date(2025, 6, 1), "active", now) for u in range(units)])
    unit_ids = list(ids_by(conn, "SELECT code, id FROM study_units ORDER BY code").values())
    bulk_insert(conn, "people", ("name", "phone_hash", "phone_masked", "home_unit_id",
                                 "created_at"),
                [(f"村民{u}-{p}", secrets.token_hex(32), "139****0000", unit_ids[u], now)
                 for u in range(units) for p in range(attendees)])
    people = conn.exec_driver_sql("SELECT home_unit_id, id FROM people ORDER BY id").all()
    members: dict[int, list[int]] = {}
    for unit_id, person_id in people:
        members.setdefault(unit_id, []).append(person_id)
    days = (QUARTER[1] - QUARTER[0]).days
    rows = []
    for u, unit_id in enumerate(unit_ids):
        for s in range(sessions):
            rows.append((f"S{u:05d}-{s}", unit_id, QUARTER[0] + timedelta(rng.randrange(days)),
                         "group_study", "张老师", 60, secrets.token_urlsafe(16), attendees,
                         now, now))
    bulk_insert(conn, "study_sessions", ("code", "unit_id", "held_on", "format", "lecturer",
                                         "duration_minutes", "checkin_token", "attended_count",
                                         "created_at", "updated_at"), rows)
    session_rows = conn.exec_driver_sql("SELECT id, unit_id FROM study_sessions").all()
    bulk_insert(conn, "session_topics", ("session_id", "topic"),
                [(sid, "civil-code") for sid, _u in session_rows])
    bulk_insert(conn, "attendance", ("session_id", "person_id", "status", "method",
                                     "recorded_at"),
                [(sid, pid, "present", "roster", now) for sid, uid in session_rows
                 for pid in members[uid]])
    pictures = _pictures(photo_dir)
    photo_rows = []
    for n, (sid, _uid) in enumerate(session_rows):
        if rng.random() < photo_share:
            full, thumb, size = pictures[n % len(pictures)]
            name = secrets.token_hex(16)
            os.link(full, photo_dir / f"{name}.jpg")
            os.link(thumb, photo_dir / f"{name}-thumb.jpg")
            photo_rows.append((sid, f"{name}.jpg", f"{name}-thumb.jpg", "image/jpeg", 800, 600,
                               size, now))
    bulk_insert(conn, "session_photos", ("session_id", "filename", "thumbnail", "content_type",
                                         "width", "height", "size_bytes", "uploaded_at"),
                photo_rows)
    return {"units": units, "sessions": len(session_rows), "attendance_rows": len(people) *
            sessions, "photos": len(photo_rows)}


def _healthz_ms(client, runs: int = 50) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get("/healthz").status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _new_job(db, jobs, claimed: bool = True) -> int:
    from lawlearn.models import Area

    town = db.session.scalar(sa.select(Area).where(Area.level == "town"))
    job = jobs.request_binder(town, None, *QUARTER, actor=None, locale="zh_Hans")
    db.session.commit()
    if claimed:   # else the thread claims it, as in a web process
        assert jobs.claim(job.id)
    return job.id


def measure(app, counts: dict) -> dict:
    from lawlearn.binders import jobs
    from lawlearn.extensions import db
    from lawlearn.models import BinderJob

    client = app.test_client()
    healthz = _healthz_ms(client)
    statements: list[str] = []
    with app.app_context():
        job_id = _new_job(db, jobs)
        def record(*event):
            statements.append(event[2])

        sa.event.listen(db.engine, "before_cursor_execute", record)
        start, cpu = time.perf_counter(), time.process_time()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx("jobs.build(job_id)", globals(), locals(), sort="cumulative")
        else:
            jobs.build(job_id)
        build_s, build_cpu_s = time.perf_counter() - start, time.process_time() - cpu
        sa.event.remove(db.engine, "before_cursor_execute", record)
        job = db.session.get(BinderJob, job_id)
        assert job.status == "done", job.error
        size = job.size_bytes
        second = _new_job(db, jobs, claimed=False)
        thread = jobs.start_thread(second)
    during = []
    while thread.is_alive():
        during.append(_healthz_ms(client, 5))
    thread.join()
    return {**counts, "build_s": round(build_s, 2), "build_cpu_s": round(build_cpu_s, 2), "zip_mb": round(size / 2**20, 1),
            "statements": len(statements), "healthz_ms": round(healthz, 2),
            "healthz_during_build_ms": round(statistics.median(during), 2) if during else None,
            "ratio": round(build_s * 1000 / healthz)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file); its "
                        "tables are dropped and recreated")
    parser.add_argument("--units", type=int, default=4000)
    parser.add_argument("--sessions", type=int, default=3, help="per unit in the quarter")
    parser.add_argument("--attendees", type=int, default=10, help="per session")
    parser.add_argument("--photo-share", type=float, default=0.5,
                        help="share of sessions with a photo")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    from lawlearn import clock, create_app
    from lawlearn.extensions import db
    from lawlearn.ledger import rebuild

    clock._system_now = lambda: TODAY  # the quarter is over, whatever the real date
    with tempfile.TemporaryDirectory(prefix="lawlearn-binder-") as scratch:
        instance = Path(scratch) / "instance"
        url = args.db or f"sqlite:///{Path(scratch) / 'bench.sqlite'}"
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                          "BINDER_RUNNER": "worker"})
        app.instance_path = str(instance)
        with app.app_context():
            db.drop_all()
            db.create_all()
            photos = instance / "photos"
            photos.mkdir(parents=True)
            start = time.perf_counter()
            with db.engine.begin() as conn:
                counts = seed(conn, args.units, args.sessions, args.attendees,
                              args.photo_share, photos, random.Random(args.seed))
            rebuild(db.session)
            db.session.commit()
            print(f"seeded in {time.perf_counter() - start:.1f} s: {counts}", flush=True)
        result = measure(app, counts)
        with app.app_context():
            if args.db:
                db.drop_all()
            db.engine.dispose()
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
