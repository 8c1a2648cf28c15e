"""Who a mobile number means, and what a typed name may do to the stored one (issue 9):
staff rename only people they may see, with an audit row; public pages rename nobody, check
nobody in by someone else's number and never show a stored name; and a quiz-results import
writes nothing into another town."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Attempt, Attendance, AuditEvent, Person, RosterMember
from tests.integration.helpers import csv_file
from tests.integration.test_scope_holes import without_csrf
from tests.sessions.conftest import text

EN = {"Accept-Language": "en"}
THEIR_MOBILE = "13900000031"   # 陈青山, on the roster of 青山镇李家中心户 (another town)
MY_MOBILE = "13900000021"      # 李秀英, on the roster of 城关镇张家中心户


def name_of(app, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).name


def roster_of(app, unit) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(Person.name).join(
            RosterMember, RosterMember.person_id == Person.id).where(
            RosterMember.unit_id == unit.id)))


def renames(app) -> list[dict]:
    with app.app_context():
        return [e.changes for e in db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "rename").order_by(AuditEvent.id))]


def add_to_roster(client, unit, name: str, mobile: str):
    return client.post(f"/units/{unit.id}/members", headers=EN,
                       data={"name": name, "mobile": mobile})


# --- rosters (staff) ---------------------------------------------------------------------------

def test_a_leader_cannot_rename_another_towns_participant_through_a_roster(
        app, world, as_user):
    client = as_user(world.leader)
    response = add_to_roster(client, world.mine, "改名者", THEIR_MOBILE)
    assert response.status_code == 400
    assert "registered under another name" in text(response)
    assert "陈青山" not in text(response)
    assert name_of(app, world.people["陈青山"]) == "陈青山"
    assert "陈青山" not in roster_of(app, world.mine) and "改名者" not in roster_of(app, world.mine)
    assert renames(app) == []


def test_someone_who_moved_joins_a_roster_under_the_name_they_give(app, world, as_user):
    client = as_user(world.leader)
    response = add_to_roster(client, world.mine, "陈青山", THEIR_MOBILE)
    assert response.status_code == 302
    assert "陈青山" in roster_of(app, world.mine)


def test_a_coordinator_corrects_the_name_of_a_participant_of_their_town_with_an_audit_row(
        app, world, as_user):
    client = as_user(world.coordinator)
    response = add_to_roster(client, world.neighbour, "李秀瑛", MY_MOBILE)
    assert response.status_code == 302
    assert name_of(app, world.people["李秀英"]) == "李秀瑛"
    assert "李秀瑛" in roster_of(app, world.neighbour)
    assert renames(app) == [{"name": ["李秀英", "李秀瑛"]}]


def test_a_walk_in_with_another_towns_number_is_refused_and_nothing_is_marked(
        app, world, as_user, make_session):
    sid = make_session(world.mine)
    client = as_user(world.leader)
    response = client.post(f"/sessions/{sid}/attendance", headers=EN, data={
        "walk_ins-0-name": "路人甲", "walk_ins-0-mobile": THEIR_MOBILE})
    assert response.status_code == 400
    assert "registered under another name" in text(response)
    assert "陈青山" not in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance).where(
            Attendance.session_id == sid)) == 0
    assert name_of(app, world.people["陈青山"]) == "陈青山"


# --- public pages ------------------------------------------------------------------------------

@pytest.fixture
def tiny_quiz(app):
    from lawlearn.quiz.sync import sync_bank
    from tests.quiz.conftest import TINY

    with app.app_context():
        sync_bank(TINY, source_hash=None)
        db.session.commit()
    return TINY.slug


def test_the_public_quiz_page_renames_nobody_and_shows_no_stored_name(app, client, world,
                                                                       tiny_quiz):
    response = client.post(f"/q/{tiny_quiz}", headers=EN,
                           data={"name": "冒名者", "mobile": THEIR_MOBILE})
    assert response.status_code == 400
    assert "registered under another name" in text(response)
    assert "陈青山" not in text(response)
    assert name_of(app, world.people["陈青山"]) == "陈青山"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0


def test_the_public_quiz_page_still_recognises_a_known_participant(app, client, world,
                                                                   tiny_quiz):
    response = client.post(f"/q/{tiny_quiz}", data={"name": " 陈青山 ", "mobile": THEIR_MOBILE})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Attempt.person_id)) == world.people["陈青山"]


# --- imports -----------------------------------------------------------------------------------

def upload(client, kind: str, rows: list[list]):
    return client.post(f"/imports/{kind}", headers=EN, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(csv_file(rows)), f"{kind}.csv")})


def test_a_sign_in_sheet_cannot_rename_or_enrol_another_towns_participant(
        app, world, as_user, make_session):
    sid = make_session(world.mine, code="CG-S1")
    client = as_user(world.coordinator)
    response = upload(client, "attendance", [["活动编码", "姓名", "手机号", "状态"],
                                             ["CG-S1", "冒名者", THEIR_MOBILE, "出席"]])
    assert response.status_code == 400
    assert "registered under another name" in text(response)
    assert "陈青山" not in text(response)
    assert name_of(app, world.people["陈青山"]) == "陈青山"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance).where(
            Attendance.session_id == sid)) == 0


def test_a_sign_in_sheet_corrects_a_name_in_the_users_town_with_an_audit_row(
        app, world, as_user, make_session):
    make_session(world.mine, code="CG-S1")
    client = as_user(world.coordinator)
    response = upload(client, "attendance", [["活动编码", "姓名", "手机号", "状态"],
                                             ["CG-S1", "李秀瑛", MY_MOBILE, "出席"]])
    assert response.status_code == 200, text(response)[:2000]
    token = text(response).split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/imports/attendance/confirm", data={"token": token}).status_code == 302
    assert name_of(app, world.people["李秀英"]) == "李秀瑛"
    assert renames(app) == [{"name": ["李秀英", "李秀瑛"]}]


QUIZ_HEADER = ["测验", "活动编码", "姓名", "手机号", "得分", "日期"]


def paper_attempts(app) -> list[tuple]:
    with app.app_context():
        return sorted(db.session.execute(sa.select(
            Attempt.person_id, Attempt.unit_id, Attempt.score)).all())


def test_a_quiz_result_without_a_session_cannot_land_in_another_town(
        app, world, as_user, tiny_quiz):
    client = as_user(world.coordinator)
    response = upload(client, "quiz-results", [
        QUIZ_HEADER, [tiny_quiz, "", "陈青山", THEIR_MOBILE, "80", "2026-03-01"]])
    assert response.status_code == 400
    assert "must be one of the units you look after" in text(response)
    assert paper_attempts(app) == []


def test_a_quiz_result_cannot_overwrite_another_towns_score(app, world, as_user, tiny_quiz,
                                                           runner, tmp_path):
    # 青山镇's result for 陈青山, recorded from the command line without a session: it counts
    # for his home unit in 青山镇.
    path = tmp_path / "theirs.csv"
    path.write_bytes(csv_file([QUIZ_HEADER,
                               [tiny_quiz, "", "陈青山", THEIR_MOBILE, "95", "2026-03-01"]]))
    assert runner.invoke(args=["import", "quiz-results", str(path)]).exit_code == 0
    before = paper_attempts(app)
    assert [(p, s) for p, _u, s in before] == [(world.people["陈青山"], 95.0)]

    client = as_user(world.coordinator)
    response = upload(client, "quiz-results", [
        QUIZ_HEADER, [tiny_quiz, "", "陈青山", THEIR_MOBILE, "1", "2026-03-01"]])
    assert response.status_code == 400
    assert "95" not in text(response)
    assert paper_attempts(app) == before


def test_a_quiz_result_for_another_towns_session_reads_as_an_unknown_code(
        app, world, as_user, tiny_quiz, make_session):
    make_session(world.theirs, code="QS-S1", held_on=date(2026, 3, 1))
    client = as_user(world.coordinator)
    theirs = upload(client, "quiz-results", [
        QUIZ_HEADER, [tiny_quiz, "QS-S1", "陈青山", THEIR_MOBILE, "1", ""]])
    unknown = upload(client, "quiz-results", [
        QUIZ_HEADER, [tiny_quiz, "NO-SUCH-S1", "陈青山", THEIR_MOBILE, "1", ""]])
    assert theirs.status_code == unknown.status_code == 400
    assert (without_csrf(text(theirs)).replace("QS-S1", "X")
            == without_csrf(text(unknown)).replace("NO-SUCH-S1", "X"))
    assert paper_attempts(app) == []
