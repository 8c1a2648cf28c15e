"""A county whose town 城关镇 has two units with sessions in March and April 2026 (attendance
with full mobiles typed in, photos, quiz results), and 青山镇 with one unit and a session, for
the evidence binder stories."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attempt, BinderJob, Quiz, StudySession, StudyUnit
from tests.conftest import login

MOBILES = ("13900000021", "13900000023", "13900000031")


def jpeg(colour="red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return out.getvalue()


def log(app, unit, held_on, code, photos=0, marks=(), topics=("civil-code",)) -> int:
    from lawlearn.sessions import photos as photo_files
    from lawlearn.sessions.operations import log_session, mark_roster

    with app.test_request_context():
        prepared = [photo_files.prepare(io.BytesIO(jpeg())) for _ in range(photos)]
        session = log_session(db.session.get(StudyUnit, unit.id), held_on=held_on, code=code,
                              topics=list(topics), format="lecture", lecturer="张老师",
                              duration_minutes=60, notes=None, prepared_photos=prepared)
        db.session.flush()
        if marks:
            mark_roster(session, [(pid, None, status) for pid, status in marks], [])
        db.session.commit()
        return session.id


def attempt(app, quiz_id, person_id, unit, score, taken_on, session_id=None) -> None:
    with app.app_context():
        db.session.add(Attempt(quiz_id=quiz_id, person_id=person_id, unit_id=unit.id,
                               session_id=session_id, method="paper", taken_on=taken_on,
                               score=score, passed=score >= 60))
        db.session.commit()


@pytest.fixture
def world(app, county, make_unit, make_user, fixed_today):
    from lawlearn.units.operations import add_member

    cg, qs = county["城关镇"], county["青山镇"]
    zhang = make_unit(cg["village"], name="城关镇张家中心户")
    building = make_unit(cg["community"], name="城关镇幸福楼")
    theirs = make_unit(qs["village"], name="青山镇李家中心户")
    with app.app_context():
        people = {name: add_member(db.session.get(StudyUnit, unit.id), name=name,
                                   mobile=mobile).id
                  for unit, name, mobile in [(zhang, "李秀英", MOBILES[0]),
                                             (zhang, "王大伯", None),
                                             (zhang, "赵小红", MOBILES[1]),
                                             (theirs, "陈青山", MOBILES[2])]}
        quiz = Quiz(slug="civil-code", title="民法典", topic="civil-code")
        db.session.add(quiz)
        db.session.commit()
        quiz_id = quiz.id
    march = log(app, zhang, date(2026, 3, 10), "ZJ-0310", photos=2,
                marks=[(people["李秀英"], "present"), (people["王大伯"], "late"),
                       (people["赵小红"], "absent")])
    april = log(app, zhang, date(2026, 4, 2), "ZJ-0402", marks=[(people["李秀英"], "present")])
    log(app, building, date(2026, 3, 15), "XF-0315", photos=1)
    log(app, zhang, date(2026, 5, 20), "ZJ-0520")  # after the period
    log(app, theirs, date(2026, 3, 12), "LJ-0312", photos=1,
        marks=[(people["陈青山"], "present")])
    attempt(app, quiz_id, people["李秀英"], zhang, 80, date(2026, 3, 10), march)
    attempt(app, quiz_id, people["赵小红"], zhang, 50, date(2026, 3, 10), march)
    attempt(app, quiz_id, people["王大伯"], building, 90, date(2026, 4, 1))
    return SimpleNamespace(
        county=county, cg=cg["town"], qs=qs["town"], zhang=zhang, building=building,
        theirs=theirs, march=march, april=april, people=people,
        admin=make_user("admin", area=county["county"], username="office"),
        coordinator=make_user("coordinator", area=cg["town"], username="cg-coord"),
        their_coordinator=make_user("coordinator", area=qs["town"], username="qs-coord"),
        leader=make_user("leader", units=[zhang], username="cg-leader"),
    )


@pytest.fixture
def as_user(client):
    def as_user(username: str):
        client.post("/logout")
        login(client, username)
        return client

    return as_user


def ask(client, town, start="2026-03", end="2026-04", unit_code=""):
    return client.post("/binders/", data={"town": town.id, "start": start, "end": end,
                                          "unit_code": unit_code})


def job_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def job(app, job_id) -> BinderJob:
    with app.app_context():
        found = db.session.get(BinderJob, job_id)
        db.session.expunge(found)
        return found


def build_queued(app) -> None:
    from lawlearn.binders import jobs

    with app.app_context():
        while (job_id := jobs.claim_next()) is not None:
            jobs.build(job_id)


def archive(client, job_id) -> zipfile.ZipFile:
    response = client.get(f"/binders/{job_id}/download")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    data = response.data
    response.close()
    return zipfile.ZipFile(io.BytesIO(data))


def session_codes(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(sa.select(StudySession.code, StudySession.id)).all())
