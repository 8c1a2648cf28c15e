"""Every write path refuses a locked period with the same message and changes nothing; a
write outside the period or in another town goes through; an unlock lets it through again.

城关镇 is locked for March 2026 (its villages' units included); 青山镇 is not.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest
import sqlalchemy as sa

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Attempt, Attendance, StudySession, Target
from tests.period_locks.conftest import APRIL, EN, MARCH, REFUSED_EN, REFUSED_ZH, text
from tests.sessions.test_attendance import entry_of, roster_form

FORM = {"format": "case_based", "topics": ["civil-code"], "lecturer": "司法所刘所长",
        "duration_minutes": "90", "notes": "结合本村案例"}


@pytest.fixture
def march_locked(world, lock, april):
    return lock(world.county["城关镇"]["town"], month="2026-03")


def session_field(app, sid: int, name: str):
    with app.app_context():
        return getattr(db.session.get(StudySession, sid), name)


# --- study sessions ---------------------------------------------------------------------------

def test_logging_a_session_in_a_locked_month_is_refused_and_the_form_kept(
        app, world, as_user, march_locked, unchanged, unlock):
    client = as_user(world.coordinator)
    url = f"/units/{world.mine.id}/sessions/new"
    with unchanged():
        response = client.post(url, data={**FORM, "held_on": MARCH.isoformat()})
    assert response.status_code == 400
    page = text(response)
    assert REFUSED_ZH in page
    assert 'value="司法所刘所长"' in page and "结合本村案例" in page  # the input is kept
    # April, and March in another town, go through.
    assert client.post(url, data={**FORM, "held_on": APRIL.isoformat()}).status_code == 302
    other = as_user(world.their_coordinator)
    assert other.post(f"/units/{world.theirs.id}/sessions/new",
                      data={**FORM, "held_on": MARCH.isoformat()}).status_code == 302
    unlock(march_locked)
    client = as_user(world.coordinator)
    assert client.post(url, data={**FORM, "held_on": MARCH.isoformat()}).status_code == 302


def test_editing_is_refused_for_the_old_and_the_new_date(
        app, world, as_user, make_session, lock, april, unchanged):
    in_march = make_session(world.mine, held_on=MARCH)
    in_april = make_session(world.mine, held_on=APRIL)
    lock(world.county["城关镇"]["town"], month="2026-03")
    client = as_user(world.leader)
    with unchanged():
        for sid, day in ((in_march, MARCH), (in_march, APRIL), (in_april, MARCH)):
            response = client.post(f"/sessions/{sid}/edit", headers=EN,
                                   data={**FORM, "held_on": day.isoformat()})
            assert response.status_code == 400
            assert REFUSED_EN in text(response) and 'value="司法所刘所长"' in text(response)
    assert client.post(f"/sessions/{in_april}/edit",
                       data={**FORM, "held_on": APRIL.isoformat()}).status_code == 302
    assert session_field(app, in_april, "lecturer") == "司法所刘所长"


def test_deleting_a_session_of_a_locked_month_is_refused(
        app, world, as_user, make_session, lock, unlock, april, unchanged):
    sid = make_session(world.mine, held_on=MARCH)
    lock_id = lock(world.county["城关镇"]["town"], month="2026-03")
    client = as_user(world.coordinator)
    with unchanged():
        response = client.post(f"/sessions/{sid}/delete")
    assert response.status_code == 409 and REFUSED_ZH in text(response)
    unlock(lock_id)
    assert client.post(f"/sessions/{sid}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(StudySession, sid) is None


# --- attendance -------------------------------------------------------------------------------

def test_marking_the_roster_and_walk_ins_are_refused(
        app, world, as_user, make_session, lock, april, unchanged):
    sid = make_session(world.mine, held_on=MARCH)
    other = make_session(world.mine, held_on=APRIL)
    client = as_user(world.leader)
    page = text(client.get(f"/sessions/{sid}/attendance"))
    lock(world.county["城关镇"]["town"], month="2026-03")
    data = roster_form(page)
    data[entry_of(page, world.people["李秀英"]) + "-status"] = "present"
    data.update({"walk_ins-0-name": "孙路过", "walk_ins-0-mobile": "139-0000-0088"})
    with unchanged():
        response = client.post(f"/sessions/{sid}/attendance", data=data)
    assert response.status_code == 409 and REFUSED_ZH in text(response)
    assert 'value="孙路过"' in text(response)  # the walk-in typed is kept
    page = text(client.get(f"/sessions/{other}/attendance"))
    data = roster_form(page)
    data[entry_of(page, world.people["李秀英"]) + "-status"] = "present"
    assert client.post(f"/sessions/{other}/attendance", data=data).status_code == 302


def test_qr_check_in_on_a_locked_day_gives_a_clear_page(
        app, client, world, make_session, lock, unlock, freeze_clock, unchanged):
    freeze_clock(datetime.combine(MARCH, time(10), clock.TZ))
    sid = make_session(world.mine, held_on=MARCH)
    token = session_field(app, sid, "checkin_token")
    lock_id = lock(world.county["城关镇"]["town"], month="2026-03")
    with unchanged():
        response = client.post(f"/s/{token}", data={"name": "孙大妈", "mobile": "13900000055"})
        assert response.status_code == 409
        assert REFUSED_ZH in text(response)
        assert 'href="/home"' not in text(response)  # the participants' page, no staff menu
        assert client.get(f"/s/{token}").status_code == 409
    unlock(lock_id)
    response = client.post(f"/s/{token}", data={"name": "孙大妈", "mobile": "13900000055"})
    assert response.status_code == 302


def test_attendance_import_lists_the_refused_rows(
        app, runner, world, make_session, lock, april, unchanged, tmp_path):
    sid = make_session(world.mine, held_on=MARCH)
    fine = make_session(world.theirs, held_on=MARCH)
    codes = [session_field(app, s, "code") for s in (fine, sid)]
    lock(world.county["城关镇"]["town"], month="2026-03")
    path = tmp_path / "attendance.csv"
    path.write_text("session_code,name,phone,status\n"
                    f"{codes[0]},陈青山,13900000031,present\n"
                    f"{codes[1]},李秀英,13900000021,present\n", encoding="utf-8")
    with unchanged():
        result = runner.invoke(args=["import", "attendance", str(path)])
    assert result.exit_code != 0
    assert "row 3" in result.output and REFUSED_EN in result.output
    assert "row 2" not in result.output


# --- quiz results -----------------------------------------------------------------------------

def test_a_quiz_submitted_on_a_locked_day_is_refused(
        app, client, world, tiny, make_session, lock, freeze_clock, unchanged):
    from tests.quiz.conftest import answers, start

    freeze_clock(datetime.combine(MARCH, time(10), clock.TZ))
    sid = make_session(world.mine, held_on=MARCH)
    token = session_field(app, sid, "checkin_token")
    attempt = start(client, s=token)  # begun before the lock
    lock(world.county["城关镇"]["town"], month="2026-03")
    with unchanged():
        response = client.post(f"/q/a/{attempt}", data=answers(app, attempt))
        assert response.status_code == 409 and REFUSED_ZH in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(Attempt.score).where(Attempt.token == attempt)) \
            is None


def test_paper_scores_and_quiz_result_imports_are_refused(
        app, runner, world, tiny, as_user, make_session, lock, april, unchanged, tmp_path):
    sid = make_session(world.mine, held_on=MARCH)
    code = session_field(app, sid, "code")
    lock(world.county["城关镇"]["town"], month="2026-03")
    client = as_user(world.leader)
    rows = {"quiz": "tiny", "rows-0-name": "赵一", "rows-0-mobile": "13900000001",
            "rows-0-score": "85"}
    path = tmp_path / "results.csv"
    path.write_text("quiz,session_code,name,phone,score,taken_on\n"
                    f"tiny,{code},赵一,13900000001,85,\n", encoding="utf-8")
    with unchanged():
        response = client.post(f"/quizzes/sessions/{sid}/scores", data=rows)
        assert response.status_code == 400
        assert REFUSED_ZH in text(response) and 'value="赵一"' in text(response)
        result = runner.invoke(args=["import", "quiz-results", str(path)])
        assert result.exit_code != 0 and "row 2" in result.output
        assert REFUSED_EN in result.output


# --- sessions import --------------------------------------------------------------------------

def test_a_sessions_import_lists_every_refused_row_and_writes_nothing(
        app, runner, world, make_session, lock, unlock, april, unchanged, tmp_path):
    moved = make_session(world.mine, held_on=MARCH)
    code = session_field(app, moved, "code")
    lock_id = lock(world.county["城关镇"]["town"], month="2026-03")
    path = tmp_path / "sessions.csv"
    path.write_text(
        "code,unit_code,held_on,format,topics,lecturer,duration_minutes\n"
        f"N1,{world.theirs.code},2026-03-20,lecture,civil-code,张,60\n"   # another town: fine
        f"N2,{world.mine.code},2026-03-20,lecture,civil-code,张,60\n"     # into March
        f"{code},{world.mine.code},2026-04-02,lecture,civil-code,张,60\n"  # out of March
        f"N3,{world.mine.code},2026-04-02,lecture,civil-code,张,60\n", encoding="utf-8")
    with unchanged():
        result = runner.invoke(args=["import", "sessions", str(path)])
    assert result.exit_code != 0
    assert "row 3" in result.output and "row 4" in result.output
    assert "row 2" not in result.output and "row 5" not in result.output
    assert REFUSED_EN in result.output and "nothing was imported" in result.output
    unlock(lock_id)
    assert runner.invoke(args=["import", "sessions", str(path)]).exit_code == 0


def test_the_web_import_shows_the_refused_rows(
        app, world, as_user, lock, april, unchanged):
    import io

    lock(world.county["城关镇"]["town"], month="2026-03")
    client = as_user(world.coordinator)
    body = ("code,unit_code,held_on,format,topics,lecturer,duration_minutes\n"
            f"W1,{world.mine.code},2026-03-20,lecture,civil-code,张,60\n").encode()
    with unchanged():
        response = client.post("/imports/sessions", data={
            "file": (io.BytesIO(body), "sessions.csv")}, content_type="multipart/form-data",
            follow_redirects=True)
    assert response.status_code == 400
    assert f"<tr><td>2</td><td>held_on</td><td>{REFUSED_ZH}</td></tr>" in text(response)


# --- targets ----------------------------------------------------------------------------------

def test_targets_of_a_locked_year_are_refused(
        app, world, as_user, lock, unlock, april, unchanged, runner, tmp_path):
    town = world.county["城关镇"]["town"]
    with app.app_context():
        db.session.add(Target(area_id=town.id, year=2026, kind="household", target=5))
        db.session.commit()
        target_id = db.session.scalar(sa.select(Target.id))
    lock_id = lock(town, month="2026-03")
    client = as_user(world.admin)
    path = tmp_path / "targets.csv"
    path.write_text(f"area_code,year,kind,target\n{town.code},2026,household,9\n"
                    f"{town.code},2027,household,9\n", encoding="utf-8")
    with unchanged():
        response = client.post("/reports/targets", data={
            "area_id": town.id, "year": 2026, "kind": "household", "target": 8})
        assert response.status_code == 409 and REFUSED_ZH in text(response)
        assert 'value="8"' in text(response)
        response = client.post(f"/reports/targets/{target_id}/delete", follow_redirects=True)
        assert REFUSED_ZH in text(response)
        result = runner.invoke(args=["import", "targets", str(path)])
        assert result.exit_code != 0 and "row 2" in result.output
        assert "row 3" not in result.output
    # Another year, and the other town, go through.
    assert client.post("/reports/targets", data={
        "area_id": town.id, "year": 2027, "kind": "household", "target": 8}).status_code == 302
    qs = world.county["青山镇"]["town"]
    assert client.post("/reports/targets", data={
        "area_id": qs.id, "year": 2026, "kind": "household", "target": 8}).status_code == 302
    unlock(lock_id)
    assert client.post(f"/reports/targets/{target_id}/delete").status_code == 302


# --- the backstop in a request ----------------------------------------------------------------

def test_a_path_without_its_own_check_meets_the_backstop_as_a_409(
        app, world, as_user, make_session, lock, april, unchanged, monkeypatch):
    """Were a form's check forgotten, the ledger refuses at commit: a 409 page with the
    message, the transaction rolled back, never a 500."""
    import lawlearn.sessions.forms as forms

    monkeypatch.setattr(forms, "locked_period", lambda *_args: None)
    lock(world.county["城关镇"]["town"], month="2026-03")
    client = as_user(world.coordinator)
    with unchanged():
        response = client.post(f"/units/{world.mine.id}/sessions/new",
                               data={**FORM, "held_on": MARCH.isoformat()})
    assert response.status_code == 409 and REFUSED_ZH in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_moving_a_unit_with_sessions_in_a_locked_month_meets_the_backstop(
        app, world, as_user, make_session, lock, april, unchanged):
    """A path with no check of its own (a unit moved to another town takes its March figures
    along): the ledger refuses it at commit, as a 409 page, and nothing moves."""
    from lawlearn.models import StudyUnit

    make_session(world.mine, held_on=MARCH)
    lock(world.county["城关镇"]["town"], month="2026-03")
    with app.app_context():
        unit = db.session.get(StudyUnit, world.mine.id)
        form = {"name": unit.name, "leader_name": unit.leader_name,
                "leader_phone": unit.leader_phone, "reach": unit.reach,
                "registered_on": unit.registered_on.isoformat()}
    client = as_user(world.admin)
    with unchanged():
        response = client.post(f"/units/{world.mine.id}/edit", data={
            **form, "area_id": world.county["青山镇"]["village"].id})
    assert response.status_code == 409 and REFUSED_ZH in text(response)
    with app.app_context():
        assert db.session.get(StudyUnit, world.mine.id).area_id == world.county["城关镇"][
            "village"].id
    # A change that moves no figure still goes through.
    response = client.post(f"/units/{world.mine.id}/edit", data={
        **form, "area_id": world.county["城关镇"]["village"].id, "name": "城关镇张家新名"})
    assert response.status_code == 302


def test_a_lock_made_between_preview_and_confirm_refuses_the_import(
        app, world, as_user, make_session, lock, april, unchanged):
    import io
    import re

    sid = make_session(world.mine, held_on=MARCH)
    code = session_field(app, sid, "code")
    client = as_user(world.coordinator)
    body = f"session_code,name,phone,status\n{code},李秀英,13900000021,present\n".encode()
    preview = client.post("/imports/attendance", data={
        "file": (io.BytesIO(body), "attendance.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 200
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text(preview)).group(1)
    lock(world.county["城关镇"]["town"], month="2026-03")
    with unchanged():
        response = client.post("/imports/attendance/confirm", data={"token": token})
    assert response.status_code == 400
    assert f"<tr><td>2</td><td>session_code</td><td>{REFUSED_ZH}</td></tr>" in text(response)
